import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import type { Problem } from '../engine/errors';
import type { ListPlan } from '../engine/query/listQuery';
import { MAX_EXAMINED } from '../engine/query/listQuery';
import type { HistoryEntry, StoredRecord, WriteOrigin, WritePlan } from '../engine/records/types';
import { badCursor, decodeCursor, decodeCursorKeys, encodeCursor } from './cursor';
import { RECORD_ID } from '../engine/ids';
import { TABLE_SPEC, keys, slotSpec } from './keys';
import { batchGetAll } from './batchGetAll';
import { byObjectQuery } from './byObject';
import { historyFromItem, historyItem, matchKeyItem, recordFromItem, recordItem } from './recordItems';
import { followMaster } from '../engine/records/masterDetail';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What each item of a write transaction is, so a cancellation reason can be turned into an answer. */
type ItemRole =
  | { role: 'record' }
  | { role: 'history' }
  | { role: 'rollup' }
  | { role: 'guardAdd'; field: string }
  | { role: 'guardRemove'; field: string }
  | { role: 'reference'; paths: string[] }
  | { role: 'master'; paths: string[]; master: string }
  | { role: 'effect' }
  | { role: 'alongside' };

export interface ListPage {
  readonly records: StoredRecord[];
  readonly nextCursor: string | null;
  /** Items read to fill the page (more than returned when residual filters drop some). */
  readonly examined: number;
}

/** Effect markers outlive any stream redelivery (24 h retention) by far, then expire through the table's TTL. */
const EFFECT_TTL_SECONDS = 7 * 24 * 3600;
const effectExpiry = () => Math.floor(Date.now() / 1000) + EFFECT_TTL_SECONDS;

/** Transactions cancelled only by conflicts with concurrent transactions are retried this many times. */
const CONFLICT_RETRIES = 5;

/**
 * Records in DynamoDB: commits the engine's write plans as single transactions and serves
 * gets, lists (Query only) and history. The only record code that talks to DynamoDB.
 */
