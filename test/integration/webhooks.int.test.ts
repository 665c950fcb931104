import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataBundle, ObjectDef, WebhookDef } from '../../functions/engine/metadata/types';
import type { StoredRecord } from '../../functions/engine/records/types';
import { deliveryForAction, enqueueDeliveries, runDueDeliveries, setWebhookQueue, verifySignature, webhookDeliveriesFor } from '../../functions/webhooks';
import type { RecordChange, WebhookDelivery } from '../../functions/webhooks';
import { consumeDeliveryMessages } from '../../functions/webhooks/consumeQueue';
import type { DeliveryMessage, DeliveryQueue } from '../../functions/webhooks/queue';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Webhooks end to end on DynamoDB Local, with a real HTTP receiver on 127.0.0.1 (allowed by
 * the tenant's settings.webhooks.allowHosts, as in local development). Time is passed to
 * runDueDeliveries explicitly, so backoff is observed without waiting for it.
 */

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let receiver: Server;
let port: number;
let received: Received[] = [];
/** What the receiver answers to the n-th request of the current test (1-based). */
let answer: (n: number) => number = () => 200;

const L = (en: string) => ({ en });
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name') },
    { name: 'amount', type: 'number', label: L('Amount') },
    { name: 'stage', type: 'picklist', label: L('Stage'), options: [{ value: 'open', label: L('Open') }, { value: 'won', label: L('Won') }] },
  ],
};

let api: TestApi;
let token: string;
let tenant: string;
let bundle: MetadataBundle;
const BASE = 1000;
const OPTIONS = { baseDelayMs: BASE, maxAttempts: 3, timeoutMs: 2000 };

const hook = (name: string, extra: Partial<WebhookDef> = {}): WebhookDef => ({ name, object: 'deal', events: ['created', 'updated', 'deleted'], url: `http://127.0.0.1:${port}/${name}`, ...extra });

let eventCounter = 0;
function change(event: RecordChange['event'], after: Record<string, unknown> | null, before: Record<string, unknown> | null = null, eventId = `ev-${Date.now()}-${eventCounter++}`): RecordChange {
  const values = after ?? before ?? {};
  const record: StoredRecord = { object: 'deal', id: '01JDEAL00000000000000000AA', version: event === 'created' ? 1 : 2, owner: 'u1', createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'u1', updatedAt: '2026-11-02T00:00:00.000Z', updatedBy: 'u1', values };
  return { eventId, tenant, object: 'deal', id: record.id, event, before, after, record, previous: null, actor: 'u1', at: '2026-11-02T00:00:00.000Z', depth: 0 };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answer(received.length);
      res.end(res.statusCode < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;

  api = await createTestApi();
  ({ token, tenantId: tenant } = await api.tenant());
  bundle = {
    objects: [deal],
    webhooks: [
      hook('all_changes'),
      hook('big_deals', { events: ['created'], conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1000 }] } }),
      hook('paused', { active: false }),
      hook('flaky', { events: ['deleted'] }),
      // Not a literal address, so publishing accepts it; the tests' resolver points it at 127.0.0.1.
      { name: 'sneaky', object: 'deal', events: ['deleted'], url: `https://hooks.tessera.test:${port}/sneaky` },
    ],
    settings: { webhooks: { allowHosts: [`127.0.0.1:${port}`] } },
  };
  await api.publish(token, bundle);
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

afterEach(() => {
  received = [];
  answer = () => 200;
  setWebhookQueue(undefined);
});

const secretOf = async (name: string) => (await api.call('GET', `/api/webhooks/${name}/secret`, { token })).body.secret as string;
const deliveryOf = async (id: string) => (await api.call('GET', `/api/webhook-deliveries/${id}`, { token })).body;
/** A moment safely after the deliveries just enqueued became due. */
const soon = (ms = 0) => new Date(Date.now() + 1000 + ms);
const only = (deliveries: WebhookDelivery[], name: string) => deliveries.filter((d) => d.webhook === name);

