import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { handleStreamRecords } from '../streamConsumer';
import { automationServices } from './services';

/**
 * Lambda entry for the table's stream (a DynamoDB event source with
 * `ReportBatchItemFailures`): after-save rules, timers and webhook deliveries. The first
 * change that fails and everything after it is reported back, so Lambda delivers them again;
 * after the retries a batch goes to the on-failure destination (a dead-letter queue).
 * Needs `TESSERA_TABLE`; `TESSERA_WEBHOOK_QUEUE_URL` announces deliveries on the queue.
 */
export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => handleStreamRecords(automationServices(), event.Records);
