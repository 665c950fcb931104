import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { readonly pk: string; readonly sk: string };

/** DynamoDB's cap on keys per BatchGetItem. */
const BATCH = 100;

/**
 * The items of `wanted` that exist, 100 keys per BatchGetItem, retrying what DynamoDB leaves
 * unprocessed with backoff; it throws rather than answer without some of them.
 */
export async function* batchGetAll(doc: DynamoDBDocumentClient, tableName: string, wanted: readonly Key[], consistent = true): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < wanted.length; i += BATCH) {
    let pending: Array<Record<string, unknown>> = wanted.slice(i, i + BATCH).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept keys unprocessed; try again');
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }));
      for (const item of res.Responses?.[tableName] ?? []) yield item;
      pending = res.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
