import { createHash, randomUUID } from 'node:crypto';
import type { MetadataBundle, WebhookDef } from '../engine/metadata/types';
import type { Services } from '../api/services';
import { WebhookStore } from '../store/webhookStore';
import type { DeliveryItem } from '../store/webhookStore';
import { keys } from '../store/keys';
import { deliveryQueueFromEnv } from './queue';
import type { DeliveryQueue } from './queue';
import { signingSecrets } from './secrets';
import { sendWebhook } from './send';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_HEADER, signatureHeader } from './signature';
import type { DeliveryOptions, DeliveryOutcome, WebhookDelivery } from './types';

const num = (raw: string | undefined, fallback: number) => (raw !== undefined && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : fallback);

/** Options with every default applied: explicit options, then the environment, then the defaults documented on `DeliveryOptions`. */
export function deliverySettings(options: DeliveryOptions = {}, env: NodeJS.ProcessEnv = process.env) {
  return {
    baseDelayMs: options.baseDelayMs ?? num(env.TESSERA_WEBHOOK_BASE_DELAY_MS, 60_000),
    maxDelayMs: options.maxDelayMs ?? 6 * 60 * 60 * 1000,
    maxAttempts: options.maxAttempts ?? num(env.TESSERA_WEBHOOK_MAX_ATTEMPTS, 8),
    timeoutMs: options.timeoutMs ?? num(env.TESSERA_WEBHOOK_TIMEOUT_MS, 10_000),
    limit: options.limit ?? 100,
    overdueMs: options.overdueMs ?? 0,
    concurrency: options.concurrency ?? 8,
    keepDeliveredDays: options.keepDeliveredDays ?? 30,
    lookup: options.lookup,
  };
}
type Settings = ReturnType<typeof deliverySettings>;

/**
 * The wait before the attempt after `attempts` failed ones: base × 2^(attempts−1), capped,
 * plus up to 10 % derived from the delivery id, so deliveries that failed together (a receiver
 * that was down) do not all come back in the same second.
 */
export function retryDelayMs(id: string, attempts: number, settings: Pick<Settings, 'baseDelayMs' | 'maxDelayMs'>): number {
  const plain = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const spread = Number.parseInt(createHash('sha256').update(`${id}:${attempts}`).digest('hex').slice(0, 4), 16) / 0xffff;
  return Math.round(plain * (1 + 0.1 * spread));
}

const storeOf = (services: Services) => new WebhookStore(services.doc, services.tableName);

let envQueue: DeliveryQueue | null | undefined;
/** The queue deliveries are announced on: `TESSERA_WEBHOOK_QUEUE_URL` in AWS, none locally. */
export function webhookQueue(): DeliveryQueue | null {
  if (envQueue === undefined) envQueue = deliveryQueueFromEnv();
  return envQueue;
}
/** Tests replace the queue (null: none). */
export function setWebhookQueue(queue: DeliveryQueue | null | undefined): void {
  envQueue = queue;
}

/**
 * Puts each delivery in the table unless it is there already (the same change enqueued
 * twice puts one item), then — with a queue configured — announces them all on it (an
 * announcement for a delivery that is done or in progress is dropped by the consumer).
 */
export async function enqueueDeliveries(services: Services, deliveries: readonly WebhookDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const store = storeOf(services);
  const createdAt = services.now().toISOString();
  await Promise.all(
    deliveries.map((d) =>
      store.enqueue({
        tenant: d.tenant,
        id: d.id,
        webhook: d.webhook,
        object: d.payload.object,
        recordId: String(d.payload.record.id ?? ''),
        event: d.payload.event,
        ...(d.source ? { source: d.source } : {}),
        body: JSON.stringify(d.payload),
        createdAt,
      }),
    ),
  );
  await webhookQueue()?.send(deliveries.map((d) => ({ tenant: d.tenant, id: d.id })));
}

/** Published webhooks and settings per tenant, trusted for the services' metadata TTL. */
const published = new Map<string, { version: number; bundle: MetadataBundle; readAt: number }>();
async function publishedBundle(services: Services, tenant: string): Promise<MetadataBundle | null> {
  const hit = published.get(tenant);
  if (hit && Date.now() - hit.readAt < services.metadataTtlMs) return hit.bundle;
  const version = await services.metadata.head(tenant);
  if (version === 0) return null;
  if (hit?.version === version) {
    published.set(tenant, { ...hit, readAt: Date.now() });
    return hit.bundle;
  }
  const stored = await services.metadata.version(tenant, version);
  if (!stored) return null;
  published.set(tenant, { version, bundle: stored.bundle, readAt: Date.now() });
  return stored.bundle;
}

