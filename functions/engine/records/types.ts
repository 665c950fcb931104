import type { RollupDelta, RollupRecompute } from './rollups';
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
  readonly kind: 'record' | 'user';
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
}
