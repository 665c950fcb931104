import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import { runDueTimers } from '../../functions/automation/timers';
import { forgetDirectory } from '../../functions/api/operations/directory';
import type { BusinessHoursDef, MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { TickLoop } from '../../functions/local/tick';
import { TimerStore } from '../../functions/store/timerStore';
import type { Timer } from '../../functions/store/timerStore';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Timers end to end on DynamoDB Local: record changes reach the stream consumer through the
 * local stream poller (as in `npm start`), which sets, moves and cancels timers; the tick
 * (`runDueTimers`, with an injected clock) fires them. Everything reads one clock the tests
 * move, so due times are exact.
 */

const L = (en: string) => ({ en });
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'close_date', type: 'date', label: L('Close date') },
    { name: 'stage', type: 'picklist', label: L('Stage'), default: 'open', options: [{ value: 'open', label: L('Open') }, { value: 'won', label: L('Won') }, { value: 'lost', label: L('Lost') }] },
    { name: 'reminded', type: 'boolean', label: L('Reminded') },
    { name: 'reminders', type: 'number', label: L('Reminders') },
  ],
};
const shanghai: BusinessHoursDef = { timeZone: 'Asia/Shanghai', week: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [['09:00', '18:00']]])) };
const dealBundle: MetadataBundle = {
  objects: [deal],
  settings: { businessHours: shanghai },
  automationRules: [
    {
      name: 'close_reminder',
      object: 'deal',
      trigger: { on: 'time', field: 'close_date', offset: { days: 3, before: true } },
      conditions: { all: [{ fact: 'stage', operator: 'notIn', value: ['won', 'lost'] }] },
      actions: [
        { type: 'setField', field: 'reminded', to: { value: true } },
        { type: 'notify', to: [{ owner: true }], message: L('Three days to close') },
      ],
    },
  ],
};

let clock = new Date('2026-11-20T02:00:00.000Z');
const setClock = (iso: string) => {
  clock = new Date(iso);
};
let api: TestApi;
let poller: StreamPoller;
/** Every batch the stream delivered, to deliver some again. */
const batches: DynamoDBRecord[][] = [];
let timers: TimerStore;

beforeAll(async () => {
  api = await createTestApi({ now: () => clock });
  timers = new TimerStore(api.services.doc, api.tableName);
  poller = consumerPoller(api, { keep: batches, intervalMs: 60_000 });
  // Start the stream's reading position at the table's beginning (DynamoDB Local keeps 24 h).
  await poller.drain();
});

afterAll(async () => {
  await poller?.stop();
});

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};

async function timersOf(tenant: string, object: string, id: string): Promise<Timer[]> {
  return timers.ofRecord(tenant, object, id);
}

