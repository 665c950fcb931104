import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import { runDueTimers } from '../../functions/automation/timers';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { TimerStore } from '../../functions/store/timerStore';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Workflows end to end on DynamoDB Local, with the crm-core template's workflows: the
 * transitions a user may make now and why not, making them (allowed, denied by role, by a
 * guard, for missing required fields), the governed field refused to direct changes on every
 * channel, concurrent transitions of one record (exactly one wins), after-save transition
 * actions from the stream, SLA escalation on a clock the test moves, and funnel figures
 * checked against a hand-computed fixture — read by Query, never a Scan.
 */

let clock = new Date('2026-11-02T01:00:00.000Z');
const setClock = (iso: string) => {
  clock = new Date(iso);
};
let api: TestApi;
let crm: CrmTenant;
let poller: StreamPoller;
let account: string;
/** Every batch the stream delivered, to deliver some again. */
const batches: DynamoDBRecord[][] = [];

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};

beforeAll(async () => {
  api = await createTestApi({ now: () => clock });
  poller = consumerPoller(api, { keep: batches, intervalMs: 60_000 });
  await poller.drain();
  crm = await crmTenant(api);
  account = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.rep, body: { name: 'Acme' } })).body.id;
  await drain();
}, 120_000);

afterAll(async () => {
  await poller?.stop();
});

const opportunity = async (body: Record<string, unknown> = {}, token = crm.tokens.rep) => {
  const res = await api.call('POST', '/api/objects/opportunity/records', { token, body: { name: 'Deal', account, close_date: '2027-06-30', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; stage: string; probability?: number };
};
const transitions = (id: string, token = crm.tokens.rep, object = 'opportunity') => api.call('GET', `/api/objects/${object}/records/${id}/transitions`, { token });
const transition = (id: string, name: string, options: { token?: string; body?: unknown; version?: number; object?: string } = {}) =>
  api.call('POST', `/api/objects/${options.object ?? 'opportunity'}/records/${id}/transitions/${name}`, {
    token: options.token ?? crm.tokens.rep,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.version !== undefined ? { headers: { 'if-match': String(options.version) } } : {}),
  });
const ok = async (id: string, name: string, options: Parameters<typeof transition>[2] = {}) => {
  const res = await transition(id, name, options);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; version: number } & Record<string, unknown>;
};
const available = (body: { transitions: Array<{ name: string; available: boolean; reasons: Array<{ code: string }> }> }) =>
  Object.fromEntries(body.transitions.map((t) => [t.name, t.available ? 'yes' : t.reasons.map((r) => r.code).join('+')]));

describe('available transitions', () => {
  it('lists every transition of the workflow with the reasons each is unavailable now', async () => {
    const deal = await opportunity({ amount: 0 });
    const res = await transitions(deal.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workflow: 'opportunity_sales', field: 'stage', state: 'qualify', category: 'open', enteredAt: clock.toISOString(), approval: null });
    expect(available(res.body)).toEqual({
      analyse_needs: 'yes',
      propose: 'notFromState',
      negotiate: 'notFromState',
      revisit_needs: 'notFromState',
      win: 'notFromState+guard',
      lose: 'requiredFields',
      reopen: 'notFromState+role',
    });
    expect(res.body.transitions.find((t: { name: string }) => t.name === 'lose').reasons[0]).toMatchObject({ code: 'requiredFields', fields: ['loss_reason'] });
    expect(res.body.transitions.find((t: { name: string }) => t.name === 'win').reasons[1]).toMatchObject({ code: 'guard', message: 'A won deal has an amount above zero', messages: { 'zh-CN': '赢单金额须大于零' } });
  });

  it('tells a reader who may not update the record that they may not, and another rep nothing (404)', async () => {
    const deal = await opportunity();
    const analyst = await transitions(deal.id, crm.tokens.analyst);
    expect(analyst.status).toBe(200);
    expect(analyst.body.transitions.every((t: { available: boolean; reasons: Array<{ code: string }> }) => !t.available && t.reasons[0]!.code === 'access')).toBe(true);
    expect((await transitions(deal.id, crm.tokens.rep2)).status).toBe(404);
    expect((await transition(deal.id, 'analyse_needs', { token: crm.tokens.analyst })).status).toBe(403);
  });

  it('answers an object without a workflow with none', async () => {
    const res = await api.call('GET', `/api/objects/account/records/${account}/transitions`, { token: crm.tokens.rep });
    expect(res.body).toMatchObject({ workflow: null, transitions: [] });
  });
});

