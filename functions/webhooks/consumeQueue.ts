import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Services } from '../api/services';
import { WebhookStore } from '../store/webhookStore';
import { MAX_DELAY_SECONDS, parseDeliveryMessage } from './queue';
import type { DeliveryQueue } from './queue';
import { deliverOne } from './runDeliveries';
import type { DeliveryOptions } from './types';

/**
 * The webhook queue's consumer. Each message names one delivery; the table says what to do:
 * - done (delivered, dead) or unknown: nothing;
 * - pending but not due yet (a retry waiting out its backoff, or an attempt under way
 *   elsewhere): announced again for when it is due — SQS delays at most 15 minutes, so
 *   longer waits are a chain of messages;
 * - due: one attempt; after a failed one that will be retried, announced again for its time.
 * A message whose handling throws (the table or the queue unreachable) is reported in
 * `batchItemFailures`: SQS retries it, and after the queue's receive limit moves it to the
 * queue's own dead-letter queue. The delivery's dead list (attempts used up) is in the table.
 */
export async function consumeDeliveryMessages(services: Services, event: SQSEvent, queue: DeliveryQueue | null, options: DeliveryOptions = {}, now: () => Date = () => services.now()): Promise<SQSBatchResponse> {
  const store = new WebhookStore(services.doc, services.tableName);
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      const message = parseDeliveryMessage(record.body);
      if (!message) {
        console.warn(JSON.stringify({ level: 'warn', msg: 'not a webhook delivery message, dropped', messageId: record.messageId }));
        return;
      }
      try {
        const at = now();
        let delivery = await store.delivery(message.tenant, message.id);
        if (delivery?.status === 'pending' && delivery.nextAt && delivery.nextAt <= at.toISOString()) {
          const outcome = await deliverOne(services, message.tenant, message.id, at, options);
          if (outcome !== 'retried') return;
          delivery = await store.delivery(message.tenant, message.id);
        }
        if (delivery?.status !== 'pending' || !delivery.nextAt) return;
        const wait = (Date.parse(delivery.nextAt) - at.getTime()) / 1000;
        await queue?.send([message], Math.min(MAX_DELAY_SECONDS, Math.max(1, wait)));
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'webhook delivery message failed', messageId: record.messageId, error: String(error) }));
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}