describe('timers of a time-triggered rule (3 days before close_date)', () => {
  let tenant: string;
  let token: string;
  const create = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/api/objects/deal/records', { token, body: { name: 'Deal', ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; version: number };
  };
  const patch = async (id: string, version: number, body: Record<string, unknown>) => {
    const res = await api.call('PATCH', `/api/objects/deal/records/${id}`, { token, body, headers: { 'if-match': String(version) } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; version: number };
  };
  const get = async (id: string) => (await api.call('GET', `/api/objects/deal/records/${id}`, { token })).body;

  beforeAll(async () => {
    const t = await api.tenant();
    tenant = t.tenantId;
    token = t.token;
    await api.publish(token, dealBundle);
  });

  it('sets one timer when a matching record is created: a date counts from midnight in the tenant’s zone', async () => {
    setClock('2026-11-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-12-10' });
    await drain();
    const [timer, ...more] = await timersOf(tenant, 'deal', rec.id);
    expect(more).toEqual([]);
    // 10 Dec 00:00 in Shanghai is 9 Dec 16:00 UTC; three days before, 6 Dec 16:00 UTC.
    expect(timer).toMatchObject({ rule: 'close_reminder', dueAt: '2026-12-06T16:00:00.000Z', state: 'pending', recordVersion: 1 });
  });

  it('moves the timer when the date changes, and keeps the newer one when an older change is delivered again', async () => {
    const rec = await create({ close_date: '2026-12-10' });
    await drain();
    const createBatch = batches.at(-1)!;
    await patch(rec.id, rec.version, { close_date: '2026-12-20' });
    await drain();
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ dueAt: '2026-12-16T16:00:00.000Z', recordVersion: 2 })]);

    // At least once: the create arrives again after the change. The timer stays where version 2 put it.
    expect(await handleStreamRecords(api.services, createBatch)).toEqual({ batchItemFailures: [] });
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ dueAt: '2026-12-16T16:00:00.000Z', recordVersion: 2 })]);
  });

  it.each([
    { title: 'the record stops matching the rule’s conditions', change: { stage: 'won' } },
    { title: 'the date is cleared', change: { close_date: null } },
    { title: 'the due time has long passed', change: { close_date: '2026-11-01' } },
  ])('cancels the timer when $title', async ({ change }) => {
    const rec = await create({ close_date: '2026-12-10' });
    await drain();
    expect(await timersOf(tenant, 'deal', rec.id)).toHaveLength(1);
    await patch(rec.id, rec.version, change);
    await drain();
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([]);
  });

  it('sets no timer for a record that does not match, and removes the timer when the record is deleted', async () => {
    const won = await create({ close_date: '2026-12-10', stage: 'won' });
    const open = await create({ close_date: '2026-12-10' });
    await drain();
    expect(await timersOf(tenant, 'deal', won.id)).toEqual([]);
    expect(await timersOf(tenant, 'deal', open.id)).toHaveLength(1);
    expect((await api.call('DELETE', `/api/objects/deal/records/${open.id}`, { token, headers: { 'if-match': String(open.version) } })).status).toBe(204);
    await drain();
    expect(await timersOf(tenant, 'deal', open.id)).toEqual([]);
  });

  it('fires at the due time and not a minute before: the rule runs with trigger "timer", once', async () => {
    setClock('2026-11-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-11-30' });
    await drain();
    // 30 Nov 00:00 Shanghai = 29 Nov 16:00 UTC; minus three days: 26 Nov 16:00 UTC.
    const due = '2026-11-26T16:00:00.000Z';
    expect((await timersOf(tenant, 'deal', rec.id))[0]!.dueAt).toBe(due);

    setClock('2026-11-26T15:59:00.000Z');
    expect((await runDueTimers(api.services, clock)).fired).toBe(0);
    expect((await get(rec.id)).reminded).toBeUndefined();

    setClock('2026-11-26T16:00:30.000Z');
    const tick = await runDueTimers(api.services, clock);
    expect(tick.fired).toBeGreaterThanOrEqual(1);
    const after = await get(rec.id);
    expect(after).toMatchObject({ reminded: true, version: 2 });
    const runs = (await api.call('GET', `/api/objects/deal/records/${rec.id}/runs`, { token })).body.items;
    expect(runs).toEqual([expect.objectContaining({ rule: 'close_reminder', trigger: 'timer', outcome: 'applied', eventId: `timer:deal:${rec.id}:close_reminder@${due}` })]);
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ state: 'fired', dueAt: due })]);

    // The firing's own change comes back through the stream: the timer is not set again.
    await drain();
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ state: 'fired', dueAt: due })]);
    setClock('2026-11-26T16:01:30.000Z');
    expect((await runDueTimers(api.services, clock)).fired).toBe(0);
    expect((await get(rec.id)).version).toBe(2);
  });

  it('fires once when two ticks run at the same time', async () => {
    setClock('2026-11-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-12-01' });
    await drain();
    setClock('2026-11-27T16:00:00.000Z');
    const [a, b] = await Promise.all([runDueTimers(api.services, clock), runDueTimers(api.services, clock)]);
    expect(a.failed + b.failed).toBe(0);
    const after = await get(rec.id);
    expect(after).toMatchObject({ reminded: true, version: 2 });
    const runs = (await api.call('GET', `/api/objects/deal/records/${rec.id}/runs`, { token })).body.items;
    expect(runs).toHaveLength(1);
    // One notification for the owner, whichever tick got there first.
    const notes = (await api.call('GET', '/api/notifications', { token })).body.items.filter((n: { recordId: string }) => n.recordId === rec.id);
    expect(notes).toHaveLength(1);
  });

  it('cancels at the tick when the record no longer matches, even before the stream has caught up', async () => {
    setClock('2026-11-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-12-02' });
    await drain();
    await patch(rec.id, rec.version, { stage: 'lost' }); // not drained: the timer is still there
    expect(await timersOf(tenant, 'deal', rec.id)).toHaveLength(1);
    setClock('2026-11-28T16:00:00.000Z');
    const tick = await runDueTimers(api.services, clock);
    expect(tick.cancelled).toBeGreaterThanOrEqual(1);
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([]);
    expect((await get(rec.id)).reminded).toBeUndefined();
    await drain();
  });

  it('waits for the new due time when the date moved later and the stream has not caught up', async () => {
    setClock('2026-11-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-12-03' });
    await drain();
    await patch(rec.id, rec.version, { close_date: '2026-12-13' }); // not drained
    setClock('2026-11-29T16:00:00.000Z');
    const tick = await runDueTimers(api.services, clock);
    expect(tick.moved).toBeGreaterThanOrEqual(1);
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ state: 'pending', dueAt: '2026-12-09T16:00:00.000Z' })]);
    expect((await get(rec.id)).reminded).toBeUndefined();
    await drain();
    expect(await timersOf(tenant, 'deal', rec.id)).toEqual([expect.objectContaining({ state: 'pending', dueAt: '2026-12-09T16:00:00.000Z', recordVersion: 2 })]);
  });

  it('is fired by the local runtime’s tick loop', async () => {
    setClock('2026-12-20T02:00:00.000Z');
    const rec = await create({ close_date: '2026-12-24' }); // due 20 Dec 16:00 UTC
    await drain();
    setClock('2026-12-20T16:00:05.000Z');
    const results: number[] = [];
    const errors: Error[] = [];
    const loop = new TickLoop({ services: api.services, intervalMs: 50, onResult: (r) => results.push(r.timers.fired), onError: (e) => errors.push(e) });
    loop.start();
    await expect.poll(async () => (await get(rec.id)).reminded, { timeout: 10_000 }).toBe(true);
    await loop.stop();
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(1);
    await drain();
  });

  it('finds due timers with Queries only, never a Scan', async () => {
    api.commandLog.clear();
    setClock('2026-12-31T00:00:00.000Z');
    await runDueTimers(api.services, clock);
    expect(api.commandLog.get('ScanCommand')).toBeUndefined();
    expect(api.commandLog.get('QueryCommand')).toBeGreaterThanOrEqual(8);
  });
});