describe('making transitions', () => {
  it('moves the state with the transition’s probability, in one write recorded in history under its name', async () => {
    const deal = await opportunity();
    expect(deal).toMatchObject({ stage: 'qualify', probability: 10, version: 1 });
    const moved = await ok(deal.id, 'analyse_needs', { body: { comment: 'Budget confirmed' } });
    expect(moved).toMatchObject({ stage: 'needs', probability: 20, version: 2 });
    const history = (await api.call('GET', `/api/objects/opportunity/records/${deal.id}/history`, { token: crm.tokens.rep })).body.items;
    expect(history[0]).toMatchObject({ version: 2, transition: { workflow: 'opportunity_sales', name: 'analyse_needs', from: 'qualify', to: 'needs', comment: 'Budget confirmed' }, changes: { stage: { old: 'qualify', new: 'needs' }, probability: { old: 10, new: 20 } } });
  });

  it('refuses a transition whose required fields are blank (409, each at its pointer), and makes it with the values sent along', async () => {
    const deal = await opportunity();
    await ok(deal.id, 'analyse_needs');
    const refused = await transition(deal.id, 'propose');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'workflow.transitionDenied', errors: [{ pointer: '/amount', code: 'required' }] });
    const made = await ok(deal.id, 'propose', { body: { values: { amount: 5000 } } });
    expect(made).toMatchObject({ stage: 'proposal', amount: 5000, probability: 50 });
  });

  it('refuses a transition a guard stops (409 with the guard’s message, in the caller’s language)', async () => {
    const deal = await opportunity({ amount: 100 });
    await ok(deal.id, 'analyse_needs');
    await ok(deal.id, 'propose');
    const negotiating = await ok(deal.id, 'negotiate');
    const zero = await api.call('PATCH', `/api/objects/opportunity/records/${deal.id}`, { token: crm.tokens.rep, body: { amount: 0 }, headers: { 'if-match': String(negotiating.version) } });
    expect(zero.status).toBe(200);
    const refused = await api.call('POST', `/api/objects/opportunity/records/${deal.id}/transitions/win`, { token: crm.tokens.rep, headers: { 'accept-language': 'zh-CN' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'workflow.transitionDenied', title: '当前无法执行此状态流转', errors: [{ pointer: '', code: 'guard', message: '赢单金额须大于零' }] });
  });

  it('refuses a transition to a role that may not make it (403), and lets the role that may', async () => {
    const deal = await opportunity();
    await ok(deal.id, 'lose', { body: { values: { loss_reason: 'price' } } });
    const rep = await transition(deal.id, 'reopen');
    expect(rep.status).toBe(403);
    expect(rep.body).toMatchObject({ code: 'access.denied', errors: [{ code: 'role' }] });
    expect(await ok(deal.id, 'reopen', { token: crm.tokens.manager })).toMatchObject({ stage: 'qualify', probability: 10 });
  });

  it('answers 404 for an unknown transition and 409 for one that does not leave the current state', async () => {
    const deal = await opportunity();
    expect((await transition(deal.id, 'teleport')).status).toBe(404);
    const refused = await transition(deal.id, 'win');
    expect(refused.status).toBe(409);
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toContain('notFromState');
  });

  it('refuses a direct change of the governed field on every channel (PATCH, batch) but lets an administrator repair it', async () => {
    const deal = await opportunity();
    const patch = await api.call('PATCH', `/api/objects/opportunity/records/${deal.id}`, { token: crm.tokens.rep, body: { stage: 'needs' }, headers: { 'if-match': '1' } });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ code: 'workflow.transitionRequired', errors: [{ pointer: '/stage', code: 'transitionRequired', params: { transitions: ['analyse_needs'] } }] });
    const batch = await api.call('POST', '/api/objects/opportunity/batch', { token: crm.tokens.rep, body: { items: [{ op: 'update', id: deal.id, version: 1, values: { stage: 'won' } }] } });
    expect(batch.body.items[0]).toMatchObject({ status: 409, problem: { code: 'workflow.transitionRequired' } });
    // A new record starts in an initial state.
    const born = await api.call('POST', '/api/objects/opportunity/records', { token: crm.tokens.rep, body: { name: 'Born won', account, close_date: '2027-01-01', stage: 'won', amount: 5 } });
    expect(born.status).toBe(409);
    expect(born.body.errors[0]).toMatchObject({ pointer: '/stage', code: 'initialState' });
    // Administrators load and repair data directly; history has no transition name for it.
    const repaired = await api.call('PATCH', `/api/objects/opportunity/records/${deal.id}`, { token: crm.tokens.admin, body: { stage: 'proposal', amount: 10 }, headers: { 'if-match': '1' } });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    expect(repaired.body).toMatchObject({ stage: 'proposal', probability: 50 });
    const history = (await api.call('GET', `/api/objects/opportunity/records/${deal.id}/history`, { token: crm.tokens.admin })).body.items;
    expect(history[0].transition).toBeUndefined();
    expect((await transitions(deal.id)).body).toMatchObject({ state: 'proposal', enteredAt: clock.toISOString() });
  });

  it('makes exactly one of two concurrent transitions of a record: the other is refused from the state the first left behind', async () => {
    for (let round = 0; round < 3; round++) {
      const deal = await opportunity({ amount: 10 });
      await ok(deal.id, 'analyse_needs');
      await ok(deal.id, 'propose');
      const negotiating = await ok(deal.id, 'negotiate');
      // win leaves negotiation for won, revisit_needs for needs: neither leaves where the other arrives.
      const results = await Promise.all([transition(deal.id, 'win'), transition(deal.id, 'revisit_needs')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body.errors.map((e: { code: string }) => e.code)).toContain('notFromState');
      expect(winner.body.version).toBe(negotiating.version + 1);
      const history = (await api.call('GET', `/api/objects/opportunity/records/${deal.id}/history`, { token: crm.tokens.rep })).body.items;
      expect(history.filter((h: { transition?: unknown }) => h.transition)).toHaveLength(4);
      // The same transition twice with If-Match naming the same version: one is made, the other is 412.
      const [name, token] = winner.body.stage === 'won' ? ['reopen', crm.tokens.manager] : ['propose', crm.tokens.rep];
      const again = await Promise.all([transition(deal.id, name!, { version: winner.body.version, token: token! }), transition(deal.id, name!, { version: winner.body.version, token: token! })]);
      expect(again.map((r) => r.status).sort()).toEqual([200, 412]);
    }
  });
});

