import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { StreamPoller } from '../../functions/local/streamPoller';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * The local stream poller on DynamoDB Local. DynamoDB Local answers TrimmedDataAccessException
 * to an iterator taken while the shard was empty once the first record lands; the poller must
 * read on from where it was, deliver every record once and report nothing.
 */

let api: TestApi;
let dynamo: DynamoDBClient;
const seen: string[] = [];
/** Keys the handler reports as failed the first time it sees them. */
const failOnce = new Set<string>();
let poller: StreamPoller;

beforeAll(async () => {
  api = await createTestApi();
  dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  poller = new StreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: api.tableName,
    intervalMs: 60_000,
    batchSize: 3,
    handle: async (records: DynamoDBRecord[]) => {
      for (const r of records) {
        const sk = r.dynamodb!.Keys!['sk']!.S!;
        if (failOnce.delete(sk)) return { batchItemFailures: [{ itemIdentifier: r.dynamodb!.SequenceNumber! }] };
        seen.push(sk);
      }
      return { batchItemFailures: [] };
    },
  });
});

afterAll(async () => {
  await poller.stop();
  dynamo.destroy();
});

const put = (sk: string) => dynamo.send(new PutItemCommand({ TableName: api.tableName, Item: { pk: { S: 'T#poller' }, sk: { S: sk } } }));

it('takes its iterator on an empty stream and still delivers the first writes, each once, in order', async () => {
  expect(await poller.drain()).toBe(0);
  for (const sk of ['a', 'b', 'c', 'd', 'e']) await put(sk);
  expect(await poller.drain()).toBe(5);
  await put('f');
  expect(await poller.drain()).toBe(1);
  expect(await poller.drain()).toBe(0);
  expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  expect(poller.errors).toEqual([]);
});

it('delivers a batch the handler failed again from the failed record, and nothing before it twice', async () => {
  seen.length = 0;
  failOnce.add('h');
  for (const sk of ['g', 'h', 'i']) await put(sk);
  await poller.drain();
  expect(poller.errors.map((e) => e.message)).toEqual([expect.stringMatching(/delivered again/)]);
  await poller.drain();
  expect(seen).toEqual(['g', 'h', 'i']);
});