describe('which changes a webhook receives', () => {
  it('matches object, event and conditions, and skips inactive webhooks', async () => {
    const small = await webhookDeliveriesFor(bundle, change('created', { name: 'a', amount: 10 }), new Date());
    expect(small.map((d) => d.webhook)).toEqual(['all_changes']);
    const big = await webhookDeliveriesFor(bundle, change('created', { name: 'b', amount: 5000 }), new Date());
    expect(big.map((d) => d.webhook)).toEqual(['all_changes', 'big_deals']);
    const updated = await webhookDeliveriesFor(bundle, change('updated', { name: 'b', amount: 6000 }, { name: 'b', amount: 5000 }), new Date());
    expect(updated.map((d) => d.webhook)).toEqual(['all_changes']);
  });

  it('derives delivery ids from the event and webhook, so the same change gives the same ids', async () => {
    const c = change('created', { name: 'a', amount: 10 });
    const [first] = await webhookDeliveriesFor(bundle, c, new Date());
    const [again] = await webhookDeliveriesFor(bundle, c, new Date());
    expect(again!.id).toBe(first!.id);
    expect(first!.id).toMatch(/^[0-9a-f]{32}$/);
    const action = deliveryForAction(bundle, c, 'all_changes', { rule: 'notify_erp', action: 0 }, new Date());
    expect(action.id).not.toBe(first!.id);
    expect(action.payload.rule).toBe('notify_erp');
    expect(() => deliveryForAction(bundle, c, 'nope', { rule: 'r', action: 0 }, new Date())).toThrow(/no webhook "nope"/);
  });
});