describe('transition actions and automation transitions, from the stream and the clock', () => {
  const L = (en: string) => ({ en });
  const ticket: ObjectDef = {
    name: 'ticket',
    label: L('Ticket'),
    nameField: 'title',
    fields: [
      { name: 'title', type: 'text', label: L('Title'), required: true },
      { name: 'state', type: 'picklist', label: L('State'), required: true, default: 'open', options: ['open', 'doing', 'done'].map((value) => ({ value, label: L(value) })) },
      { name: 'closed_by', type: 'text', label: L('Closed by') },
      { name: 'escalated', type: 'boolean', label: L('Escalated') },
    ],
  };
  const bundle: MetadataBundle = {
    objects: [ticket],
    roles: [{ name: 'agent', label: L('Agent'), objects: { ticket: { create: true, read: true, update: true } } }],
    workflows: [
      {
        name: 'ticket_flow',
        object: 'ticket',
        field: 'state',
        states: [
          { name: 'open', category: 'open', sla: [{ name: 'slow', after: { hours: 2 }, actions: [{ type: 'setField', field: 'escalated', to: { value: true } }, { type: 'notify', to: [{ owner: true }], message: L('Two hours and nobody started') }] }] },
          { name: 'doing', category: 'open', sla: [{ name: 'stuck', after: { days: 1 }, actions: [{ type: 'transition', transition: 'finish' }] }] },
          { name: 'done', category: 'closed' },
        ],
        transitions: [
          { name: 'start', from: ['open'], to: 'doing', actions: [{ type: 'notify', to: [{ owner: true }], message: L('Started') }] },
          { name: 'finish', from: ['doing'], to: 'done', actions: [{ type: 'setField', field: 'closed_by', to: { value: 'workflow' } }] },
        ],
      },
    ],
  };
  let token: string;
  let tenant: string;
  let user: string;
  beforeAll(async () => {
    const t = await api.tenant();
    token = t.token;
    tenant = t.tenantId;
    user = t.user.userId;
    await api.publish(token, bundle);
  });
  const create = async () => (await api.call('POST', '/api/objects/ticket/records', { token, body: { title: 'Printer' } })).body as { id: string; version: number };
  const read = async (id: string) => (await api.call('GET', `/api/objects/ticket/records/${id}`, { token })).body;
  const notes = async () => ((await api.call('GET', '/api/notifications', { token })).body.items as Array<{ recordId: string; message: { en: string } }>).map((n) => [n.recordId, n.message.en]);
  const timers = (id: string) => new TimerStore(api.services.doc, api.tableName).ofRecord(tenant, 'ticket', id);

  it('runs a transition’s after-save actions once from the stream, even when the change is delivered twice', async () => {
    setClock('2026-11-03T01:00:00.000Z');
    const t = await create();
    const seen = batches.length;
    await ok(t.id, 'start', { token, object: 'ticket' });
    await drain();
    expect((await notes()).filter(([id]) => id === t.id)).toEqual([[t.id, 'Started']]);
    // At least once: the same batches again change nothing.
    for (const batch of batches.slice(seen)) expect(await handleStreamRecords(api.services, batch)).toEqual({ batchItemFailures: [] });
    expect((await notes()).filter(([id]) => id === t.id)).toEqual([[t.id, 'Started']]);
    const runs = (await api.call('GET', `/api/objects/ticket/records/${t.id}/runs`, { token })).body.items as Array<{ rule: string; trigger: string; outcome: string }>;
    expect(runs.filter((r) => r.rule === 'transition:ticket_flow:start').map((r) => r.trigger)).toEqual(['workflow']);
  });

  it('escalates on the SLA of a state at the time allowed there, not before; leaving the state cancels it', async () => {
    setClock('2026-11-04T01:00:00.000Z');
    const late = await create();
    const started = await create();
    await drain();
    expect((await timers(late.id)).map((x) => [x.rule, x.dueAt])).toEqual([['sla:ticket_flow:open:slow', '2026-11-04T03:00:00.000Z']]);
    setClock('2026-11-04T02:00:00.000Z');
    await ok(started.id, 'start', { token, object: 'ticket' });
    await drain();
    // Left "open": its SLA timer went; entered "doing": the one-day timer counts from now.
    expect((await timers(started.id)).map((x) => [x.rule, x.dueAt])).toEqual([['sla:ticket_flow:doing:stuck', '2026-11-05T02:00:00.000Z']]);
    setClock('2026-11-04T02:59:00.000Z');
    expect(await runDueTimers(api.services, clock)).toMatchObject({ failed: 0 });
    expect(await read(late.id)).not.toHaveProperty('escalated');
    setClock('2026-11-04T03:00:30.000Z');
    expect(await runDueTimers(api.services, clock)).toMatchObject({ fired: 1, failed: 0 });
    expect(await read(late.id)).toMatchObject({ escalated: true, state: 'open' });
    expect((await notes()).filter(([id]) => id === late.id)).toEqual([[late.id, 'Two hours and nobody started']]);
    expect(await read(started.id)).not.toHaveProperty('escalated');
  });

  it('transitions through an SLA action (automation: guards and required fields apply, roles do not), in history under the transition’s name', async () => {
    setClock('2026-11-05T02:00:30.000Z');
    const due = await runDueTimers(api.services, clock);
    expect(due).toMatchObject({ failed: 0 });
    const all = (await api.call('GET', '/api/objects/ticket/records?limit=50', { token })).body.items as Array<{ id: string; state: string; closed_by?: string }>;
    const finished = all.filter((r) => r.state === 'done');
    expect(finished.length).toBeGreaterThanOrEqual(1);
    for (const r of finished) expect(r.closed_by).toBe('workflow');
    const history = (await api.call('GET', `/api/objects/ticket/records/${finished[0]!.id}/history`, { token })).body.items;
    expect(history[0]).toMatchObject({ by: user, transition: { name: 'finish', from: 'doing', to: 'done' }, via: { rule: 'sla:ticket_flow:doing:stuck' } });
  });
});

