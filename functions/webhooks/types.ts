import type { LookupFunction } from 'node:net';
import type { WebhookEvent } from '../engine/metadata/types';

/** One record change read from the table's stream: the automation runtime's type. */
export type { RecordChange } from '../automation/types';

/** The JSON a receiver gets. Nothing internal: no tenant, no table keys. */
export interface WebhookPayload {
  /** The delivery id (also in the `Tessera-Delivery` header): the same on every retry, so receivers can drop repeats. */
  readonly id: string;
  readonly webhook: string;
  readonly event: WebhookEvent;
  readonly object: string;
  /** The record as the API shows it: system fields and every field's value. */
  readonly record: Record<string, unknown>;
  /** The changed fields' values before an update. */
  readonly previous?: Record<string, unknown>;
  readonly occurredAt: string;
  /** The automation rule whose action asked for this delivery. */
  readonly rule?: string;
}

/** A delivery to enqueue: which webhook, and the payload it sends. */
export interface WebhookDelivery {
  /** Derived from (tenant, event id, webhook[, rule action]): enqueueing the same change twice puts one item. */
  readonly id: string;
  readonly tenant: string;
  readonly webhook: string;
  readonly source?: { readonly rule: string; readonly action: number };
  readonly payload: WebhookPayload;
}

/** How deliveries are attempted. Every number has an environment variable for the deployed functions. */
export interface DeliveryOptions {
  /** First retry delay; each further one doubles. `TESSERA_WEBHOOK_BASE_DELAY_MS`. @default 60000 */
  readonly baseDelayMs?: number;
  /** Longest wait between two attempts. @default 21600000 (6 h) */
  readonly maxDelayMs?: number;
  /** Attempts before a delivery is parked in the dead list. `TESSERA_WEBHOOK_MAX_ATTEMPTS`. @default 8 */
  readonly maxAttempts?: number;
  /** One attempt's limit, connection to response. `TESSERA_WEBHOOK_TIMEOUT_MS`. @default 10000 */
  readonly timeoutMs?: number;
  /** Deliveries one `runDueDeliveries` call takes on. @default 100 */
  readonly limit?: number;
  /**
   * Only deliveries due at least this long ago: where the queue attempts deliveries within
   * seconds, the schedule's tick passes e.g. 5 minutes to pick up only what the queue lost
   * (a message that ended in its DLQ) without racing it. @default 0
   */
  readonly overdueMs?: number;
  /** Attempts in flight at once. @default 8 */
  readonly concurrency?: number;
  /** How long a delivered delivery is kept before TTL removes it. @default 30 days */
  readonly keepDeliveredDays?: number;
  /** Resolves host names (tests point a name at 127.0.0.1). @default dns.lookup */
  readonly lookup?: LookupFunction;
}

export type DeliveryOutcome = 'delivered' | 'retried' | 'dead' | 'skipped';
