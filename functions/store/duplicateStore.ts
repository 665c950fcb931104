import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CompiledObject } from '../engine/compile/compileObject';
import { allMatchKeys } from '../engine/duplicates/duplicateRules';
import type { CompiledDuplicateRule } from '../engine/duplicates/duplicateRules';
import { TABLE_SPEC, keys } from './keys';
import { byObjectQuery } from './byObject';
import { decodeCursor, encodeCursor } from './cursor';
import { matchKeyItem, recordFromItem } from './recordItems';

/** Records read per match key when a save looks for candidates: a key shared by more is too common to say anything (a bound, reported). */
export const MAX_CANDIDATES_PER_KEY = 50;

export interface KeyEntry {
  readonly key: string;
  readonly recordId: string;
}

/**
 * Match keys of duplicate rules: the records sharing a key (one consistent Query on its
 * partition) and every key of a rule in key order (Query on the by-object index), for
 * duplicate groups. Never a Scan.
 */
export class DuplicateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Ids of records holding a key (at most `limit`), read consistently so a record committed a moment ago is found. */
  async recordsWithKey(tenant: string, object: string, rule: string, key: string, limit = MAX_CANDIDATES_PER_KEY): Promise<string[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.matchKeyPartition(tenant, object, rule, key) },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => String(i.sk));
  }

  /** A cursor that continues a rule's key page after the entry (key, record). */
  cursorAfter(tenant: string, object: string, rule: string, entry: KeyEntry): string {
    const { byObject } = TABLE_SPEC.indexes;
    const partition = keys.matchKeyGroups(tenant, object, rule);
    const item = keys.matchKey(tenant, object, rule, entry.key, entry.recordId);
    return encodeCursor(`dups:${partition}`, { [byObject.partitionKey]: partition, [byObject.sortKey]: keys.matchKeyGroupSort(entry.key, entry.recordId), pk: item.pk, sk: item.sk });
  }

  /** One page of a rule's keys in key order, with a cursor. */
  async keyPage(tenant: string, object: string, rule: string, cursor: string | null, limit: number): Promise<{ entries: KeyEntry[]; nextCursor: string | null }> {
    const { byObject } = TABLE_SPEC.indexes;
    const partition = keys.matchKeyGroups(tenant, object, rule);
    const signature = `dups:${partition}`;
    const start = cursor ? decodeCursor(cursor, signature, { [byObject.partitionKey]: partition, [byObject.sortKey]: { prefix: '' }, pk: { prefix: keys.tenantPrefix(tenant) }, sk: { prefix: '' } }) : undefined;
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': byObject.partitionKey },
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      entries: (page.Items ?? []).map((i) => ({ key: String(i.key), recordId: String(i.recordId) })),
      nextCursor: page.LastEvaluatedKey ? encodeCursor(signature, page.LastEvaluatedKey) : null,
    };
  }

  /**
   * Writes the keys of `rules` for every record of an object (a rule published anew, or
   * changed): page by page over the by-object index, 25 items per BatchWriteItem. Idempotent;
   * a record written meanwhile writes its own keys in its transaction.
   */
  async backfill(tenant: string, object: CompiledObject, rules: readonly CompiledDuplicateRule[]): Promise<number> {
    let start: Record<string, unknown> | undefined;
    let records = 0;
    const fieldOf = (name: string) => object.fields.get(name)?.def;
    do {
      const page = await this.doc.send(new QueryCommand({ ...byObjectQuery(this.tableName, tenant, object.name), Limit: 100, ...(start ? { ExclusiveStartKey: start } : {}) }));
      const items = (page.Items ?? []).flatMap((item) => {
        const record = recordFromItem(item);
        records++;
        return allMatchKeys(rules, fieldOf, record.values).map((k) => matchKeyItem(tenant, object.name, k, record.id));
      });
      for (let i = 0; i < items.length; i += 25) await this.batchPut(items.slice(i, i + 25));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  private async batchPut(items: Array<Record<string, unknown>>): Promise<void> {
    let left: Array<Record<string, unknown>> = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt > 8) throw new Error('match keys: unprocessed items after retries');
      const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: left } }));
      left = (res.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
      if (left.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}