describe('the crm-core service level: a first response within 4 business hours, or escalation', () => {
  let crm: CrmTenant;

  beforeAll(async () => {
    setClock('2026-11-20T08:00:00.000Z');
    crm = await crmTenant(api);
    // Both agents (service requests go to them in turn) report to the manager.
    const users = (await api.call('GET', '/api/users', { token: crm.tokens.admin })).body.items as Array<{ id: string; version: number }>;
    for (const agent of [crm.ids.agent, crm.ids.agent2]) {
      const version = users.find((u) => u.id === agent)!.version;
      const res = await api.call('PATCH', `/api/users/${agent}`, { token: crm.tokens.admin, body: { manager: crm.ids.manager }, headers: { 'if-match': String(version) } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    forgetDirectory(crm.tenantId);
    await drain();
  });

  const request = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/api/objects/service_request/records', { token: crm.tokens.agent, body: { subject: 'Printer on fire', ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; version: number; owner: string; priority: string };
  };
  const read = async (id: string) => (await api.call('GET', `/api/objects/service_request/records/${id}`, { token: crm.tokens.admin })).body;

  it('escalates a request opened on Friday at 16:00 and not answered by Monday 11:00 (Shanghai): the manager owns it, is told, and its priority is high', async () => {
    setClock('2026-11-20T08:00:00.000Z'); // Friday 16:00 in Shanghai
    const late = await request({ priority: 'p3' });
    const answered = await request({ priority: 'p3' });
    const critical = await request({ priority: 'p1' });
    expect([crm.ids.agent, crm.ids.agent2]).toContain(late.owner);
    await drain();
    // Two hours on Friday, two on Monday: due Monday 11:00 Shanghai = 03:00 UTC.
    const due = '2026-11-23T03:00:00.000Z';
    expect((await timersOf(crm.tenantId, 'service_request', late.id)).map((t) => [t.rule, t.dueAt]).sort()).toEqual([
      ['sr_first_response_escalation', due],
      ['sr_first_response_priority', due],
    ]);
    // A critical request is escalated but keeps its priority: its priority rule does not match.
    expect((await timersOf(crm.tenantId, 'service_request', critical.id)).map((t) => t.rule)).toEqual(['sr_first_response_escalation']);

    // Someone answers the second one on Monday morning: its timers go.
    setClock('2026-11-23T01:30:00.000Z');
    const answer = await api.call('PATCH', `/api/objects/service_request/records/${answered.id}`, { token: crm.tokens.admin, body: { first_response_at: clock.toISOString(), status: 'in_progress' }, headers: { 'if-match': String(answered.version) } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await drain();
    expect(await timersOf(crm.tenantId, 'service_request', answered.id)).toEqual([]);

    // Saturday, Sunday and Monday 10:59 come and go: nothing.
    for (const at of ['2026-11-21T08:00:00.000Z', '2026-11-22T08:00:00.000Z', '2026-11-23T02:59:00.000Z']) {
      setClock(at);
      expect((await runDueTimers(api.services, clock)).fired).toBe(0);
    }
    expect(await read(late.id)).toMatchObject({ owner: late.owner, priority: 'p3' });

    setClock('2026-11-23T03:00:20.000Z');
    const tick = await runDueTimers(api.services, clock);
    expect(tick).toMatchObject({ fired: 3, failed: 0 });
    expect(await read(late.id)).toMatchObject({ owner: crm.ids.manager, priority: 'p2' });
    expect(await read(critical.id)).toMatchObject({ owner: crm.ids.manager, priority: 'p1' });
    expect(await read(answered.id)).toMatchObject({ owner: answered.owner, priority: 'p3' });
    const notes = (await api.call('GET', '/api/notifications', { token: crm.tokens.manager })).body.items as Array<{ recordId: string }>;
    expect(notes.map((n) => n.recordId).sort()).toEqual([late.id, critical.id].sort());
    const runs = (await api.call('GET', `/api/objects/service_request/records/${late.id}/runs`, { token: crm.tokens.admin })).body.items as Array<{ rule: string; trigger: string; outcome: string }>;
    expect(runs.filter((r) => r.trigger === 'timer').map((r) => [r.rule, r.outcome]).sort()).toEqual([
      ['sr_first_response_escalation', 'applied'],
      ['sr_first_response_priority', 'applied'],
    ]);

    // The escalation's own changes come back through the stream; nothing is set to fire again.
    await drain();
    setClock('2026-11-23T03:01:20.000Z');
    expect((await runDueTimers(api.services, clock)).fired).toBe(0);
  });
});
