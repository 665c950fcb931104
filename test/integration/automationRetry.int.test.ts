import type { DynamoDBRecord } from 'aws-lambda';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { runDueDeliveries } from '../../functions/webhooks';
import { consumerPoller } from '../support/stream';
import { taskFor } from '../support/fixtures';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * An after-save rule that fails part-way, then succeeds on retry once its cause is fixed, on
 * DynamoDB Local with the stream poller: the rule creates a task and notifies the owner, then
 * hands the ticket round-robin to the escalation role — whose members are all away, so that
 * step fails and the webhook after it waits. An administrator brings the escalation users back
 * and retries the run: it succeeds, the steps already done are not done again, and every
 * effect (task, notification, new owner, webhook delivery) happens exactly once, even when the
 * original change is delivered again afterwards.
 */

const L = (en: string) => ({ en });
const ticket: ObjectDef = {
  name: 'ticket',
  label: L('Ticket'),
  nameField: 'title',
  fields: [
    { name: 'title', type: 'text', label: L('Title'), required: true },
    { name: 'priority', type: 'picklist', label: L('Priority'), default: 'low', options: [{ value: 'low', label: L('Low') }, { value: 'high', label: L('High') }] },
  ],
};
const task = taskFor('ticket', 'Ticket');

let api: TestApi;
let token: string;
let admin: string;
let poller: StreamPoller;
/** Every batch the stream delivered, to deliver one again. */
const batches: DynamoDBRecord[][] = [];
let server: Server;
const received: Array<{ rule?: string; record: { id: string } }> = [];
/** The escalation role's holders, both away at first. */
const escalators: Array<{ id: string; version: number }> = [];

const bundle = (port: number): MetadataBundle => ({
  objects: [ticket, task],
  roles: [{ name: 'escalation', label: L('Escalation'), objects: { ticket: { read: true, update: true, scope: 'own' } } }],
  settings: { webhooks: { allowHosts: [`127.0.0.1:${port}`] } },
  // Deletions only: the rule's action is the one way an update reaches this receiver.
  webhooks: [{ name: 'pager', object: 'ticket', events: ['deleted'], url: `http://127.0.0.1:${port}/hook` }],
  automationRules: [
    {
      name: 'escalate',
      object: 'ticket',
      trigger: { on: 'updated', fields: ['priority'] },
      conditions: { all: [{ fact: 'priority', operator: 'equal', value: 'high' }] },
      actions: [
        { type: 'createRecord', object: 'task', values: { subject: { value: 'Call the customer back' }, ticket: { field: 'id' } } },
        { type: 'notify', to: [{ owner: true }], message: L('A ticket was escalated') },
        { type: 'assign', assignee: { type: 'roundRobin', role: 'escalation' } },
        { type: 'webhook', webhook: 'pager' },
      ],
    },
  ],
});

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};
const runsOf = async (id: string) =>
  (await api.call('GET', `/api/objects/ticket/records/${id}/runs`, { token })).body.items as Array<{ id: string; rule: string; outcome: string; attempts: number; error?: string; actions: Array<{ status: string; type: string; error?: string; detail?: Record<string, unknown> }> }>;
const tasksOf = async (id: string) => (await api.call('GET', `/api/objects/ticket/records/${id}/related/task`, { token })).body.items as unknown[];
const notesOf = async (id: string) => ((await api.call('GET', '/api/notifications', { token })).body.items as Array<{ recordId: string; rule: string }>).filter((n) => n.recordId === id && n.rule === 'escalate');
const deliver = () => runDueDeliveries(api.services, new Date(Date.now() + 1000));
const retry = (id: string, run: string) => api.call('POST', `/api/objects/ticket/records/${id}/runs/${run}/retry`, { token });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  admin = t.user.userId;
  await api.publish(token, bundle((server.address() as AddressInfo).port));
  // Both holders of the escalation role are away: the rule's assign step has nobody to give the ticket to.
  for (const name of ['esc1', 'esc2']) {
    const user = await api.call('POST', '/api/users', { token, body: { email: `${name}@x.test`, name, roles: ['escalation'] } });
    expect(user.status).toBe(201);
    const away = await api.call('PATCH', `/api/users/${user.body.id}`, { token, body: { active: false }, headers: { 'if-match': String(user.body.version) } });
    expect(away.status).toBe(200);
    escalators.push({ id: user.body.id, version: away.body.version });
  }
  poller = consumerPoller(api, { keep: batches, intervalMs: 60_000 });
  await poller.drain();
}, 60_000);

afterAll(async () => {
  await poller?.stop();
  await new Promise((ok) => server?.close(ok));
});