describe('delivery', () => {
  it('POSTs the payload signed with the webhook secret (HMAC-SHA256 over timestamp.body), with the delivery id', async () => {
    const deliveries = only(await webhookDeliveriesFor(bundle, change('updated', { name: 'Big', amount: 7000, stage: 'won' }, { name: 'Big', amount: 7000, stage: 'open' }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    const now = soon();
    expect(await runDueDeliveries(api.services, now, OPTIONS)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(received).toHaveLength(1);
    const [got] = received;
    const secret = await secretOf('all_changes');
    expect(secret).toMatch(/^whsec_/);
    expect(verifySignature(got!.headers['tessera-signature'] as string, got!.body, secret, now)).toBe(true);
    expect(verifySignature(got!.headers['tessera-signature'] as string, got!.body.replace('7000', '7001'), secret, now)).toBe(false);
    expect(verifySignature(got!.headers['tessera-signature'] as string, got!.body, secret, new Date(now.getTime() + 3600_000))).toBe(false);
    expect(got!.headers['tessera-delivery']).toBe(deliveries[0]!.id);
    expect(got!.headers['tessera-event']).toBe('deal.updated');
    const body = JSON.parse(got!.body);
    expect(body).toEqual({
      id: deliveries[0]!.id,
      webhook: 'all_changes',
      event: 'updated',
      object: 'deal',
      record: expect.objectContaining({ id: '01JDEAL00000000000000000AA', version: 2, name: 'Big', amount: 7000, stage: 'won' }),
      previous: { stage: 'open' },
      occurredAt: '2026-11-02T00:00:00.000Z',
    });
    expect(got!.body).not.toContain(tenant);
    expect(await deliveryOf(deliveries[0]!.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('retries a failing receiver with exponential backoff and delivers when it recovers', async () => {
    answer = (n) => (n <= 2 ? 503 : 200);
    const deliveries = only(await webhookDeliveriesFor(bundle, change('created', { name: 'r', amount: 1 }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    const t0 = soon();
    expect(await runDueDeliveries(api.services, t0, OPTIONS)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const first = await deliveryOf(deliveries[0]!.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503: receiver says no' });
    const wait1 = Date.parse(first.nextAt) - t0.getTime();
    expect(wait1).toBeGreaterThanOrEqual(BASE);
    expect(wait1).toBeLessThanOrEqual(BASE * 1.1);
    // Not due before its backoff is over.
    expect(await runDueDeliveries(api.services, new Date(t0.getTime() + BASE - 1), OPTIONS)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    const t1 = new Date(Date.parse(first.nextAt));
    expect(await runDueDeliveries(api.services, t1, OPTIONS)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const second = await deliveryOf(deliveries[0]!.id);
    const wait2 = Date.parse(second.nextAt) - t1.getTime();
    expect(wait2).toBeGreaterThanOrEqual(2 * BASE);
    expect(wait2).toBeLessThanOrEqual(2 * BASE * 1.1);
    const t2 = new Date(Date.parse(second.nextAt));
    expect(await runDueDeliveries(api.services, t2, OPTIONS)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    // Three attempts, each signed at its own time, the same delivery id and body every time.
    const stamps = received.map((r) => Number(/t=(\d+)/.exec(r.headers['tessera-signature'] as string)![1]));
    expect(stamps).toEqual([t0, t1, t2].map((t) => Math.floor(t.getTime() / 1000)));
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['tessera-delivery'])).size).toBe(1);
    expect(await deliveryOf(deliveries[0]!.id)).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('parks a delivery that keeps failing in the dead list, with its last error; replay delivers it', async () => {
    answer = () => 500;
    const deliveries = only(await webhookDeliveriesFor(bundle, change('deleted', null, { name: 'gone', amount: 3 }), new Date()), 'flaky');
    expect(deliveries).toHaveLength(1);
    await enqueueDeliveries(api.services, deliveries);
    let now = soon();
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(await runDueDeliveries(api.services, now, OPTIONS));
      now = new Date(now.getTime() + 10 * BASE);
    }
    expect(outcomes).toEqual([
      { delivered: 0, retried: 1, dead: 0 },
      { delivered: 0, retried: 1, dead: 0 },
      { delivered: 0, retried: 0, dead: 1 },
    ]);
    const dead = await api.call('GET', '/api/webhook-deliveries?status=dead', { token });
    expect(dead.status).toBe(200);
    expect(dead.body.items).toEqual([expect.objectContaining({ id: deliveries[0]!.id, webhook: 'flaky', status: 'dead', attempts: 3, lastStatus: 500, lastError: 'HTTP 500: receiver says no', event: 'deleted', object: 'deal' })]);
    expect(dead.body.items[0]).not.toHaveProperty('body');
    // Nothing more is attempted while it is dead.
    expect(await runDueDeliveries(api.services, new Date(now.getTime() + 100 * BASE), OPTIONS)).toEqual({ delivered: 0, retried: 0, dead: 0 });

    answer = () => 204;
    received = [];
    const replay = await api.call('POST', `/api/webhook-deliveries/${deliveries[0]!.id}/replay`, { token });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await runDueDeliveries(api.services, soon(), OPTIONS)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ id: deliveries[0]!.id, event: 'deleted', record: expect.objectContaining({ name: 'gone' }) });
    expect((await api.call('GET', '/api/webhook-deliveries?status=dead', { token })).body.items).toEqual([]);
    const again = await api.call('POST', `/api/webhook-deliveries/${deliveries[0]!.id}/replay`, { token });
    expect(again.status).toBe(400);
    expect(again.body.errors[0]).toMatchObject({ code: 'notDead' });
  });

  it('delivers a change enqueued twice (a stream batch delivered again) once', async () => {
    const c = change('created', { name: 'twice', amount: 2 });
    const deliveries = only(await webhookDeliveriesFor(bundle, c, new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    await enqueueDeliveries(api.services, only(await webhookDeliveriesFor(bundle, c, new Date()), 'all_changes'));
    expect(await runDueDeliveries(api.services, soon(), OPTIONS)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    // And once more after it was delivered: still nothing new.
    await enqueueDeliveries(api.services, only(await webhookDeliveriesFor(bundle, c, new Date()), 'all_changes'));
    expect(await runDueDeliveries(api.services, soon(60_000), OPTIONS)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(received).toHaveLength(1);
  });

  it('two runners at once attempt each delivery once', async () => {
    const deliveries = only(await webhookDeliveriesFor(bundle, change('created', { name: 'race', amount: 2 }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    const now = soon();
    const [a, b] = await Promise.all([runDueDeliveries(api.services, now, OPTIONS), runDueDeliveries(api.services, now, OPTIONS)]);
    expect(a.delivered + b.delivered).toBe(1);
    expect(received).toHaveLength(1);
  });

  it('with overdueMs, takes only deliveries due that long ago (the AWS backstop behind the queue)', async () => {
    const deliveries = only(await webhookDeliveriesFor(bundle, change('created', { name: 'late', amount: 2 }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    expect(await runDueDeliveries(api.services, soon(), { ...OPTIONS, overdueMs: 5 * 60_000 })).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(await runDueDeliveries(api.services, soon(5 * 60_000), { ...OPTIONS, overdueMs: 5 * 60_000 })).toEqual({ delivered: 1, retried: 0, dead: 0 });
  });

  it('signs with the old secret too for a while after a rotation', async () => {
    const old = await secretOf('all_changes');
    const rotated = await api.call('POST', '/api/webhooks/all_changes/secret/rotate', { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.previousValidUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(await secretOf('all_changes')).toBe(rotated.body.secret);
    await enqueueDeliveries(api.services, only(await webhookDeliveriesFor(bundle, change('created', { name: 'rot', amount: 2 }), new Date()), 'all_changes'));
    const now = soon();
    await runDueDeliveries(api.services, now, OPTIONS);
    const header = received[0]!.headers['tessera-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, received[0]!.body, rotated.body.secret, now)).toBe(true);
    expect(verifySignature(header, received[0]!.body, old, now)).toBe(true);
  });
});

describe('the address guard at delivery time', () => {
  it('refuses a host name that resolves to 127.0.0.1 when the host is not allowed, and sends nothing', async () => {
    let asked = '';
    const lookup: LookupFunction = (hostname, options, callback) => {
      asked = hostname;
      const cb = callback as unknown as (e: null, a: Array<{ address: string; family: number }> | string, f?: number) => void;
      if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const deliveries = only(await webhookDeliveriesFor(bundle, change('deleted', null, { name: 'x' }), new Date()), 'sneaky');
    await enqueueDeliveries(api.services, deliveries);
    expect(await runDueDeliveries(api.services, soon(), { ...OPTIONS, lookup })).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(asked).toBe('hooks.tessera.test');
    expect(received).toEqual([]);
    const d = await deliveryOf(deliveries[0]!.id);
    expect(d).toMatchObject({ status: 'dead', attempts: 1 });
    expect(d.lastError).toMatch(/hooks\.tessera\.test resolves to 127\.0\.0\.1, a loopback address/);
  });

  it('parks deliveries of a webhook that is no longer published', async () => {
    const deliveries = [deliveryForAction({ ...bundle, webhooks: [...bundle.webhooks!, hook('removed')] }, change('created', { name: 'y' }), 'removed', { rule: 'r', action: 1 }, new Date())];
    await enqueueDeliveries(api.services, deliveries);
    expect(await runDueDeliveries(api.services, soon(), OPTIONS)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect((await deliveryOf(deliveries[0]!.id)).lastError).toMatch(/no longer published/);
  });
});

describe('publishing refuses webhook URLs it cannot trust', () => {
  it.each([
    { title: 'http outside allowHosts', url: 'http://hooks.example.com/x', code: 'insecureUrl' },
    { title: 'the cloud metadata address', url: 'https://169.254.169.254/latest', code: 'privateAddress' },
    { title: 'a private network address', url: 'https://10.1.2.3/x', code: 'privateAddress' },
    { title: 'carrier-grade NAT', url: 'https://100.64.0.1/x', code: 'privateAddress' },
    { title: 'IPv6 unique-local', url: 'https://[fd00::1]/x', code: 'privateAddress' },
    { title: 'an IPv4-mapped loopback', url: 'https://[::ffff:127.0.0.1]/x', code: 'privateAddress' },
    { title: 'localhost by name', url: 'https://localhost:8443/x', code: 'privateAddress' },
    { title: 'loopback on a port allowHosts does not name', url: `http://127.0.0.1:${1}/x`, code: 'insecureUrl' },
    { title: 'credentials in the URL', url: 'https://user:pw@hooks.example.com/x', code: 'credentialsInUrl' },
    { title: 'not http at all', url: 'ftp://hooks.example.com/x', code: 'insecureUrl' },
  ])('$title', async ({ url, code }) => {
    const head = (await api.call('GET', '/api/metadata/versions', { token })).body;
    const bad = { ...bundle, webhooks: [{ name: 'bad', object: 'deal', events: ['created'], url }] };
    await api.call('PUT', '/api/metadata/draft', { token, body: bad });
    const res = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/webhooks/0/url', code })]));
    expect((await api.call('GET', '/api/metadata/versions', { token })).body).toEqual(head);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });

  it('reports an unknown object, events and conditions that do not fit, at their pointers', async () => {
    const bad = {
      ...bundle,
      webhooks: [
        { name: 'a', object: 'nothing', events: ['created'], url: 'https://hooks.example.com/a' },
        { name: 'b', object: 'deal', events: ['created'], url: 'https://hooks.example.com/b', conditions: { all: [{ fact: 'amount', operator: 'startsWith', value: 'x' }, { fact: 'colour', operator: 'equal', value: 'red' }] } },
        { name: 'c', object: 'deal', events: ['archived'], url: 'https://hooks.example.com/c' },
        { name: 'b', object: 'deal', events: ['created'], url: 'https://hooks.example.com/d' },
      ],
      settings: { webhooks: { allowHosts: ['not a host!'] } },
    };
    await api.call('PUT', '/api/metadata/draft', { token, body: bad });
    const res = await api.call('POST', '/api/metadata/validate', { token });
    const problems = res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '/webhooks/0/object unknownObject',
        '/webhooks/1/conditions/all/0/operator operatorMismatch',
        '/webhooks/1/conditions/all/1/fact unknownField',
        '/webhooks/3/name duplicate',
        '/settings/webhooks/allowHosts/0 format',
      ]),
    );
    expect(problems.some((p: string) => p.startsWith('/webhooks/2/events/0'))).toBe(true);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});

describe('administration', () => {
  it('needs manageMetadata for secrets and the dead list', async () => {
    // A user of a tenant whose only role grants nothing.
    const { token: staff } = await api.tenant(undefined, ['nobody']);
    expect((await api.call('GET', '/api/webhooks/all_changes/secret', { token: staff })).status).toBe(403);
    expect((await api.call('POST', '/api/webhooks/all_changes/secret/rotate', { token: staff })).status).toBe(403);
    expect((await api.call('GET', '/api/webhook-deliveries?status=dead', { token: staff })).status).toBe(403);
    expect((await api.call('GET', '/api/webhooks/unknown_hook/secret', { token })).status).toBe(404);
    expect((await api.call('GET', '/api/webhook-deliveries/0123456789abcdef0123456789abcdef', { token })).status).toBe(404);
  });

  it('keeps tenants apart: another tenant cannot see or replay these deliveries', async () => {
    const other = await api.tenant();
    await api.publish(other.token, { objects: [deal] });
    expect((await api.call('GET', '/api/webhook-deliveries?status=dead', { token: other.token })).body.items).toEqual([]);
    const mine = only(await webhookDeliveriesFor(bundle, change('created', { name: 'iso' }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, mine);
    expect((await api.call('GET', `/api/webhook-deliveries/${mine[0]!.id}`, { token: other.token })).status).toBe(404);
    await runDueDeliveries(api.services, soon(), OPTIONS);
  });
});

describe('with the SQS queue', () => {
  const fakeQueue = () => {
    const sent: Array<{ messages: DeliveryMessage[]; delay: number }> = [];
    const queue: DeliveryQueue = { send: async (messages, delay = 0) => void sent.push({ messages: [...messages], delay }) };
    return { sent, queue };
  };
  const sqsEvent = (messages: Array<DeliveryMessage | string>): SQSEvent => ({
    Records: messages.map((m, i) => ({ messageId: `m${i}`, body: typeof m === 'string' ? m : JSON.stringify(m) }) as SQSEvent['Records'][number]),
  });

  it('announces enqueued deliveries; the consumer delivers them and chains a retry with its delay', async () => {
    const { sent, queue } = fakeQueue();
    setWebhookQueue(queue);
    const deliveries = only(await webhookDeliveriesFor(bundle, change('created', { name: 'sqs', amount: 1 }), new Date()), 'all_changes');
    await enqueueDeliveries(api.services, deliveries);
    expect(sent).toEqual([{ messages: [{ tenant, id: deliveries[0]!.id }], delay: 0 }]);

    answer = (n) => (n === 1 ? 502 : 200);
    const t0 = soon();
    const first = await consumeDeliveryMessages(api.services, sqsEvent(sent[0]!.messages), queue, OPTIONS, () => t0);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(sent[1]).toMatchObject({ messages: [{ tenant, id: deliveries[0]!.id }] });
    expect(sent[1]!.delay).toBeGreaterThanOrEqual(1);
    // The retry message arrives early: it is announced again, nothing is sent.
    await consumeDeliveryMessages(api.services, sqsEvent(sent[1]!.messages), queue, OPTIONS, () => t0);
    expect(received).toHaveLength(1);
    expect(sent).toHaveLength(3);
    // On time: delivered, and nothing more is announced.
    await consumeDeliveryMessages(api.services, sqsEvent(sent[2]!.messages), queue, OPTIONS, () => new Date(t0.getTime() + 2 * BASE));
    expect(received).toHaveLength(2);
    expect(sent).toHaveLength(3);
    expect(await deliveryOf(deliveries[0]!.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    // A duplicate message for a delivered delivery does nothing.
    await consumeDeliveryMessages(api.services, sqsEvent(sent[0]!.messages), queue, OPTIONS, () => new Date(t0.getTime() + 3 * BASE));
    expect(received).toHaveLength(2);
  });

  it('drops messages that name no delivery and reports the ones it could not handle', async () => {
    const { queue } = fakeQueue();
    const broken = { ...api.services, tableName: 'no-such-table' };
    const result = await consumeDeliveryMessages(broken, sqsEvent(['not json', { tenant, id: '0123456789abcdef0123456789abcdef' }]), queue, OPTIONS);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});
