import type { StoredRecord } from '../engine/records/types';

type Values = Readonly<Record<string, unknown>>;

/**
 * One record change, as the stream consumer reads it from the table's stream (DynamoDB's
 * stream locally, the Lambda event source in AWS) — what after-save rules, timers and
 * webhooks react to.
 */
export interface RecordChange {
  /** The stream record's event id: unique per change, the same when a batch is delivered again. */
  readonly eventId: string;
  readonly tenant: string;
  readonly object: string;
  readonly id: string;
  readonly event: 'created' | 'updated' | 'deleted';
  readonly before: Values | null;
  readonly after: Values | null;
  /** The record after the change, or before it on delete. */
  readonly record: StoredRecord;
  /** The record before the change (null on create). */
  readonly previous: StoredRecord | null;
  /** The acting user's id (on delete: the record's last updater — a delete carries no author in its image). */
  readonly actor: string;
  /** When the change was committed (ISO). */
  readonly at: string;
  /** How deep in an automation cascade the change is: 0 for a person's change, n for one made by a rule fired at depth n-1. */
  readonly depth: number;
  /** `false` for a write of an import run with automations switched off: no after-save rule runs for it, no timer is set. */
  readonly automation?: false;
}

/** Automation cascades stop here: a rule's change at this depth fires no further rules, and the stop is recorded as a run. */
export const MAX_CASCADE_DEPTH = 5;