describe('the sales funnel, from the state log', () => {
  let funnelCrm: CrmTenant;
  let acme: string;
  const at = (hours: number) => setClock(new Date(Date.parse('2026-10-01T00:00:00.000Z') + hours * 3_600_000).toISOString());
  const move = (id: string, name: string, values?: Record<string, unknown>) => ok(id, name, { token: funnelCrm.tokens.admin, ...(values ? { body: { values } } : {}) });

  beforeAll(async () => {
    funnelCrm = await crmTenant(api);
    acme = (await api.call('POST', '/api/objects/account/records', { token: funnelCrm.tokens.admin, body: { name: 'Funnel Co' } })).body.id;
    const create = async (name: string, amount: number) =>
      (await api.call('POST', '/api/objects/opportunity/records', { token: funnelCrm.tokens.admin, body: { name, account: acme, amount, close_date: '2027-06-30' } })).body.id as string;
    // A: qualify → needs (2 h) → proposal (6 h) → negotiation (10 h) → won (12 h).
    // B: qualify → needs (4 h) → lost (8 h).   C: qualify → lost (1 h).   D: stays in qualify.
    at(0);
    const a = await create('A', 100);
    const b = await create('B', 200);
    const c = await create('C', 300);
    await create('D', 400);
    at(1);
    await move(c, 'lose', { loss_reason: 'price' });
    at(2);
    await move(a, 'analyse_needs');
    at(4);
    await move(b, 'analyse_needs');
    at(6);
    await move(a, 'propose');
    at(8);
    await move(b, 'lose', { loss_reason: 'no_budget' });
    at(10);
    await move(a, 'negotiate');
    at(12);
    await move(a, 'win');
  }, 60_000);

  it('gives counts and amounts per state now, and per state entries, conversion and average time in state — as computed by hand', async () => {
    api.commandLog.clear();
    const res = await api.call('GET', '/api/objects/opportunity/funnel?from=2026-10-01&to=2026-10-31', { token: funnelCrm.tokens.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(api.commandLog.get('ScanCommand')).toBeUndefined();
    expect(res.body).toMatchObject({ workflow: 'opportunity_sales', field: 'stage', amountField: 'amount', complete: true, records: 4, changes: 11 });
    const by = Object.fromEntries(res.body.states.map((s: { state: string }) => [s.state, s]));
    expect(res.body.states.map((s: { state: string }) => s.state)).toEqual(['qualify', 'needs', 'proposal', 'negotiation', 'won', 'lost']);
    // qualify: 4 entered (created there), A and B moved on to needs, C dropped out; stays of 2 h, 4 h and 1 h.
    expect(by.qualify).toMatchObject({ count: 1, amount: 400, entered: 4, enteredAmount: 1000, advanced: 2, conversion: 0.5, exits: 3, averageHoursInState: 2.3333, probability: 10, category: 'open' });
    // needs: A (4 h there) went on to proposal, B (4 h there) was lost.
    expect(by.needs).toMatchObject({ count: 0, amount: 0, entered: 2, advanced: 1, conversion: 0.5, exits: 2, averageHoursInState: 4 });
    expect(by.proposal).toMatchObject({ entered: 1, advanced: 1, conversion: 1, exits: 1, averageHoursInState: 4 });
    expect(by.negotiation).toMatchObject({ entered: 1, advanced: 1, conversion: 1, exits: 1, averageHoursInState: 2 });
    expect(by.won).toMatchObject({ count: 1, amount: 100, entered: 1, advanced: 0, conversion: 0, exits: 0, averageHoursInState: null, category: 'won' });
    expect(by.lost).toMatchObject({ count: 2, amount: 500, entered: 2, enteredAmount: 500, advanced: 0, conversion: 0, category: 'lost' });
  });

  it('counts only the changes in the period, and refuses a malformed period', async () => {
    const late = await api.call('GET', '/api/objects/opportunity/funnel?from=2026-10-01T05:00:00Z&to=2026-10-31', { token: funnelCrm.tokens.admin });
    expect(late.body.changes).toBe(4);
    expect(late.body.states.find((s: { state: string }) => s.state === 'qualify')).toMatchObject({ entered: 0, count: 1 });
    expect((await api.call('GET', '/api/objects/opportunity/funnel?from=yesterday', { token: funnelCrm.tokens.admin })).status).toBe(400);
    expect((await api.call('GET', '/api/objects/account/funnel', { token: funnelCrm.tokens.admin })).status).toBe(404);
  });

  it('shows a rep only the records they reach', async () => {
    const rep = await api.call('GET', '/api/objects/opportunity/funnel?from=2026-10-01&to=2026-10-31', { token: funnelCrm.tokens.rep });
    expect(rep.status).toBe(200);
    expect(rep.body).toMatchObject({ records: 0, changes: 0 });
  });
});

describe('bad workflows and approval processes through the API: each problem at its pointer, nothing published', () => {
  const L = (en: string) => ({ en });
  const ticket: ObjectDef = {
    name: 'ticket',
    label: L('Ticket'),
    nameField: 'title',
    fields: [
      { name: 'title', type: 'text', label: L('Title'), required: true },
      { name: 'state', type: 'picklist', label: L('State'), required: true, default: 'open', options: ['open', 'doing', 'done'].map((value) => ({ value, label: L(value) })) },
    ],
  };
  const good = (): MetadataBundle => ({
    objects: [ticket],
    roles: [{ name: 'agent', label: L('Agent'), objects: { ticket: { create: true, read: true, update: true } } }, { name: 'outsider', label: L('Outsider') }],
    workflows: [
      {
        name: 'ticket_flow',
        object: 'ticket',
        field: 'state',
        states: [{ name: 'open', category: 'open' }, { name: 'doing', category: 'open' }, { name: 'done', category: 'closed' }],
        transitions: [
          { name: 'start', from: ['open'], to: 'doing' },
          { name: 'finish', from: ['doing'], to: 'done' },
        ],
      },
    ],
  });
  let token: string;
  beforeAll(async () => {
    token = (await api.tenant()).token;
    await api.publish(token, good());
  });

  it.each([
    ['a transition to an unknown state', (b: MetadataBundle) => (b.workflows![0]!.transitions[0]!.to = 'nowhere'), '/workflows/0/transitions/0/to', 'unknownState'],
    ['an unreachable state', (b: MetadataBundle) => (b.workflows![0]!.transitions = b.workflows![0]!.transitions.filter((t) => t.name !== 'finish')), '/workflows/0/states/2/name', 'unreachable'],
    ['a workflow on a field that is not a picklist', (b: MetadataBundle) => (b.workflows![0]!.field = 'title'), '/workflows/0/field', 'notAPicklist'],
    ['an approval step with no possible approver', (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'ticket', steps: [{ name: 's', approvers: [{ type: 'role', role: 'outsider' }] }] }]), '/approvalProcesses/0/steps/0/approvers/0/role', 'noPossibleApprover'],
  ])('%s', async (_what, change, pointer, code) => {
    const before = (await api.call('GET', '/api/metadata', { token })).body.version;
    const bad = good();
    change(bad);
    expect((await api.call('PUT', '/api/metadata/draft', { token, body: bad })).status).toBe(200);
    const res = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, code })]));
    expect((await api.call('GET', '/api/metadata', { token })).body.version).toBe(before);
  });
});
