import type { Cause, HistoryEntry, IndexEntry, RecordWorkflow, StoredRecord, WriteOrigin } from '../engine/records/types';
import type { MatchKey } from '../engine/duplicates/duplicateRules';
import { TABLE_SPEC, keys, slotSpec } from './keys';

/** DynamoDB item of a record: its key, its list-index attributes and the record itself. */
export function recordItem(tenant: string, record: StoredRecord, entries: readonly IndexEntry[], cause?: Cause, origin?: WriteOrigin): Record<string, unknown> {
  const { byObject, byOwner } = TABLE_SPEC.indexes;
  const item: Record<string, unknown> = {
    ...keys.record(tenant, record.object, record.id),
    kind: 'record',
    tenant,
    object: record.object,
    id: record.id,
    version: record.version,
    owner: record.owner,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    values: record.values,
    [byObject.partitionKey]: keys.objectPartition(tenant, record.object),
    [byObject.sortKey]: record.id,
    [byOwner.partitionKey]: keys.ownerPartition(tenant, record.object, record.owner),
    [byOwner.sortKey]: record.id,
    ...(cause ? { cause } : {}),
    ...(origin ? { origin } : {}),
    ...(record.workflow ? { workflow: record.workflow } : {}),
  };
  for (const entry of entries) {
    const spec = slotSpec(entry.slot);
    item[spec.partitionKey] = keys.slotPartition(tenant, record.object, entry.partition);
    item[spec.sortKey] = entry.sort;
  }
  return item;
}

export function recordFromItem(item: Record<string, unknown>): StoredRecord {
  return {
    object: String(item.object),
    id: String(item.id),
    version: Number(item.version),
    owner: String(item.owner),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
    updatedAt: String(item.updatedAt),
    updatedBy: String(item.updatedBy),
    values: (item.values as Record<string, unknown>) ?? {},
    ...(item.workflow ? { workflow: item.workflow as RecordWorkflow } : {}),
  };
}

export function historyItem(tenant: string, object: string, recordId: string, entry: HistoryEntry): Record<string, unknown> {
  return { pk: keys.record(tenant, object, recordId).pk, sk: keys.historySk(entry.id), kind: 'history', tenant, object, recordId, ...entry };
}

export function historyFromItem(item: Record<string, unknown>): HistoryEntry {
  return {
    id: String(item.id),
    at: String(item.at),
    by: String(item.by),
    op: item.op as HistoryEntry['op'],
    version: Number(item.version),
    owner: String(item.owner ?? ''),
    changes: (item.changes as HistoryEntry['changes']) ?? {},
    ...(item.via ? { via: item.via as Cause } : {}),
    ...(item.merge ? { merge: item.merge as HistoryEntry['merge'] } : {}),
    ...(item.import ? { import: String(item.import) } : {}),
    ...(item.transition ? { transition: item.transition as HistoryEntry['transition'] } : {}),
    ...(item.approval ? { approval: item.approval as HistoryEntry['approval'] } : {}),
    ...(item.conversion ? { conversion: item.conversion as HistoryEntry['conversion'] } : {}),
  };
}

/** A duplicate-rule match key of a record: under the key's partition, and on the by-object index under the rule, sorted by key. */
export function matchKeyItem(tenant: string, object: string, k: MatchKey, recordId: string): Record<string, unknown> {
  const { byObject } = TABLE_SPEC.indexes;
  return {
    ...keys.matchKey(tenant, object, k.rule, k.key, recordId),
    kind: 'matchKey',
    tenant,
    object,
    rule: k.rule,
    key: k.key,
    recordId,
    [byObject.partitionKey]: keys.matchKeyGroups(tenant, object, k.rule),
    [byObject.sortKey]: keys.matchKeyGroupSort(k.key, recordId),
  };
}

/**
 * A restore writes each record item with `restoredVersion` equal to its version. The stream
 * delivers those writes as inserts, but they are not changes: a stream consumer that treated
 * them as creates would run every after-save rule again (notifications, created records,
 * webhook calls) and reset timers the backup carries. Any later save writes a new version,
 * so only the restore's own write matches.
 */
export const RESTORED_VERSION = 'restoredVersion';

export const isRestoreWrite = (item: Record<string, unknown>): boolean => item.kind === 'record' && item[RESTORED_VERSION] !== undefined && item[RESTORED_VERSION] === item.version;
