import { createHash } from 'node:crypto';
import { EngineError } from '../engine/errors';
import type { MetadataBundle, ObjectDef, WebhookDef } from '../engine/metadata/types';
import { ConditionSet, changedFields, factsOf } from '../engine/rules/conditions';
import type { StoredRecord } from '../engine/records/types';
import type { RecordChange, WebhookDelivery, WebhookPayload } from './types';

/**
 * The delivery id: a hash of what makes a delivery one — the tenant, the stream event, the
 * webhook and, for an automation action, the rule and the action's index. A stream batch
 * delivered twice yields the same ids, and the conditional put keeps one item per id.
 */
export function deliveryId(tenant: string, eventId: string, webhook: string, source?: { rule: string; action: number }): string {
  const parts = [tenant, eventId, webhook, ...(source ? [source.rule, String(source.action)] : [])];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** The record as the API shows it, limited to the fields the object has now (a removed field's stored value is not sent). */
function apiRecord(object: ObjectDef | undefined, record: StoredRecord): Record<string, unknown> {
  const fields = new Set(object?.fields.map((f) => f.name));
  return {
    id: record.id,
    version: record.version,
    owner: record.owner,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
    ...Object.fromEntries(Object.entries(record.values).filter(([name]) => fields.has(name))),
  };
}

function payloadOf(bundle: MetadataBundle, change: RecordChange, id: string, webhook: string, rule?: string): WebhookPayload {
  const object = bundle.objects.find((o) => o.name === change.object);
  const fields = new Set(object?.fields.map((f) => f.name));
  const previous =
    change.event === 'updated' && change.before && change.after
      ? Object.fromEntries(changedFields(change.before, change.after).filter((f) => fields.has(f)).map((f) => [f, change.before![f] ?? null]))
      : undefined;
  return {
    id,
    webhook,
    event: change.event,
    object: change.object,
    record: apiRecord(object, change.record),
    ...(previous ? { previous } : {}),
    occurredAt: change.at,
    ...(rule ? { rule } : {}),
  };
}

/** Condition sets per bundle and object: compiled once per published version in this container. */
const compiled = new WeakMap<MetadataBundle, Map<string, ConditionSet<WebhookDef>>>();
function subscriptions(bundle: MetadataBundle, object: string): ConditionSet<WebhookDef> {
  let byObject = compiled.get(bundle);
  if (!byObject) compiled.set(bundle, (byObject = new Map()));
  let set = byObject.get(object);
  if (!set) {
    const hooks = (bundle.webhooks ?? []).filter((w) => w.object === object && w.active !== false);
    set = new ConditionSet(hooks.map((w) => ({ conditions: w.conditions, payload: w })));
    byObject.set(object, set);
  }
  return set;
}

/** The facts a webhook's conditions read: the values after the change (before it, on delete). */
const factsFor = (change: RecordChange, now: Date) =>
  factsOf({ values: change.after ?? change.before ?? {}, previous: change.event === 'created' ? null : change.before, user: { id: change.actor, roles: [] }, event: change.event, now });

/** The subscriptions to this object and event whose conditions hold, as deliveries to enqueue. */
export async function webhookDeliveriesFor(bundle: MetadataBundle, change: RecordChange, now: Date): Promise<WebhookDelivery[]> {
  const set = subscriptions(bundle, change.object);
  if (set.size === 0) return [];
  const matching = (await set.matching(factsFor(change, now))).filter((w) => w.events.includes(change.event));
  return matching.map((w) => {
    const id = deliveryId(change.tenant, change.eventId, w.name);
    return { id, tenant: change.tenant, webhook: w.name, payload: payloadOf(bundle, change, id, w.name) };
  });
}

/**
 * The delivery an automation rule's `{ type: 'webhook' }` action asks for: the rule's own
 * conditions decided it, so the webhook's events and conditions are not consulted; an
 * inactive webhook is still refused at delivery time.
 */
export function deliveryForAction(bundle: MetadataBundle, change: RecordChange, webhookName: string, source: { rule: string; action: number }, _now: Date): WebhookDelivery {
  const webhook = (bundle.webhooks ?? []).find((w) => w.name === webhookName);
  if (!webhook) throw new EngineError('metadata.notFound', `There is no webhook "${webhookName}"`, [], { webhook: webhookName });
  const id = deliveryId(change.tenant, change.eventId, webhookName, source);
  return { id, tenant: change.tenant, webhook: webhookName, source, payload: payloadOf(bundle, change, id, webhookName, source.rule) };
}
