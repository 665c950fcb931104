import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import { TABLE_SPEC, keys } from './keys';
import { queryAll } from './queryAll';
import { decodeCursor, encodeCursor } from './cursor';

/*
 * Import jobs in the table: the job item (settings, progress, counts), the uploaded rows in
 * chunk items, a dry run's outcomes per chunk, and one outcome item per row of the run —
 * all under the job's partition, read by Query. Jobs are listed newest first through the
 * by-object index.
 */

export interface ImportRowOutcome {
  readonly row: number;
  /** created / updated / skipped / failed (a dry run: create / update / skip / fail). */
  readonly outcome: string;
  readonly recordId?: string;
  /** Why a row was skipped or failed: the write's problem document (code, errors at field pointers), or a reason. */
  readonly problem?: Record<string, unknown>;
  readonly reason?: string;
  /** Fields the write changed (a dry run: would change). */
  readonly changed?: readonly string[];
  /** Records that look like duplicates (warn rules). */
  readonly duplicates?: ReadonlyArray<Record<string, unknown>>;
  /** A dry run: earlier rows of the same file this row matches under a duplicate rule ({rule, action, row, score}). */
  readonly fileDuplicates?: ReadonlyArray<Record<string, unknown>>;
  /** Updated rows: the record before the import's write, and the version that write left. */
  readonly before?: { readonly version: number; readonly owner: string; readonly values: Readonly<Record<string, unknown>> };
  readonly afterVersion?: number;
  /** What the undo did with this row: deleted, restored, conflict (changed since), gone, failed. */
  readonly undo?: { readonly outcome: string; readonly currentVersion?: number; readonly problem?: Record<string, unknown> };
}

export interface ImportChunk {
  readonly chunk: number;
  /** Row number (1-based, as a spreadsheet shows data rows after the header) of the first row. */
  readonly first: number;
  readonly rows: string[][];
}

/** A row's outcome as stored, without the item's keys. */
function outcomeOf(item: Record<string, unknown>): ImportRowOutcome {
  const { pk: _pk, sk: _sk, kind: _kind, tenant: _tenant, ...outcome } = item;
  return outcome as unknown as ImportRowOutcome;
}

