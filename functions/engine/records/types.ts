import type { RollupDelta, RollupRecompute } from './rollups';
import type { MatchKey } from '../duplicates/duplicateRules';
/** A record as the engine and the store know it. The API flattens `values` beside the system fields. */
export interface StoredRecord {
  readonly object: string;
  readonly id: string;
  readonly version: number;
  readonly owner: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Field values by API name. Absent means blank; `null` is never stored. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Platform-kept workflow facts (state entered at, approval lock, after-save work of a transition); absent on objects without workflows. */
  readonly workflow?: RecordWorkflow;
}

/** What the workflow and approval machinery keeps on a record, written with the record in its own transaction. */
export interface RecordWorkflow {
  /** The state the record entered, and when: SLAs and time-in-state count from here. */
  readonly state?: string;
  readonly enteredAt?: string;
  /** The approval request the record is in while it is pending; `lock` refuses edits. */
  readonly approval?: { readonly request: string; readonly process: string; readonly lock: boolean };
  /** After-save work this version owes (transition and approval actions), run from the stream for this version only. */
  readonly after?: { readonly version: number; readonly rules: readonly string[] };
}

export type HistoryOp = 'create' | 'update' | 'delete';

export interface FieldChange {
  readonly old: unknown;
  readonly new: unknown;
}

/** One entry of a record's history: written in the same transaction as the change it describes. */
export interface HistoryEntry {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly op: HistoryOp;
  /** Record version after the change (the deleted version for deletes). */
  readonly version: number;
  /** The record's owner after the change (its last owner for deletes): who reaches this history once the record is gone. */
  readonly owner: string;
  readonly changes: Readonly<Record<string, FieldChange>>;
  /** The automation rule that made the change, when one did. */
  readonly via?: Cause;
  /** A merge: on the surviving record, the records merged into it; on each of those (deleted), the survivor. */
  readonly merge?: { readonly merged?: readonly string[]; readonly into?: string };
  /** The import job whose row made the change (or whose undo reverted it). */
  readonly import?: string;
  /** The workflow transition this change was. */
  readonly transition?: { readonly workflow: string; readonly name: string; readonly from: string | null; readonly to: string; readonly comment?: string };
  /** The approval event this change recorded (submitted, approved, rejected, returned, recalled, delegated). */
  readonly approval?: { readonly request: string; readonly process: string; readonly action: string; readonly step?: string; readonly comment?: string; readonly outcome?: string };
  /** A conversion: on the converted record, the records it became (`records`); on each record it created, where it came from (`from`). */
  readonly conversion?: { readonly name: string; readonly records?: Readonly<Record<string, string>>; readonly from?: { readonly object: string; readonly id: string } };
}

/** Why an automated write happened: the rule, the change that fired it, and how deep in a cascade it is. */
export interface Cause {
  readonly rule: string;
  /** The stream event (or timer) that fired the rule. */
  readonly eventId: string;
  /** 1 for a rule fired by a person's change, 2 for a rule fired by that rule's change, … */
  readonly depth: number;
}

/** An index entry for one generic slot: partition and sort strings relative to tenant and object. */
export interface IndexEntry {
  readonly slot: number;
  readonly partition: string;
  readonly sort: string;
}

export interface Guard {
  readonly field: string;
  readonly key: string;
}

/** Something a write refers to that must exist when it commits. */
export interface Reference {
  readonly path: string;
  readonly kind: 'record' | 'user' | 'team';
  readonly object?: string;
  readonly id: string;
}

/**
 * What a record write must do, all or nothing. The engine decides it; the store commits it
 * as one TransactWriteItems.
 */
export interface WritePlan {
  readonly op: HistoryOp;
  readonly object: string;
  readonly id: string;
  /** The record after the write; null for a delete. */
  readonly record: StoredRecord | null;
  /** The version the stored record must have; null when it must not exist yet. */
  readonly expectedVersion: number | null;
  readonly indexEntries: readonly IndexEntry[];
  readonly guardsToAdd: readonly Guard[];
  readonly guardsToRemove: readonly Guard[];
  readonly references: readonly Reference[];
  readonly history: HistoryEntry | null;
  /** Roll-up counter changes of parents, applied in the same transaction. */
  readonly rollupDeltas: readonly RollupDelta[];
  /** Parents' min/max roll-ups to recompute once the write has committed. */
  readonly rollupRecompute: readonly RollupRecompute[];
  /** On delete: the record had roll-ups, so its counters go with it. */
  readonly dropRollups?: boolean;
  /**
   * Master-detail (create and re-parent): the master whose owner the record takes. The store
   * reads that owner, writes it, and commits under a check that the master still has it.
   */
  readonly ownerFrom?: { readonly path: string; readonly object: string; readonly id: string };
  /** An update of a record other records take their owner from: its owner before, so they follow if it changes. */
  readonly ownerBefore?: string;
  /** Set on automated writes; stored on the record so the changes it fires know their depth. */
  readonly cause?: Cause;
  /**
   * An automation effect's key (event, rule, action): the write puts a marker under it in the
   * same transaction and fails with `automation.alreadyApplied` if one exists, so an action
   * delivered twice changes the record once.
   */
  readonly effect?: string;
  /**
   * Items recorded with the write in its own transaction — the runs of the before-save and
   * assignment rules that shaped it — so they exist exactly when the write does.
   */
  readonly alongside?: ReadonlyArray<Record<string, unknown>>;
  /** Duplicate-rule match keys the write adds and removes, in its own transaction (see engine/duplicates). */
  readonly matchKeysToAdd?: readonly MatchKey[];
  readonly matchKeysToRemove?: readonly MatchKey[];
  /**
   * A write made by an import: stored on the record item, so the stream consumer knows it.
   * With `automation: false` no after-save rule runs for it (and no timer is set).
   */
  readonly origin?: WriteOrigin;
}

export interface WriteOrigin {
  readonly import: string;
  readonly automation: boolean;
}