/** Why a delivery cannot be attempted with the published metadata, or the webhook it goes to. */
function currentWebhook(bundle: MetadataBundle | null, name: string): WebhookDef | string {
  const webhook = bundle?.webhooks?.find((w) => w.name === name);
  if (!webhook) return `the webhook "${name}" is no longer published`;
  if (webhook.active === false) return `the webhook "${name}" is inactive`;
  return webhook;
}

/**
 * One attempt at one delivery, if it is pending and due: claim it, send it signed to the
 * webhook's URL as published now, and record the outcome — delivered, retried later with
 * backoff, or parked in the dead list (attempts used up, the address refused, or the webhook
 * gone or inactive).
 */
export async function deliverOne(services: Services, tenant: string, id: string, now: Date, options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const settings = deliverySettings(options);
  const store = storeOf(services);
  const token = randomUUID();
  const at = now.toISOString();
  // The claim holds the delivery past the attempt's own time limit; a worker that dies frees it then.
  const claimed = await store.claim(tenant, id, at, new Date(now.getTime() + settings.timeoutMs + 60_000).toISOString(), token);
  if (!claimed) return 'skipped';
  return attempt(services, store, claimed, token, now, settings);
}

async function attempt(services: Services, store: WebhookStore, delivery: DeliveryItem, token: string, now: Date, settings: Settings): Promise<DeliveryOutcome> {
  const at = now.toISOString();
  const bundle = await publishedBundle(services, delivery.tenant);
  const webhook = currentWebhook(bundle, delivery.webhook);
  if (typeof webhook === 'string') {
    await store.finish(delivery.tenant, delivery.id, token, { outcome: 'dead', at, error: webhook });
    return 'dead';
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  const secrets = await signingSecrets(store, delivery.tenant, delivery.webhook, now);
  const result = await sendWebhook({
    url: webhook.url,
    body: delivery.body,
    headers: {
      [SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, delivery.body),
      [DELIVERY_HEADER]: delivery.id,
      [EVENT_HEADER]: `${delivery.object}.${delivery.event}`,
      [WEBHOOK_HEADER]: delivery.webhook,
    },
    allowHosts: bundle?.settings?.webhooks?.allowHosts,
    timeoutMs: settings.timeoutMs,
    ...(settings.lookup ? { lookup: settings.lookup } : {}),
  });
  const url = webhook.url;
  if (result.ok) {
    const expiresAt = Math.floor(now.getTime() / 1000) + settings.keepDeliveredDays * 86_400;
    await store.finish(delivery.tenant, delivery.id, token, { outcome: 'delivered', at, status: result.status, url, expiresAt });
    return 'delivered';
  }
  const failure = { at, error: result.error.slice(0, 1000), url, ...(result.status !== undefined ? { status: result.status } : {}) };
  if (result.refused || delivery.attempts >= settings.maxAttempts) {
    await store.finish(delivery.tenant, delivery.id, token, { outcome: 'dead', ...failure });
    return 'dead';
  }
  const nextAt = new Date(now.getTime() + retryDelayMs(delivery.id, delivery.attempts, settings)).toISOString();
  await store.finish(delivery.tenant, delivery.id, token, { outcome: 'retry', nextAt, ...failure });
  return 'retried';
}

/**
 * Attempts every delivery due by `now`, across tenants: one Query per shard of the due index
 * (never a Scan), then a claim per delivery so two runners never attempt the same one at
 * once. The local runtime's tick calls this; in AWS the one-minute schedule should too, with
 * `overdueMs`, as the backstop behind the queue.
 */
export async function runDueDeliveries(services: Services, now: Date, options: DeliveryOptions = {}): Promise<{ delivered: number; retried: number; dead: number }> {
  const settings = deliverySettings(options);
  const store = storeOf(services);
  const perShard = Math.max(1, Math.ceil(settings.limit / keys.WEBHOOK_DUE_SHARDS));
  const shards = Array.from({ length: keys.WEBHOOK_DUE_SHARDS }, (_, i) => i);
  const dueBy = new Date(now.getTime() - settings.overdueMs).toISOString();
  const due = (await Promise.all(shards.map((s) => store.dueIn(s, dueBy, perShard)))).flat().slice(0, settings.limit);
  const counts = { delivered: 0, retried: 0, dead: 0 };
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const { tenant, id } = due[next++]!;
      const outcome = await deliverOne(services, tenant, id, now, options);
      if (outcome !== 'skipped') counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, due.length) }, worker));
  return counts;
}