export class ImportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The job item and every chunk: chunks first, the job last, so a job never exists without its rows. */
  async create(tenant: string, job: Record<string, unknown> & { id: string }, chunks: readonly ImportChunk[]): Promise<void> {
    const pk = keys.importPartition(tenant, job.id);
    const items = chunks.map((c) => ({ pk, sk: keys.importChunkSk(c.chunk), kind: 'importChunk', tenant, ...c }));
    for (let i = 0; i < items.length; i += 25) await this.batchPut(items.slice(i, i + 25));
    const { byObject } = TABLE_SPEC.indexes;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.importJob(tenant, job.id), kind: 'importJob', tenant, ...job, [byObject.partitionKey]: keys.imports(tenant), [byObject.sortKey]: job.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async job<T>(tenant: string, id: string): Promise<T | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.importJob(tenant, id), ConsistentRead: true }));
    return Item && Item.kind === 'importJob' ? (Item as T) : null;
  }

  /** Replaces the job item if it is still at `revision` (each change bumps it); false when someone else changed it first. */
  async saveJob(tenant: string, job: Record<string, unknown> & { id: string; revision: number }, revision: number): Promise<boolean> {
    const { byObject } = TABLE_SPEC.indexes;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...job, ...keys.importJob(tenant, job.id), kind: 'importJob', tenant, [byObject.partitionKey]: keys.imports(tenant), [byObject.sortKey]: job.id },
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':r': revision },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async jobs<T>(tenant: string, limit: number, cursor: string | null): Promise<{ items: T[]; nextCursor: string | null }> {
    const { byObject } = TABLE_SPEC.indexes;
    const partition = keys.imports(tenant);
    const signature = `imports:${partition}`;
    const start = cursor ? decodeCursor(cursor, signature, { [byObject.partitionKey]: partition, [byObject.sortKey]: { prefix: '' }, pk: { prefix: keys.tenantPrefix(tenant) }, sk: { prefix: '' } }) : undefined;
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': byObject.partitionKey },
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: (page.Items ?? []) as T[], nextCursor: page.LastEvaluatedKey ? encodeCursor(signature, page.LastEvaluatedKey) : null };
  }

  async chunk(tenant: string, id: string, chunk: number): Promise<ImportChunk | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.importPartition(tenant, id), sk: keys.importChunkSk(chunk) }, ConsistentRead: true }));
    return Item ? { chunk: Number(Item.chunk), first: Number(Item.first), rows: Item.rows as string[][] } : null;
  }

  /** The item of a row's outcome, to be put in the transaction of the row's own write. */
  rowItem(tenant: string, id: string, outcome: ImportRowOutcome): Record<string, unknown> {
    return { pk: keys.importPartition(tenant, id), sk: keys.importRowSk(outcome.row), kind: 'importRow', tenant, ...outcome };
  }

  async putRows(tenant: string, id: string, outcomes: readonly ImportRowOutcome[]): Promise<void> {
    const items = outcomes.map((o) => this.rowItem(tenant, id, o));
    for (let i = 0; i < items.length; i += 25) await this.batchPut(items.slice(i, i + 25));
  }

  /** Row outcomes from `first` to `last` (inclusive), consistently: what a resumed batch has already done. */
  async rowRange(tenant: string, id: string, first: number, last: number): Promise<Map<number, ImportRowOutcome>> {
    const out = new Map<number, ImportRowOutcome>();
    const rows = queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': keys.importPartition(tenant, id), ':a': keys.importRowSk(first), ':b': keys.importRowSk(last) },
      ConsistentRead: true,
    });
    for await (const item of rows) out.set(Number(item.row), outcomeOf(item));
    return out;
  }

  /** A page of row outcomes in row order after row `after` (0: from the start). */
  async rows(tenant: string, id: string, after: number, limit: number): Promise<{ items: ImportRowOutcome[]; last: number | null }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': keys.importPartition(tenant, id), ':a': keys.importRowSk(after + 1), ':b': `${keys.IMPORT_ROW_PREFIX}\uffff` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    const items = (page.Items ?? []).map(outcomeOf);
    return { items, last: page.LastEvaluatedKey ? Number(items[items.length - 1]?.row ?? after) : null };
  }

  /** A dry run's batch: its outcomes, and the rows it planned to write as the file's duplicate check keeps them (`fileRows`). */
  async putDry(tenant: string, id: string, chunk: number, outcomes: readonly ImportRowOutcome[], fileRows: readonly unknown[] = []): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: keys.importPartition(tenant, id), sk: keys.importDrySk(chunk), kind: 'importDry', tenant, chunk, outcomes, fileRows } }));
  }

  /** The `fileRows` of the dry run's batches before `chunk`, in order: one Query, projected. */
  async dryFileRows<T>(tenant: string, id: string, chunk: number): Promise<T[]> {
    if (chunk === 0) return [];
    const out: T[] = [];
    const batches = queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': keys.importPartition(tenant, id), ':a': keys.importDrySk(0), ':b': keys.importDrySk(chunk - 1) },
      ProjectionExpression: 'fileRows',
      ConsistentRead: true,
    });
    for await (const item of batches) out.push(...((item.fileRows ?? []) as T[]));
    return out;
  }

  async dry(tenant: string, id: string, chunk: number): Promise<ImportRowOutcome[] | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.importPartition(tenant, id), sk: keys.importDrySk(chunk) }, ConsistentRead: true }));
    return Item ? (Item.outcomes as ImportRowOutcome[]) : null;
  }

  private async batchPut(items: Array<Record<string, unknown>>): Promise<void> {
    let left: Array<Record<string, unknown>> = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt > 8) throw new EngineError('internal.error', 'The table did not take the import items; try again');
      const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: left } }));
      left = (res.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
      if (left.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}
