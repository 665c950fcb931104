import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import { StreamPoller } from '../../functions/local/streamPoller';
import type { TestApi } from './testApi';

/**
 * The test table's stream handed to the stream consumer, as Lambda's event source does in AWS.
 * `keep` collects each batch delivered (to deliver one again); `intervalMs` 60 s leaves delivery
 * to the test's own `drain()` calls.
 */
export function consumerPoller(api: TestApi, options: { keep?: DynamoDBRecord[][]; intervalMs?: number } = {}): StreamPoller {
  return new StreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: api.tableName,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    handle: async (records) => {
      options.keep?.push(records);
      return handleStreamRecords(api.services, records);
    },
  });
}

/** Drains until the stream is quiet: changes that automation makes are delivered in later rounds. */
export async function settle(poller: StreamPoller, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) if ((await poller.drain()) === 0) return;
}
