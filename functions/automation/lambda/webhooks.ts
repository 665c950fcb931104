import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EngineError } from '../../engine/errors';
import { createServices } from '../../api/services';
import { configFromEnv } from '../../store/client';
import { consumeDeliveryMessages } from '../../webhooks/consumeQueue';
import { deliveryQueueFromEnv } from '../../webhooks/queue';

/**
 * Lambda entry for the webhook delivery queue (an SQS event source with
 * `reportBatchItemFailures`). Needs `TESSERA_TABLE` and `TESSERA_WEBHOOK_QUEUE_URL` (to chain
 * retries); `TESSERA_WEBHOOK_BASE_DELAY_MS`, `TESSERA_WEBHOOK_MAX_ATTEMPTS` and
 * `TESSERA_WEBHOOK_TIMEOUT_MS` tune attempts. It verifies no tokens: nobody calls it but SQS.
 */
const services = createServices({
  store: configFromEnv(),
  tokens: { verify: () => Promise.reject(new EngineError('auth.invalidToken', 'The webhook function takes no tokens')) },
  metadataTtlMs: Number(process.env.TESSERA_METADATA_TTL_MS ?? 1000),
});
const queue = deliveryQueueFromEnv();

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => consumeDeliveryMessages(services, event, queue);
