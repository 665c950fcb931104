import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * In AWS, a delivery enqueued in the table is also announced on the webhook queue, so the
 * webhook function attempts it within seconds instead of at the next tick. The message says
 * only which delivery (tenant, id): the item in the table stays the truth about its payload,
 * attempts and status, and a message that arrives twice or late finds it already done.
 */
export interface DeliveryMessage {
  readonly tenant: string;
  readonly id: string;
}

export interface DeliveryQueue {
  /** Announces deliveries, to be attempted after `delaySeconds` (0–900, SQS's limit). */
  send(messages: readonly DeliveryMessage[], delaySeconds?: number): Promise<void>;
}

/** SQS holds a message back at most 15 minutes; longer waits are chained (see `lambda/webhooks.ts`). */
export const MAX_DELAY_SECONDS = 900;
/** SendMessageBatch takes at most 10 entries. */
const BATCH = 10;

/** The queue in `TESSERA_WEBHOOK_QUEUE_URL`, or null (the local runtime: the tick finds due deliveries in the table). */
export function deliveryQueueFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryQueue | null {
  const url = env.TESSERA_WEBHOOK_QUEUE_URL;
  return url ? sqsDeliveryQueue(url, env.AWS_REGION) : null;
}

let sqsModule: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;
const clients = new Map<string, SQSClient>();

export function sqsDeliveryQueue(queueUrl: string, region?: string): DeliveryQueue {
  // Loaded on first use: functions that never send (and the local runtime) do not load the SQS client.
  const sqs = async () => {
    const mod = await (sqsModule ??= import('@aws-sdk/client-sqs'));
    const key = region ?? '';
    let c = clients.get(key);
    if (!c) clients.set(key, (c = new mod.SQSClient(region ? { region } : {})));
    return { client: c, SendMessageBatchCommand: mod.SendMessageBatchCommand };
  };
  return {
    async send(messages, delaySeconds = 0) {
      const { client: c, SendMessageBatchCommand } = await sqs();
      const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds)));
      for (let i = 0; i < messages.length; i += BATCH) {
        const batch = messages.slice(i, i + BATCH);
        const result = await c.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify({ tenant: m.tenant, id: m.id }), ...(delay ? { DelaySeconds: delay } : {}) })),
          }),
        );
        if (result.Failed?.length) throw new Error(`SQS refused ${result.Failed.length} of ${batch.length} messages: ${result.Failed[0]?.Message ?? result.Failed[0]?.Code}`);
      }
    },
  };
}

/** A message body back into a delivery reference, or null when it is not one. */
export function parseDeliveryMessage(body: string): DeliveryMessage | null {
  try {
    const m = JSON.parse(body) as Partial<DeliveryMessage>;
    return typeof m.tenant === 'string' && typeof m.id === 'string' && /^[0-9a-f]{32}$/.test(m.id) ? { tenant: m.tenant, id: m.id } : null;
  } catch {
    return null;
  }
}
