import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CompiledObject } from '../engine/compile/compileObject';
import { indexEntries } from '../engine/records/indexEntries';
import { keys, slotSpec } from './keys';
import { byObjectQuery } from './byObject';
import { recordFromItem } from './recordItems';

/** Records rewritten per page; a crash loses at most one page, and re-running is harmless. */
const PAGE = 100;

/**
 * Writes the slot attributes of `slots` on every record of an object, page by page over
 * the by-object index. Each update is conditioned on the version it read, so a concurrent
 * write (which computes its own entries) always wins. Idempotent: safe to run again.
 */
export async function backfillIndexSlots(doc: DynamoDBDocumentClient, tableName: string, tenant: string, object: CompiledObject, slots: ReadonlySet<number>): Promise<number> {
  let startKey: Record<string, unknown> | undefined;
  let updated = 0;
  do {
    const page = await doc.send(new QueryCommand({ ...byObjectQuery(tableName, tenant, object.name), Limit: PAGE, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) {
      const record = recordFromItem(item);
      const entries = indexEntries(object, record.values, record.id).filter((e) => slots.has(e.slot));
      if (entries.length === 0) continue;
      const names: Record<string, string> = { '#v': 'version' };
      const values: Record<string, unknown> = { ':v': record.version };
      const sets = entries.flatMap((e, i) => {
        const spec = slotSpec(e.slot);
        names[`#p${i}`] = spec.partitionKey;
        names[`#s${i}`] = spec.sortKey;
        values[`:p${i}`] = keys.slotPartition(tenant, object.name, e.partition);
        values[`:s${i}`] = e.sort;
        return [`#p${i} = :p${i}`, `#s${i} = :s${i}`];
      });
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.record(tenant, object.name, record.id),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        updated++;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return updated;
}