export class RecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenant: string, object: string, id: string): Promise<StoredRecord | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.record(tenant, object, id), ConsistentRead: true }));
    return Item && Item.kind === 'record' ? recordFromItem(Item) : null;
  }

  /** The origin a delete of the record at `version` was marked with (see keys.DELETE_ORIGIN_SK), if any. */
  async deleteOrigin(tenant: string, object: string, id: string, version: number): Promise<WriteOrigin | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.record(tenant, object, id).pk, sk: keys.DELETE_ORIGIN_SK }, ConsistentRead: true }));
    return Item && Item.version === version ? (Item.origin as WriteOrigin) : null;
  }

  /**
   * Commits a write plan as one TransactWriteItems; maps every cancellation reason to an
   * answer. Returns the plan as committed (a detail record carries its master's owner).
   */
  async commit(tenant: string, plan: WritePlan): Promise<WritePlan> {
    return (await this.commitMany(tenant, [plan]))[0]!;
  }

  /** Records of one object by id (absent ids are left out). */
  async getMany(tenant: string, object: string, ids: readonly string[], consistent = false): Promise<Map<string, StoredRecord>> {
    const found = await this.getRecords(tenant, ids.map((id) => ({ object, id })), consistent);
    return new Map([...found.values()].map((r) => [r.id, r] as const));
  }

  /** Records of any objects, keyed `<object>/<id>`, in one BatchGetItem per 100 keys. */
  async getRecords(tenant: string, refs: ReadonlyArray<{ object: string; id: string }>, consistent = false): Promise<Map<string, StoredRecord>> {
    const out = new Map<string, StoredRecord>();
    const unique = [...new Map(refs.map((r) => [`${r.object}/${r.id}`, r] as const)).values()];
    for await (const item of batchGetAll(this.doc, this.tableName, unique.map((r) => keys.record(tenant, r.object, r.id)), consistent)) {
      if (item.kind === 'record') out.set(`${String(item.object)}/${String(item.id)}`, recordFromItem(item));
    }
    return out;
  }

  /** The record holding a unique guard (a junction pair, say), or null. */
  async guardHolder(tenant: string, object: string, field: string, key: string): Promise<string | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.guard(tenant, object, field, key), ConsistentRead: true }));
    return Item ? String(Item.recordId) : null;
  }

  /** How many transaction items a plan takes (DynamoDB allows 100 per transaction). */
  transactionSize(tenant: string, plan: WritePlan): number {
    return this.transaction(tenant, plan).items.length;
  }

  /**
   * Commits several plans as one transaction — all or nothing. The caller keeps the total
   * within 100 items and merges roll-up deltas first (`mergeRollups`).
   */
  async commitMany(tenant: string, plans: readonly WritePlan[]): Promise<WritePlan[]> {
    if (!plans.some((p) => p.ownerFrom)) {
      await this.commitResolved(tenant, plans);
      return [...plans];
    }
    // Master-detail: a record takes its master's owner, committed under a check that the master
    // still has that owner; if it changed meanwhile, read it again and retry.
    const masters = plans.flatMap((p) => (p.ownerFrom ? [p.ownerFrom] : []));
    const owners = new Map<string, string>();
    for (const object of new Set(masters.map((m) => m.object))) {
      const found = await this.getMany(tenant, object, masters.filter((m) => m.object === object).map((m) => m.id), true);
      for (const [id, r] of found) owners.set(masterKey(object, id), r.owner);
    }
    for (let attempt = 0; ; attempt++) {
      const resolved = plans.map((p) => {
        const owner = p.ownerFrom && owners.get(masterKey(p.ownerFrom.object, p.ownerFrom.id));
        return owner ? followMaster(p, owner) : p;
      });
      try {
        await this.commitResolved(tenant, resolved);
        return resolved;
      } catch (error) {
        if (!(error instanceof MasterMoved) || attempt >= CONFLICT_RETRIES) throw error;
        owners.set(error.master, error.owner);
      }
    }
  }

  private async commitResolved(tenant: string, plans: readonly WritePlan[]): Promise<void> {
    // A transaction may touch an item once: several plans checking the same record (children of
    // one parent, say) share the first plan's check, and a record written by one of the plans
    // (an account created with the contact that points at it) needs no check at all.
    const checked = new Set<string>(plans.filter((p) => p.record).map((p) => {
      const key = keys.record(tenant, p.object, p.id);
      return `${key.pk}|${key.sk}`;
    }));
    const parts = plans.map((plan) => {
      const { items, roles } = this.transaction(tenant, plan);
      const keep = items.map((item) => {
        if (!item.ConditionCheck) return true;
        const key = `${String(item.ConditionCheck.Key?.pk)}|${String(item.ConditionCheck.Key?.sk)}`;
        if (checked.has(key)) return false;
        checked.add(key);
        return true;
      });
      return { plan, items: items.filter((_, i) => keep[i]), roles: roles.filter((_, i) => keep[i]) };
    });
    const items = parts.flatMap((p) => p.items);
    if (items.length > 100) throw new Error(`a transaction of ${items.length} items is over DynamoDB's 100`);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        // Cancelled only by concurrent transactions on the same items: try again, the condition checks decide then.
        const onlyConflicts = reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'TransactionConflict');
        if (onlyConflicts && attempt < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
          continue;
        }
        let offset = 0;
        for (const part of parts) {
          const own = reasons.slice(offset, offset + part.items.length);
          offset += part.items.length;
          if (own.some((r) => r.Code && r.Code !== 'None')) throw cancellationError(part.plan, own, part.roles);
        }
        throw error;
      }
    }
  }

  private transaction(tenant: string, plan: WritePlan): { items: TransactItem[]; roles: ItemRole[] } {
    const items: TransactItem[] = [];
    const roles: ItemRole[] = [];
    const TableName = this.tableName;
    const recordKey = keys.record(tenant, plan.object, plan.id);

    if (plan.record) {
      items.push({
        Put: {
          TableName,
          Item: recordItem(tenant, plan.record, plan.indexEntries, plan.cause, plan.origin),
          ...(plan.expectedVersion === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': plan.expectedVersion } }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    } else {
      if (plan.origin) {
        items.push({ Put: { TableName, Item: { pk: recordKey.pk, sk: keys.DELETE_ORIGIN_SK, kind: 'deleteOrigin', tenant, version: plan.expectedVersion, origin: plan.origin, expiresAt: effectExpiry() } } });
        roles.push({ role: 'alongside' });
      }
      items.push({
        Delete: {
          TableName,
          Key: recordKey,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': plan.expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    roles.push({ role: 'record' });

    for (const delta of plan.rollupDeltas) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':one': 1, ':kind': 'rollup', ':t': tenant };
      const adds = ['seq :one'];
      Object.entries(delta.adds).forEach(([field, a], i) => {
        for (const [k, v] of [['c', a.c], ['s', a.s], ['n', a.n]] as const) {
          names[`#${k}${i}`] = `${k}_${field}`;
          values[`:${k}${i}`] = v;
          adds.push(`#${k}${i} :${k}${i}`);
        }
      });
      items.push({
        Update: {
          TableName,
          Key: { pk: keys.record(tenant, delta.object, delta.id).pk, sk: keys.ROLLUP_SK },
          UpdateExpression: `SET kind = :kind, tenant = :t ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
      roles.push({ role: 'rollup' });
    }
    if (plan.op === 'delete' && plan.dropRollups) {
      items.push({ Delete: { TableName, Key: { pk: recordKey.pk, sk: keys.ROLLUP_SK } } });
      roles.push({ role: 'rollup' });
    }
    if (plan.history) {
      items.push({ Put: { TableName, Item: historyItem(tenant, plan.object, plan.id, plan.history), ConditionExpression: 'attribute_not_exists(pk)' } });
      roles.push({ role: 'history' });
    }
    for (const guard of plan.guardsToAdd) {
      items.push({
        Put: {
          TableName,
          Item: { ...keys.guard(tenant, plan.object, guard.field, guard.key), kind: 'guard', tenant, recordId: plan.id },
          ConditionExpression: 'attribute_not_exists(pk) OR recordId = :id',
          ExpressionAttributeValues: { ':id': plan.id },
        },
      });
      roles.push({ role: 'guardAdd', field: guard.field });
    }
    for (const guard of plan.guardsToRemove) {
      items.push({
        Delete: {
          TableName,
          Key: keys.guard(tenant, plan.object, guard.field, guard.key),
          // Only our own guard: a guard another record holds is never removed by this write.
          ConditionExpression: 'attribute_not_exists(pk) OR recordId = :id',
          ExpressionAttributeValues: { ':id': plan.id },
        },
      });
      roles.push({ role: 'guardRemove', field: guard.field });
    }
    for (const item of plan.alongside ?? []) {
      items.push({ Put: { TableName, Item: item } });
      roles.push({ role: 'alongside' });
    }
    for (const k of plan.matchKeysToRemove ?? []) {
      items.push({ Delete: { TableName, Key: keys.matchKey(tenant, plan.object, k.rule, k.key, plan.id) } });
      roles.push({ role: 'alongside' });
    }
    for (const k of plan.matchKeysToAdd ?? []) {
      items.push({ Put: { TableName, Item: matchKeyItem(tenant, plan.object, k, plan.id) } });
      roles.push({ role: 'alongside' });
    }
    if (plan.effect) {
      items.push({ Put: { TableName, Item: { ...keys.effect(tenant, plan.effect), kind: 'effect', tenant, expiresAt: effectExpiry() }, ConditionExpression: 'attribute_not_exists(pk)' } });
      roles.push({ role: 'effect' });
    }
    // Two fields (or a field and the owner) may name the same record or user: one check, every path.
    const checks = new Map<string, { key: Record<string, string>; paths: string[] }>();
    for (const ref of plan.references) {
      const key = ref.kind === 'user' ? keys.user(tenant, ref.id) : ref.kind === 'team' ? keys.team(tenant, ref.id) : keys.record(tenant, ref.object!, ref.id);
      const id = `${key.pk}|${key.sk}`;
      // A record pointing at itself is already in the transaction, under its own version condition.
      if (key.pk === recordKey.pk) continue;
      const entry = checks.get(id) ?? { key, paths: [] as string[] };
      entry.paths.push(ref.path);
      checks.set(id, entry);
    }
    // A detail record's master must still have the owner the record takes.
    const master = plan.ownerFrom && plan.record ? keys.record(tenant, plan.ownerFrom.object, plan.ownerFrom.id) : null;
    if (master && !checks.has(`${master.pk}|${master.sk}`)) checks.set(`${master.pk}|${master.sk}`, { key: master, paths: [plan.ownerFrom!.path] });
    for (const { key, paths } of checks.values()) {
      if (master && key.pk === master.pk) {
        items.push({
          ConditionCheck: {
            TableName,
            Key: key,
            ConditionExpression: 'attribute_exists(pk) AND #o = :o',
            ExpressionAttributeNames: { '#o': 'owner' },
            ExpressionAttributeValues: { ':o': plan.record!.owner },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        });
        roles.push({ role: 'master', paths, master: masterKey(plan.ownerFrom!.object, plan.ownerFrom!.id) });
        continue;
      }
      items.push({ ConditionCheck: { TableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } });
      roles.push({ role: 'reference', paths });
    }
    return { items, roles };
  }

  /** One page of a list, by Query on the index the plan chose. Never a Scan. */
  async list(tenant: string, plan: ListPlan, cursor: string | null, keep: (record: StoredRecord) => boolean): Promise<ListPage> {
    if (plan.index.kind === 'owners') return this.listOwners(tenant, plan, plan.index.owners, cursor, keep);
    const { indexName, partitionKey, sortKey, partition } = this.indexFor(tenant, plan);
    const values: Record<string, unknown> = { ':p': partition };
    let condition = '#pk = :p';
    const names: Record<string, string> = { '#pk': partitionKey };
    if (plan.sortCondition) {
      names['#sk'] = sortKey;
      if (plan.sortCondition.kind === 'prefix') {
        condition += ' AND begins_with(#sk, :prefix)';
        values[':prefix'] = plan.sortCondition.prefix;
      } else {
        condition += ' AND #sk BETWEEN :low AND :high';
        values[':low'] = plan.sortCondition.low;
        values[':high'] = plan.sortCondition.high;
      }
    }
    let startKey: Record<string, string> | undefined = cursor
      ? decodeCursor(cursor, plan.signature, {
          [partitionKey]: partition,
          [sortKey]: { prefix: '' },
          [TABLE_SPEC.partitionKey]: { prefix: keys.tenantPrefix(tenant) },
          [TABLE_SPEC.sortKey]: { prefix: '' },
        })
      : undefined;

    const records: StoredRecord[] = [];
    let examined = 0;
    let lastKey: Record<string, unknown> | undefined;
    let exhausted = false;
    while (records.length < plan.limit && examined < MAX_EXAMINED) {
      // Ask for what the page still needs; with residual filters, read ahead within the examination bound.
      // Only the owner-scope filter: read just what the page needs first, the scope usually keeps most rows.
      const want = plan.residual.length > 0 ? Math.min(MAX_EXAMINED - examined, Math.max((plan.limit - records.length) * 2, 25)) : plan.limit - records.length;
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !plan.descending,
        Limit: want,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      const page = await this.doc.send(new QueryCommand(input));
      let stoppedEarly = false;
      for (const item of page.Items ?? []) {
        examined++;
        const record = recordFromItem(item);
        if (keep(record)) records.push(record);
        lastKey = { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey], pk: item.pk, sk: item.sk };
        if (records.length >= plan.limit) {
          stoppedEarly = true;
          break;
        }
      }
      if (!page.LastEvaluatedKey && !stoppedEarly) {
        exhausted = true;
        break;
      }
      if (!stoppedEarly) {
        startKey = page.LastEvaluatedKey as Record<string, string>;
        lastKey = page.LastEvaluatedKey;
      }
    }
    return { records, nextCursor: exhausted || !lastKey ? null : encodeCursor(plan.signature, lastKey), examined };
  }

  /**
   * Newest-first merge of several owners' partitions of the by-owner index: one Query per
   * owner per page, in parallel. The cursor holds, per owner, the last id consumed.
   */
  private async listOwners(tenant: string, plan: ListPlan, owners: readonly string[], cursor: string | null, keep: (record: StoredRecord) => boolean): Promise<ListPage> {
    const { indexName, partitionKey, sortKey } = TABLE_SPEC.indexes.byOwner;
    const after = cursor ? decodeCursorKeys(cursor, plan.signature) : {};
    for (const [owner, id] of Object.entries(after)) if (!owners.includes(owner) || !(RECORD_ID.test(id) || id === '')) throw badCursor('it points outside this list');
    const records: StoredRecord[] = [];
    const position: Record<string, string> = { ...after };
    const done = new Set<string>(owners.filter((o) => after[o] === ''));
    let examined = 0;
    while (records.length < plan.limit && examined < MAX_EXAMINED && done.size < owners.length) {
      const want = plan.limit - records.length;
      const pages = await Promise.all(
        owners
          .filter((o) => !done.has(o))
          .map(async (owner) => {
            const pk = keys.ownerPartition(tenant, plan.object, owner);
            const last = position[owner];
            const page = await this.doc.send(
              new QueryCommand({
                TableName: this.tableName,
                IndexName: indexName,
                KeyConditionExpression: last ? '#pk = :p AND #sk < :last' : '#pk = :p',
                ExpressionAttributeNames: { '#pk': partitionKey, ...(last ? { '#sk': sortKey } : {}) },
                ExpressionAttributeValues: { ':p': pk, ...(last ? { ':last': last } : {}) },
                ScanIndexForward: false,
                Limit: want,
              }),
            );
            return { owner, items: (page.Items ?? []).map(recordFromItem), more: page.LastEvaluatedKey !== undefined };
          }),
      );
      const merged = pages.flatMap((p) => p.items.map((r) => ({ owner: p.owner, r }))).sort((a, b) => (a.r.id < b.r.id ? 1 : -1));
      const taken = merged.slice(0, want);
      for (const { owner, r } of taken) {
        examined++;
        position[owner] = r.id;
        if (keep(r)) records.push(r);
      }
      for (const p of pages) {
        const consumedAll = p.items.every((r) => taken.some((t) => t.r.id === r.id));
        if (!p.more && consumedAll) {
          done.add(p.owner);
          position[p.owner] = '';
        }
      }
      if (taken.length === 0) break;
    }
    const finished = done.size >= owners.length;
    return { records, nextCursor: finished ? null : encodeCursor(plan.signature, position), examined };
  }

  private indexFor(tenant: string, plan: ListPlan) {
    switch (plan.index.kind) {
      case 'owners':
        throw new Error('owners lists are merged, not served by one index');
      case 'object':
        return { ...TABLE_SPEC.indexes.byObject, partition: keys.objectPartition(tenant, plan.object) };
      case 'owner':
        return { ...TABLE_SPEC.indexes.byOwner, partition: keys.ownerPartition(tenant, plan.object, plan.index.owner) };
      case 'slot':
        return { ...slotSpec(plan.index.slot), partition: keys.slotPartition(tenant, plan.object, plan.index.partition) };
    }
  }

  /** A record's history, newest first, including after the record is deleted. */
  async history(tenant: string, object: string, id: string, limit: number, cursor: string | null): Promise<{ entries: HistoryEntry[]; nextCursor: string | null }> {
    const pk = keys.record(tenant, object, id).pk;
    const signature = `history:${pk}`;
    const startKey = cursor ? decodeCursor(cursor, signature, { pk, sk: { prefix: keys.HISTORY_PREFIX } }) : undefined;
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
        ExpressionAttributeValues: { ':pk': pk, ':h': keys.HISTORY_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const entries = (page.Items ?? []).map(historyFromItem);
    return { entries, nextCursor: page.LastEvaluatedKey ? encodeCursor(signature, page.LastEvaluatedKey) : null };
  }

  /** Roll-up counters of records, by id (records without any are absent). */
  async rollupItems(tenant: string, object: string, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    const wanted = [...new Set(ids)].map((id) => ({ pk: keys.record(tenant, object, id).pk, sk: keys.ROLLUP_SK }));
    for await (const item of batchGetAll(this.doc, this.tableName, wanted)) out.set(String(item.pk).split('#').at(-1)!, item);
    return out;
  }

  /**
   * Writes a roll-up recomputed from scratch (its count, sum and valued count, or its min/max;
   * null removes them), only if no child write has touched the counters since `seq` was read.
   * Returns false when it lost that race.
   */
  async setRollupTotals(tenant: string, object: string, id: string, field: string, totals: { c: number; s: number; n: number } | { m: number | null }, seq: number): Promise<boolean> {
    const values: Record<string, unknown> = { ':kind': 'rollup', ':t': tenant, ':s': seq };
    const names: Record<string, string> = {};
    const set = ['kind = :kind', 'tenant = :t'];
    const remove: string[] = [];
    const attrs = 'm' in totals ? { m: totals.m } : totals;
    for (const [prefix, value] of Object.entries(attrs)) {
      names[`#${prefix}`] = `${prefix}_${field}`;
      if (value === null) remove.push(`#${prefix}`);
      else {
        set.push(`#${prefix} = :${prefix}`);
        values[`:${prefix}`] = value;
      }
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.record(tenant, object, id).pk, sk: keys.ROLLUP_SK },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: seq === 0 ? 'attribute_not_exists(seq) OR seq = :s' : 'seq = :s',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Every record of an object, page by page over the by-object index (for publish-time checks and backfills). */
  async forEachRecord(tenant: string, object: string, visit: (record: StoredRecord) => void): Promise<number> {
    let start: Record<string, unknown> | undefined;
    let count = 0;
    do {
      const page = await this.doc.send(new QueryCommand({ ...byObjectQuery(this.tableName, tenant, object), ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        visit(recordFromItem(item));
        count++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** How many of an owner's records of an object pass `keep` (one Query chain on the by-owner index). */
  async countOwned(tenant: string, object: string, owner: string, keep: (record: StoredRecord) => boolean): Promise<number> {
    const { indexName, partitionKey } = TABLE_SPEC.indexes.byOwner;
    let start: Record<string, unknown> | undefined;
    let count = 0;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': partitionKey },
          ExpressionAttributeValues: { ':p': keys.ownerPartition(tenant, object, owner) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (keep(recordFromItem(item))) count++;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** Writes the unique guard of an existing value (a field that has just become unique). */
  async putGuard(tenant: string, object: string, field: string, key: string, recordId: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.guard(tenant, object, field, key), kind: 'guard', tenant, recordId },
        ConditionExpression: 'attribute_not_exists(pk) OR recordId = :id',
        ExpressionAttributeValues: { ':id': recordId },
      }),
    );
  }

  /** Whether an object has any record (one item read from the by-object index). */
  async hasAny(tenant: string, object: string): Promise<boolean> {
    const page = await this.doc.send(new QueryCommand({ ...byObjectQuery(this.tableName, tenant, object), Limit: 1 }));
    return (page.Items ?? []).length > 0;
  }

  /** The owner recorded by a record's newest history entry, or null when it has no history. */
  async lastOwner(tenant: string, object: string, id: string): Promise<string | null> {
    const { entries } = await this.history(tenant, object, id, 1, null);
    return entries[0]?.owner || null;
  }

  /**
   * Next value of an auto-number counter: one atomic ADD, so concurrent creates never get
   * the same number. The first value is the field's `start`.
   */
  async nextCounter(tenant: string, object: string, field: string, start: number): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(tenant, object, field),
        UpdateExpression: 'ADD #n :one SET tenant = :t',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1, ':t': tenant },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return start - 1 + Number(Attributes?.n);
  }
}

const masterKey = (object: string, id: string) => `${object}/${id}`;

/** A detail's master changed owner between reading it and committing: read it again. */
class MasterMoved extends Error {
  constructor(
    readonly master: string,
    readonly owner: string,
  ) {
    super(`master ${master} is now owned by ${owner}`);
  }
}

function cancellationError(plan: WritePlan, reasons: readonly CancellationReason[], roles: readonly ItemRole[]): Error {
  const problems: Problem[] = [];
  let duplicate = false;
  // An automation effect applied before: the rest of the transaction failing with it is the same fact.
  if (roles.some((role, i) => role.role === 'effect' && reasons[i]?.Code === 'ConditionalCheckFailed')) {
    return new EngineError('automation.alreadyApplied', `This automation effect was applied already (${plan.effect})`);
  }
  for (let i = 0; i < reasons.length; i++) {
    const reason = reasons[i]!;
    const role = roles[i];
    if (!role || reason.Code !== 'ConditionalCheckFailed') continue;
    if (role.role === 'record') {
      if (plan.expectedVersion === null) return Object.assign(new Error(`record id collision on ${plan.object}/${plan.id}`), { name: 'RecordIdCollision' });
      const current = reason.Item?.version;
      if (!current) return new EngineError('record.notFound', `There is no ${plan.object} record ${plan.id}`, [], { object: plan.object, id: plan.id });
      // The item arrives in DynamoDB JSON inside a cancellation reason.
      const currentVersion = Number((current as { N?: string }).N ?? current);
      return new EngineError('record.versionConflict', `The record is at version ${currentVersion}, not ${plan.expectedVersion}`, [], { currentVersion });
    }
    if (role.role === 'guardAdd') {
      duplicate = true;
      problems.push({ path: `/${role.field}`, code: 'unique', message: `another ${plan.object} record already has this ${role.field}`, params: { field: role.field } });
    }
    if (role.role === 'master') {
      // The item arrives in DynamoDB JSON inside a cancellation reason.
      const owner = reason.Item?.owner as { S?: string } | undefined;
      if (owner?.S) return new MasterMoved(role.master, owner.S);
    }
    if (role.role === 'reference' || role.role === 'master') {
      for (const path of role.paths) problems.push({ path, code: 'notFound', message: `${path.slice(1)} refers to a record that does not exist`, params: { field: path.slice(1) } });
    }
  }
  if (duplicate) return new EngineError('record.duplicate', 'A unique value is already used', problems);
  if (problems.length > 0) return new EngineError('validation.failed', `The ${plan.object} record is not valid`, problems);
  return new Error(`transaction cancelled: ${reasons.map((r) => r.Code).join(',')}`);
}
