import { EngineError } from '../../engine/errors';
import { API_NAME } from '../../engine/metadata/types';
import { WebhookStore } from '../../store/webhookStore';
import type { DeliveryItem } from '../../store/webhookStore';
import { webhookQueue } from '../../webhooks/runDeliveries';
import { rotateWebhookSecret, webhookSecret } from '../../webhooks/secrets';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { requireAdmin } from './adminAccess';

/*
 * Administering webhooks (all need manageMetadata): each webhook's signing secret — shown,
 * made on first use, rotated — and the dead list — listed, one delivery read, replayed.
 * Signing secrets and deliveries are in the table, not in the metadata that is kept in git.
 */

const storeOf = (services: Services) => new WebhookStore(services.doc, services.tableName);

function audit(services: Services, user: UserContext, action: string, target: string, after?: unknown): Promise<void> {
  return services.audit.record(user.tenantId, { id: services.newId(), at: services.now().toISOString(), actor: user.userId, action, target, ...(after === undefined ? {} : { after }) });
}

/** A webhook of the published metadata or the draft (an administrator sets the receiver up before publishing). */
async function knownWebhook(services: Services, tenant: string, name: string): Promise<void> {
  if (!API_NAME.test(name)) throw new EngineError('metadata.notFound', `There is no webhook "${name}"`, [], { webhook: name });
  const head = await services.metadata.head(tenant);
  const published = head ? (await services.metadata.version(tenant, head))?.bundle : undefined;
  if (published?.webhooks?.some((w) => w.name === name)) return;
  const draft = await services.metadata.draft(tenant);
  if (draft?.bundle.webhooks?.some((w) => w.name === name)) return;
  throw new EngineError('metadata.notFound', `There is no webhook "${name}" in the published metadata or the draft`, [], { webhook: name });
}

export interface SecretView {
  readonly webhook: string;
  readonly secret: string;
  readonly createdAt: string;
  /** While set, deliveries carry a second signature made with the previous secret. */
  readonly previousValidUntil?: string;
}

export async function showWebhookSecret(services: Services, user: UserContext, name: string): Promise<SecretView> {
  await requireAdmin(services, user, 'manageMetadata');
  await knownWebhook(services, user.tenantId, name);
  const item = await webhookSecret(storeOf(services), user.tenantId, name, services.now());
  await audit(services, user, 'webhook.secretShown', `webhook/${name}`);
  return { webhook: name, secret: item.secret, createdAt: item.createdAt, ...(item.previousUntil ? { previousValidUntil: item.previousUntil } : {}) };
}

export async function rotateSecret(services: Services, user: UserContext, name: string): Promise<SecretView> {
  await requireAdmin(services, user, 'manageMetadata');
  await knownWebhook(services, user.tenantId, name);
  const item = await rotateWebhookSecret(storeOf(services), user.tenantId, name, services.now());
  await audit(services, user, 'webhook.secretRotated', `webhook/${name}`, { previousValidUntil: item.previousUntil });
  return { webhook: name, secret: item.secret, createdAt: item.createdAt, ...(item.previousUntil ? { previousValidUntil: item.previousUntil } : {}) };
}

/** A delivery as an administrator reads it; the payload only when one delivery is asked for. */
function deliveryView(item: DeliveryItem, withPayload: boolean): Record<string, unknown> {
  const { body, lease: _lease, tenant: _tenant, ...rest } = item;
  return { ...rest, ...(withPayload ? { payload: JSON.parse(body) as unknown } : {}) };
}

const DELIVERY_ID = /^[0-9a-f]{32}$/;
const notFound = (id: string) => new EngineError('record.notFound', `There is no webhook delivery "${id}"`, [], { delivery: id });

export async function listDeadDeliveries(services: Services, user: UserContext, query: Readonly<Record<string, string | undefined>>): Promise<{ items: unknown[]; nextCursor?: string }> {
  await requireAdmin(services, user, 'manageMetadata');
  if ((query.status ?? 'dead') !== 'dead') throw new EngineError('query.invalid', 'Only dead deliveries are listed: ?status=dead', [{ path: '/status', code: 'enum', message: 'must be dead' }]);
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new EngineError('query.invalid', 'limit is 1–200', [{ path: '/limit', code: 'range', message: 'must be an integer from 1 to 200' }]);
  const page = await storeOf(services).dead(user.tenantId, limit, query.cursor);
  return { items: page.items.map((d) => deliveryView(d, false)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function getDelivery(services: Services, user: UserContext, id: string): Promise<Record<string, unknown>> {
  await requireAdmin(services, user, 'manageMetadata');
  const item = DELIVERY_ID.test(id) ? await storeOf(services).delivery(user.tenantId, id) : null;
  if (!item) throw notFound(id);
  return deliveryView(item, true);
}

/** A dead delivery back in the queue, due now, attempts counted afresh (the same id and body, so receivers still see one event). */
export async function replayDelivery(services: Services, user: UserContext, id: string): Promise<Record<string, unknown>> {
  await requireAdmin(services, user, 'manageMetadata');
  const store = storeOf(services);
  if (!DELIVERY_ID.test(id)) throw notFound(id);
  const item = await store.replay(user.tenantId, id, services.now().toISOString());
  if (!item) {
    const current = await store.delivery(user.tenantId, id);
    if (!current) throw notFound(id);
    throw new EngineError('request.invalid', `Only a dead delivery is replayed; this one is ${current.status}`, [{ path: '', code: 'notDead', message: `the delivery is ${current.status}`, params: { status: current.status } }]);
  }
  await webhookQueue()?.send([{ tenant: user.tenantId, id }]);
  await audit(services, user, 'webhook.replayed', `webhookDelivery/${id}`, { webhook: item.webhook });
  return deliveryView(item, false);
}
