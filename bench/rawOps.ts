import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/store/keys';

/*
 * The raw comparators: each API operation's DynamoDB requests, written directly with a
 * DocumentClient of the same configuration. They mirror RecordStore.transaction() item for
 * item (conditions included), so a ratio measures what the API adds, not a different write.
 */

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** The items one API create wrote, read back, to be re-keyed for raw creates of the same size. */
export interface CreateTemplate {
  readonly tableName: string;
  readonly tenant: string;
  readonly recordId: string;
  readonly historyId: string;
  readonly email: string;
  readonly record: Item;
  readonly history: Item;
  readonly guard: Item;
  /** Key of the user the record refers to: the transaction's ConditionCheck. */
  readonly userKey: { pk: string; sk: string };
}

export async function captureCreateTemplate(
  doc: DynamoDBDocumentClient,
  tableName: string,
  tenant: string,
  object: string,
  recordId: string,
  email: string,
  userId: string,
): Promise<CreateTemplate> {
  const recordKey = keys.record(tenant, object, recordId);
  const { Item: record } = await doc.send(new GetCommand({ TableName: tableName, Key: recordKey, ConsistentRead: true }));
  const { Items: histories } = await doc.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)', ExpressionAttributeValues: { ':pk': recordKey.pk, ':h': keys.HISTORY_PREFIX }, ConsistentRead: true }),
  );
  // E-mails in the fixture are lower-case, so the guard key is the address itself.
  const { Item: guard } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.guard(tenant, object, 'contact_email', email), ConsistentRead: true }));
  const history = histories?.[0];
  if (!record || !history || !guard) throw new Error(`could not read back the items of ${object}/${recordId} (record ${!!record}, history ${!!history}, guard ${!!guard})`);
  return { tableName, tenant, recordId, historyId: String(history.id), email, record, history, guard, userKey: keys.user(tenant, userId) };
}

/** Replaces every occurrence of the template's ids and e-mail in strings, keys and nested values. */
function rekey<T>(value: T, swaps: ReadonlyArray<readonly [string, string]>): T {
  if (typeof value === 'string') return swaps.reduce<string>((s, [from, to]) => s.split(from).join(to), value) as T;
  if (Array.isArray(value)) return value.map((v) => rekey(v, swaps)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [rekey(k, swaps), rekey(v, swaps)])) as T;
  }
  return value;
}

/** The create transaction for a new record id, history id and e-mail: built before the timer starts. */
export function createItems(t: CreateTemplate, recordId: string, historyId: string, email: string): TransactItems {
  const swaps = [
    [t.recordId, recordId],
    [t.historyId, historyId],
    [t.email, email],
  ] as const;
  const TableName = t.tableName;
  return [
    { Put: { TableName, Item: rekey(t.record, swaps), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    { Put: { TableName, Item: rekey(t.history, swaps), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName, Item: rekey(t.guard, swaps), ConditionExpression: 'attribute_not_exists(pk) OR recordId = :id', ExpressionAttributeValues: { ':id': recordId } } },
    { ConditionCheck: { TableName, Key: t.userKey, ConditionExpression: 'attribute_exists(pk)' } },
  ];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export const rawTransact = (doc: DynamoDBDocumentClient, items: TransactItems) => timed(() => doc.send(new TransactWriteCommand({ TransactItems: items })));

/** An auto-number create: one atomic counter ADD, then the transaction. */
export const rawCounterThenTransact = (doc: DynamoDBDocumentClient, tableName: string, counterKey: { pk: string; sk: string }, tenant: string, items: TransactItems) =>
  timed(async () => {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: counterKey,
        UpdateExpression: 'ADD #n :one SET tenant = :t',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1, ':t': tenant },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
  });

export const rawGet = (doc: DynamoDBDocumentClient, tableName: string, key: { pk: string; sk: string }) =>
  timed(async () => {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item) throw new Error(`raw get: no item ${key.pk}`);
  });

/**
 * A patch as the store does it: a consistent GetItem, then one transaction of the record
 * Put under a version condition and the history entry Put.
 */
export function rawPatch(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  change: Readonly<Record<string, unknown>>,
  ctx: { historyId: string; userId: string; at: string },
): Promise<number> {
  return timed(async () => {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item) throw new Error(`raw patch: no item ${key.pk}`);
    const version = Number(Item.version);
    const values = Item.values as Record<string, unknown>;
    const changes = Object.fromEntries(Object.entries(change).map(([name, value]) => [name, { old: values[name] ?? null, new: value }]));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...Item, version: version + 1, updatedAt: ctx.at, updatedBy: ctx.userId, values: { ...values, ...change } },
              ConditionExpression: '#v = :v',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': version },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: key.pk, sk: keys.historySk(ctx.historyId), kind: 'history', tenant: Item.tenant, object: Item.object, recordId: Item.id, id: ctx.historyId, at: ctx.at, by: ctx.userId, op: 'update', version: version + 1, changes },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  });
}

/** A Query that must return a full page (`Limit` items) unless `partial`: a short page would compare unlike with unlike. */
export const rawQuery = (doc: DynamoDBDocumentClient, input: QueryCommandInput, partial = false) =>
  timed(async () => {
    const page = await doc.send(new QueryCommand(input));
    const n = page.Items?.length ?? 0;
    if (partial ? n === 0 : n !== input.Limit) throw new Error(`raw query: ${n} items, expected ${partial ? 'some' : input.Limit}`);
  });