describe('retrying a failed after-save rule once its cause is fixed', () => {
  it('resumes at the failed step, succeeds, and applies every effect exactly once', async () => {
    const created = await api.call('POST', '/api/objects/ticket/records', { token, body: { title: 'Printer on fire' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await drain();
    const seen = batches.length;
    const raised = await api.call('PATCH', `/api/objects/ticket/records/${id}`, { token, body: { priority: 'high' }, headers: { 'if-match': String(created.body.version) } });
    expect(raised.status).toBe(200);
    await drain();
    const changeBatches = batches.slice(seen);
    expect(changeBatches.flat().some((r) => r.dynamodb?.NewImage?.id?.S === id)).toBe(true);

    // The first two steps applied; the assign failed with its reason; the webhook never ran.
    const [failed, ...others] = (await runsOf(id)).filter((r) => r.rule === 'escalate');
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ outcome: 'partial', attempts: 1, error: expect.stringMatching(/nobody to assign to/i) });
    expect(failed!.actions.map((a) => [a.type, a.status])).toEqual([
      ['createRecord', 'applied'],
      ['notify', 'applied'],
      ['assign', 'failed'],
      ['webhook', 'pending'],
    ]);
    expect(await tasksOf(id)).toHaveLength(1);
    expect(await notesOf(id)).toHaveLength(1);
    expect(await deliver()).toMatchObject({ delivered: 0 });
    expect(received).toEqual([]);
    expect((await api.call('GET', `/api/objects/ticket/records/${id}`, { token })).body.owner).toBe(admin);

    // Retried before the cause is fixed: fails at the same step again, nothing before it repeated.
    const early = await retry(id, failed!.id);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ id: failed!.id, outcome: 'partial', attempts: 2 });
    expect(early.body.actions.map((a: { status: string }) => a.status)).toEqual(['applied', 'applied', 'failed', 'pending']);

    // The fix: the escalation team is back.
    for (const e of escalators) {
      const back = await api.call('PATCH', `/api/users/${e.id}`, { token, body: { active: true }, headers: { 'if-match': String(e.version) } });
      expect(back.status).toBe(200);
    }

    const fixed = await retry(id, failed!.id);
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body).toMatchObject({ id: failed!.id, outcome: 'applied', attempts: 3 });
    expect(fixed.body).not.toHaveProperty('error');
    // Steps done before were not run again (a second run of them would say alreadyApplied).
    expect(fixed.body.actions.map((a: { type: string; status: string }) => [a.type, a.status])).toEqual([
      ['createRecord', 'applied'],
      ['notify', 'applied'],
      ['assign', 'applied'],
      ['webhook', 'applied'],
    ]);
    expect(fixed.body.actions[0].detail).toEqual(failed!.actions[0]!.detail);
    // The run as stored says the same: one run of the rule, now succeeded.
    expect((await runsOf(id)).filter((r) => r.rule === 'escalate').map((r) => [r.id, r.outcome, r.attempts])).toEqual([[failed!.id, 'applied', 3]]);

    const after = await api.call('GET', `/api/objects/ticket/records/${id}`, { token });
    const owner = after.body.owner as string;
    expect(escalators.map((e) => e.id)).toContain(owner);
    expect(fixed.body.actions[2].detail).toMatchObject({ owner });
    await drain();
    const history = (await api.call('GET', `/api/objects/ticket/records/${id}/history`, { token })).body.items as Array<{ changes: Record<string, { old?: unknown; new?: unknown }>; via?: { rule: string } }>;
    expect(history.filter((h) => h.changes.owner)).toEqual([expect.objectContaining({ changes: { owner: { old: admin, new: owner } }, via: expect.objectContaining({ rule: 'escalate' }) })]);
    expect(await deliver()).toMatchObject({ delivered: 1 });
    expect(received).toEqual([expect.objectContaining({ rule: 'escalate', record: expect.objectContaining({ id }) })]);

    // A succeeded run is not retried again.
    const again = await retry(id, failed!.id);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'request.invalid', errors: [{ pointer: '/outcome', code: 'notFailed' }] });

    // At least once: the original change delivered again adds no second effect — not even a
    // second assignment, though the round-robin's next turn is the other escalation user.
    for (const batch of changeBatches) expect(await handleStreamRecords(api.services, batch)).toEqual({ batchItemFailures: [] });
    await drain();
    await deliver();
    expect(await tasksOf(id)).toHaveLength(1);
    expect(await notesOf(id)).toHaveLength(1);
    expect(received).toHaveLength(1);
    const final = await api.call('GET', `/api/objects/ticket/records/${id}`, { token });
    expect(final.body).toMatchObject({ owner, version: after.body.version });
    // …and leaves the run as its retries left it.
    expect((await runsOf(id)).filter((r) => r.rule === 'escalate').map((r) => [r.id, r.outcome, r.attempts])).toEqual([[failed!.id, 'applied', 3]]);
  });
});
