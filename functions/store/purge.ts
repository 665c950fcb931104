import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { byObjectQuery } from './byObject';
import { keys } from './keys';

export interface PurgeOptions {
  /** The removed field's unique-guard key of a value, when it was unique: its guards go too. */
  readonly uniqueKey?: (value: unknown) => string;
  /** Index attributes its removed index left on records (`partitionKey`/`sortKey` of a slot whose partition is `partition`). */
  readonly slots?: ReadonlyArray<{ readonly partitionKey: string; readonly sortKey: string; readonly partition: string }>;
}

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Erases a removed field's stored values from every record of an object (page by page over
 * the by-object index), its unique guards, the index attributes its own index left, and its
 * entries in those records' history. Records keep their version: nobody could see the field,
 * so nothing visible changes. Idempotent, so an interrupted purge is finished by asking again.
 * History of records deleted earlier is not reached (that would need a Scan).
 */
export async function purgeFieldValues(doc: DynamoDBDocumentClient, tableName: string, tenant: string, object: string, field: string, options: PurgeOptions = {}): Promise<{ records: number; historyEntries: number }> {
  let start: Record<string, unknown> | undefined;
  let records = 0;
  let historyEntries = 0;
  do {
    const page = await doc.send(new QueryCommand({ ...byObjectQuery(tableName, tenant, object), ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const listed of page.Items ?? []) {
      const key = { pk: String(listed.pk), sk: String(listed.sk) };
      let item: Record<string, unknown> | undefined = listed;
      for (let attempt = 0; item && attempt < 5; attempt++) {
        const values = (item.values ?? {}) as Record<string, unknown>;
        const slots = (options.slots ?? []).filter((s) => item![s.partitionKey] === s.partition);
        if (!(field in values) && slots.length === 0) break;
        const names: Record<string, string> = { '#values': 'values', '#f': field, '#v': 'version' };
        const removes = field in values ? ['#values.#f'] : [];
        slots.forEach((s, i) => {
          names[`#p${i}`] = s.partitionKey;
          names[`#s${i}`] = s.sortKey;
          removes.push(`#p${i}`, `#s${i}`);
        });
        try {
          await doc.send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: `REMOVE ${removes.join(', ')}`, ConditionExpression: '#v = :v', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':v': item.version } }));
          records++;
          if (options.uniqueKey && field in values) {
            await doc
              .send(new DeleteCommand({ TableName: tableName, Key: keys.guard(tenant, object, field, options.uniqueKey(values[field])), ConditionExpression: 'recordId = :id', ExpressionAttributeValues: { ':id': item.id } }))
              .catch((error: unknown) => {
                if (!conditionFailed(error)) throw error;
              });
          }
          break;
        } catch (error) {
          if (!conditionFailed(error)) throw error;
          item = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item; // changed meanwhile: again
        }
      }
      historyEntries += await purgeHistory(doc, tableName, key.pk, field);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { records, historyEntries };
}

async function purgeHistory(doc: DynamoDBDocumentClient, tableName: string, pk: string, field: string): Promise<number> {
  let start: Record<string, unknown> | undefined;
  let purged = 0;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
        ExpressionAttributeValues: { ':pk': pk, ':h': keys.HISTORY_PREFIX },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const entry of page.Items ?? []) {
      if (!(field in ((entry.changes ?? {}) as Record<string, unknown>))) continue;
      await doc.send(new UpdateCommand({ TableName: tableName, Key: { pk: entry.pk, sk: entry.sk }, UpdateExpression: 'REMOVE #c.#f', ExpressionAttributeNames: { '#c': 'changes', '#f': field } }));
      purged++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return purged;
}
