import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import { runDueTimers } from '../../functions/automation/timers';
import { forgetDirectory } from '../../functions/api/operations/directory';
import type { Labels, MetadataBundle, ObjectDef, ValidationRuleDef } from '../../functions/engine/metadata/types';
import { StreamPoller } from '../../functions/local/streamPoller';
import { taskFor } from '../support/fixtures';
import { createTestApi } from '../support/testApi';
import type { ApiResult, TestApi } from '../support/testApi';

/*
 * One validation pipeline for the writes nobody asks for in a request, on DynamoDB Local:
 * after-save automation actions (from the stream), an approval's outcome actions, SLA timer
 * actions (the tick on a clock the test moves), merges and an import's undo. Each either
 * applies the tenant's validation rules and field checks as a person's write would — a
 * failed run recorded with the rule's message, or a problem+json answer — and writes
 * nothing invalid; the same write with the rule satisfied goes through, so each refusal is
 * the rule's doing. None is exempt by design — not even an undo restoring a before-image,
 * which a rule published since the import may refuse. An approver is refused in terms of the
 * fields they may see. validationChannels.int.test.ts proves the same for people's requests.
 */

const L = (en: string, zh?: string): Labels => ({ en, ...(zh ? { 'zh-CN': zh } : {}) });
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'amount', type: 'currency', label: L('Amount') },
    { name: 'requested_amount', type: 'currency', label: L('Requested amount') },
    { name: 'discount', type: 'number', label: L('Discount (%)') },
    { name: 'next_step', type: 'text', label: L('Next step') },
    { name: 'note', type: 'text', label: L('Note') },
    { name: 'priority', type: 'picklist', label: L('Priority'), default: 'low', options: [{ value: 'low', label: L('Low') }, { value: 'high', label: L('High') }] },
    { name: 'stage', type: 'picklist', label: L('Stage'), default: 'open', options: ['open', 'negotiation', 'won', 'lost'].map((value) => ({ value, label: L(value) })) },
  ],
};
const task = taskFor('deal', 'Deal');

const BIG_MESSAGE = L('A deal over 1,000,000 needs a next step', '金额超过一百万的商机须填写下一步');
const HOT_MESSAGE = L('A high-priority deal needs a next step');
const BIG_DEAL: ValidationRuleDef = {
  name: 'big_deal_needs_next_step',
  object: 'deal',
  conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1_000_000 }, { fact: 'next_step', operator: 'isBlank', value: true }] },
  message: BIG_MESSAGE,
  field: 'next_step',
};
const HOT_DEAL: ValidationRuleDef = {
  name: 'hot_deal_needs_next_step',
  object: 'deal',
  conditions: { all: [{ fact: 'priority', operator: 'equal', value: 'high' }, { fact: 'next_step', operator: 'isBlank', value: true }] },
  message: HOT_MESSAGE,
  field: 'next_step',
};
const noteIs = (value: string) => ({ all: [{ fact: 'note', operator: 'equal', value }] });
const PROCESS = 'discount_review';
const SLA_RULE = 'sla:deal_flow:negotiation:stalled';

const bundle: MetadataBundle = {
  objects: [deal, task],
  roles: [
    { name: 'manager', label: L('Manager'), objects: { deal: { create: true, read: true, update: true, scope: 'all' }, task: { create: true, read: true, update: true, scope: 'all' } } },
    // An approver who may not see the next step.
    { name: 'auditor', label: L('Auditor'), objects: { deal: { read: true, scope: 'all', fields: { next_step: 'hidden' } } } },
  ],
  validationRules: [BIG_DEAL, HOT_DEAL],
  // After-save rules a note sets off, each writing something a rule or a field check refuses while the deal has no next step.
  automationRules: [
    {
      name: 'inflate',
      object: 'deal',
      trigger: { on: 'updated', fields: ['note'] },
      conditions: noteIs('inflate'),
      actions: [
        { type: 'setField', field: 'requested_amount', to: { value: 2_000_000 } },
        { type: 'setField', field: 'amount', to: { field: 'requested_amount' } },
      ],
    },
    { name: 'rename', object: 'deal', trigger: { on: 'updated', fields: ['note'] }, conditions: noteIs('rename'), actions: [{ type: 'setField', field: 'name', to: { field: 'next_step' } }] },
    { name: 'spawn', object: 'deal', trigger: { on: 'updated', fields: ['note'] }, conditions: noteIs('spawn'), actions: [{ type: 'createRecord', object: 'deal', values: { name: { value: 'Spawned' }, amount: { value: 3_000_000 }, next_step: { field: 'next_step' } } }] },
    { name: 'follow_up', object: 'deal', trigger: { on: 'updated', fields: ['note'] }, conditions: noteIs('follow_up'), actions: [{ type: 'createRecord', object: 'task', values: { subject: { field: 'next_step' }, deal: { field: 'id' } } }] },
    { name: 'plan', object: 'deal', trigger: { on: 'updated', fields: ['note'] }, conditions: noteIs('plan'), actions: [{ type: 'setField', field: 'next_step', to: { value: 'Secret plan' } }, { type: 'setField', field: 'note', to: { value: 'planned' } }] },
  ],
  workflows: [
    {
      name: 'deal_flow',
      object: 'deal',
      field: 'stage',
      states: [
        { name: 'open', category: 'open' },
        // Stalled a day in negotiation: the deal is escalated — which needs a next step.
        { name: 'negotiation', category: 'open', sla: [{ name: 'stalled', after: { days: 1 }, actions: [{ type: 'setField', field: 'priority', to: { value: 'high' } }] }] },
        { name: 'won', category: 'won' },
        { name: 'lost', category: 'lost' },
      ],
      transitions: [
        { name: 'negotiate', from: ['open'], to: 'negotiation' },
        { name: 'win', from: ['open', 'negotiation'], to: 'won' },
        { name: 'lose', from: ['open', 'negotiation'], to: 'lost' },
      ],
    },
  ],
  approvalProcesses: [
    {
      name: PROCESS,
      object: 'deal',
      entryConditions: { all: [{ fact: 'discount', operator: 'greaterThan', value: 20 }] },
      steps: [{ name: 'manager', approvers: [{ type: 'role', role: 'manager' }, { type: 'role', role: 'auditor' }] }],
      // Approved: the requested amount becomes the amount. Rejected: the deal is escalated, and a task named after its note follows from the stream.
      onApprove: [{ type: 'setField', field: 'amount', to: { field: 'requested_amount' } }],
      onReject: [
        { type: 'setField', field: 'priority', to: { value: 'high' } },
        { type: 'createRecord', object: 'task', values: { subject: { field: 'note' }, deal: { field: 'id' } } },
      ],
    },
  ],
};

/** Moved forward by the SLA tests; everything but token expiry reads this clock. */
let skewMs = 0;
let api: TestApi;
let poller: StreamPoller;
let admin: string;
let manager: string;
let auditor: string;

type Values = Record<string, unknown>;
type Stored = Values & { id: string; version: number };
interface Run {
  id: string;
  rule: string;
  trigger: string;
  outcome: string;
  error?: string;
  actions: Array<{ index: number; type: string; status: string; error?: string; detail?: Record<string, unknown> }>;
}

beforeAll(async () => {
  api = await createTestApi({ now: () => new Date(Date.now() + skewMs) });
  poller = new StreamPoller({ endpoint: inject('dynamoEndpoint'), tableName: api.tableName, intervalMs: 60_000, handle: (records) => handleStreamRecords(api.services, records) });
  await poller.drain();
  const t = await api.tenant();
  admin = t.token;
  await api.publish(admin, bundle);
  const user = async (role: string) => {
    const res = await api.call('POST', '/api/users', { token: admin, body: { email: `${role}@${t.tenantId}.test`, name: role, roles: [role], password: 'correct horse battery staple' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (await api.services.tokens.sign!({ tenantId: t.tenantId, userId: res.body.id, roles: [] })).token;
  };
  manager = await user('manager');
  auditor = await user('auditor');
  forgetDirectory(t.tenantId);
}, 120_000);
afterAll(async () => poller?.stop());

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = admin): Promise<ApiResult> => api.call(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
const read = async (id: string, object = 'deal'): Promise<Stored> => (await call('GET', `/api/objects/${object}/records/${id}`)).body;

let serial = 0;
async function create(values: Values, object = 'deal'): Promise<Stored> {
  const res = await call('POST', `/api/objects/${object}/records`, object === 'deal' ? { name: `Deal ${++serial}`, ...values } : values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function patch(record: Stored, values: Values): Promise<Stored> {
  const res = await call('PATCH', `/api/objects/deal/records/${record.id}`, values, { 'if-match': String(record.version) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every record of an object, by its name field. */
async function names(object: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResult<{ items: Values[]; nextCursor: string | null }> = await call('GET', `/api/objects/${object}/records?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.body.items.map((r) => String(r[object === 'task' ? 'subject' : 'name'])));
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}
const tasksOf = async (id: string): Promise<Values[]> => (await call('GET', `/api/objects/deal/records/${id}/related/task`)).body.items;
const runsOf = async (id: string): Promise<Run[]> => (await call('GET', `/api/objects/deal/records/${id}/runs`)).body.items;
const runOf = async (id: string, rule: string, trigger?: string): Promise<Run> => {
  const runs = (await runsOf(id)).filter((r) => r.rule === rule && (trigger === undefined || r.trigger === trigger));
  expect(runs, rule).toHaveLength(1);
  return runs[0]!;
};

/** The record is exactly as it was: no new version, no new history entry. */
async function unchanged(before: Stored): Promise<void> {
  expect(await read(before.id)).toEqual(before);
  const history = (await call('GET', `/api/objects/deal/records/${before.id}/history`)).body.items as unknown[];
  expect(history).toHaveLength(before.version);
}

/** A refusal as problem+json: 422 validation.failed, one rule's message at /next_step. */
function refusedByRule(res: ApiResult, rule: ValidationRuleDef): void {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 422, code: 'validation.failed' });
  expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/next_step', code: 'rule', message: rule.message.en, params: expect.objectContaining({ rule: rule.name }) })]);
}

describe('what a run shows someone who cannot see a field', () => {
  const runsAs = async (token: string, id: string, rule: string): Promise<Run> => {
    const res = await api.call('GET', `/api/objects/deal/records/${id}/runs`, { token });
    expect(res.status).toBe(200);
    return (res.body.items as Run[]).find((r) => r.rule === rule)!;
  };

  it('a reason pointing at the hidden field is replaced by a generic one; the administrator reads it whole', async () => {
    const created = await create({ amount: 100 });
    await patch(created, { note: 'inflate' });
    await drain();
    expect((await runOf(created.id, 'inflate')).error).toContain(`/next_step ${BIG_MESSAGE.en}`);
    const seen = await runsAs(auditor, created.id, 'inflate');
    expect(seen).toMatchObject({ outcome: 'partial', error: 'a field you cannot see stopped this step' });
    expect(seen.actions.map((a) => [a.status, a.error])).toEqual([['applied', undefined], ['failed', 'a field you cannot see stopped this step']]);
    expect(JSON.stringify(seen)).not.toMatch(/next_step|next step/i);
  });

  it('a value a step wrote into the hidden field is not in its detail; the visible ones are', async () => {
    const created = await create({ amount: 100 });
    await patch(created, { note: 'plan' });
    await drain();
    expect((await runOf(created.id, 'plan')).actions.map((a) => a.detail)).toEqual([expect.objectContaining({ next_step: 'Secret plan' }), expect.objectContaining({ note: 'planned' })]);
    const seen = await runsAs(auditor, created.id, 'plan');
    expect(seen.actions.map((a) => a.detail)).toEqual([expect.not.objectContaining({ next_step: expect.anything() }), expect.objectContaining({ note: 'planned' })]);
    expect(JSON.stringify(seen)).not.toMatch(/Secret plan|next_step/);
  });
});

describe('after-save automation actions', () => {
  const CASES = [
    {
      title: 'a setField after one that applied (a rule)',
      note: 'inflate',
      rule: 'inflate',
      statuses: ['applied', 'failed'],
      outcome: 'partial',
      reason: `/next_step ${BIG_MESSAGE.en}`,
      // The first action's value is kept; the amount is not written.
      kept: { requested_amount: 2_000_000, amount: 100 },
      passed: { requested_amount: 2_000_000, amount: 2_000_000 },
    },
    { title: 'a setField blanking a required field (a field check)', note: 'rename', rule: 'rename', statuses: ['failed'], outcome: 'failed', reason: '/name name is required', kept: {}, passed: { name: 'Workshop' } },
    { title: 'a createRecord of a deal (a rule)', note: 'spawn', rule: 'spawn', statuses: ['failed'], outcome: 'failed', reason: `/next_step ${BIG_MESSAGE.en}`, kept: {}, passed: {} },
    { title: 'a createRecord of a task without its required subject (a field check)', note: 'follow_up', rule: 'follow_up', statuses: ['failed'], outcome: 'failed', reason: '/subject subject is required', kept: {}, passed: {} },
  ];

  it.each(CASES)('$title: the run is recorded $outcome with the reason, and nothing invalid is written', async ({ note, rule, statuses, outcome, reason, kept }) => {
    const before = { deals: await names('deal'), tasks: await names('task') };
    const created = await create({ amount: 100 });
    const noted = await patch(created, { note });
    await drain();
    const run = await runOf(created.id, rule);
    expect(run).toMatchObject({ trigger: 'updated', outcome });
    expect(run.actions.map((a) => a.status)).toEqual(statuses);
    expect(run.actions.at(-1)!.error).toContain(reason);
    expect(run.error).toBe(run.actions.at(-1)!.error);
    if (Object.keys(kept).length === 0) await unchanged(noted);
    else expect(await read(created.id)).toMatchObject({ ...kept, version: noted.version + 1 });
    // The failed action created no record: the deals are those before and this one.
    expect((await names('deal')).sort()).toEqual([...before.deals, created.name].sort());
    expect(await names('task')).toEqual(before.tasks);
  });

  it.each(CASES)('$title applies when the deal has a next step: the refusal above is the check’s', async ({ note, rule, statuses, passed }) => {
    const created = await create({ amount: 100, next_step: 'Workshop' });
    await patch(created, { note });
    await drain();
    const run = await runOf(created.id, rule);
    expect(run).toMatchObject({ outcome: 'applied' });
    expect(run.actions.map((a) => a.status)).toEqual(statuses.map(() => 'applied'));
    expect(await read(created.id)).toMatchObject(passed);
    if (rule === 'spawn') expect(await names('deal')).toContain('Spawned');
    if (rule === 'follow_up') expect(await tasksOf(created.id)).toEqual([expect.objectContaining({ subject: 'Workshop' })]);
  });
});

describe('an approval’s outcome actions', () => {
  const submit = async (record: Stored) => {
    const res = await call('POST', `/api/objects/deal/records/${record.id}/approvals`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { request: res.body.id as string, record: await read(record.id) };
  };
  const decide = (record: Stored, request: string, decision: 'approve' | 'reject', as = manager) => call('POST', `/api/objects/deal/records/${record.id}/approvals/${request}/${decision}`, {}, {}, as);
  const inbox = async () => ((await call('GET', '/api/approvals/inbox', undefined, {}, manager)).body.items as Array<{ request: string }>).map((i) => i.request);
  const requestOf = async (record: Stored) => (await call('GET', `/api/objects/deal/records/${record.id}/approvals`)).body.items[0];

  /*
   * The outcome's setField joins the decision's own write, so the decision is refused as a
   * person's edit would be: 422 with the rule's message, nothing written, the request still
   * pending in the approver's inbox. Once the deal is fixed (an administrator may edit a
   * locked record) the same decision goes through.
   */
  it('an approval whose setField would break a rule is refused with 422 and the rule’s message; the request stays pending until the deal is fixed', async () => {
    const { request, record } = await submit(await create({ amount: 100, requested_amount: 2_000_000, discount: 30 }));
    refusedByRule(await decide(record, request, 'approve'), BIG_DEAL);
    // An approver who may not see the next step is refused too, without the field being named to them.
    const blind = await decide(record, request, 'approve', auditor);
    expect(blind.status, JSON.stringify(blind.body)).toBe(422);
    expect(blind.body).toMatchObject({ code: 'validation.failed', errors: [{ pointer: '', code: 'hiddenField' }] });
    expect(JSON.stringify(blind.body)).not.toMatch(/next_step|next step/);
    await unchanged(record);
    expect(await requestOf(record)).toMatchObject({ id: request, status: 'pending' });
    expect(await inbox()).toContain(request);

    const fixed = await patch(record, { next_step: 'Sign the contract' });
    const approved = await decide(fixed, request, 'approve');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(await read(record.id)).toMatchObject({ amount: 2_000_000, version: fixed.version + 1 });
    expect(await inbox()).not.toContain(request);
  });

  it('a rejection whose setField would break a rule is refused the same way; once it passes, its after-save createRecord that fails a field check is a failed run with the reason', async () => {
    const { request, record } = await submit(await create({ amount: 100, discount: 30 }));
    refusedByRule(await decide(record, request, 'reject'), HOT_DEAL);
    await unchanged(record);
    expect(await requestOf(record)).toMatchObject({ id: request, status: 'pending' });

    const fixed = await patch(record, { next_step: 'Call back' });
    const rejected = await decide(fixed, request, 'reject');
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await read(record.id)).toMatchObject({ priority: 'high', version: fixed.version + 1 });
    // The task takes its subject from the blank note: refused by the task's required field, recorded, not written.
    await drain();
    // The in-write half is recorded under the same name (trigger "transition"), applied with the decision.
    expect(await runOf(record.id, `approval:${PROCESS}:rejected`, 'transition')).toMatchObject({ outcome: 'applied', actions: [{ type: 'setField', status: 'applied' }] });
    const run = await runOf(record.id, `approval:${PROCESS}:rejected`, 'workflow');
    expect(run).toMatchObject({ outcome: 'failed', actions: [{ type: 'createRecord', status: 'failed' }] });
    expect(run.error).toContain('/subject subject is required');
    expect(await tasksOf(record.id)).toEqual([]);
  });
});

describe('SLA timer actions', () => {
  it('an escalation that would break a rule is a failed run of the timer with the rule’s message, writing nothing; beside it a deal with a next step is escalated', async () => {
    const bare = await create({ amount: 100 });
    const ready = await create({ amount: 100, next_step: 'Final offer' });
    const moved = [];
    for (const record of [bare, ready]) {
      const res = await call('POST', `/api/objects/deal/records/${record.id}/transitions/negotiate`, {}, { 'if-match': String(record.version) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      moved.push(res.body as Stored);
    }
    // The stream sets each deal's SLA timer; a day and a minute later the tick fires both.
    await drain();
    expect(await runDueTimers(api.services, api.services.now())).toMatchObject({ fired: 0, failed: 0 });
    skewMs += 24 * 3_600_000 + 60_000;
    expect(await runDueTimers(api.services, api.services.now())).toEqual({ fired: 2, cancelled: 0, moved: 0, failed: 0 });

    const failed = await runOf(bare.id, SLA_RULE);
    expect(failed).toMatchObject({ trigger: 'timer', outcome: 'failed', actions: [{ type: 'setField', status: 'failed' }] });
    expect(failed.error).toContain(`/next_step ${HOT_MESSAGE.en}`);
    await unchanged(moved[0]!);
    expect(await runOf(ready.id, SLA_RULE)).toMatchObject({ outcome: 'applied', actions: [{ status: 'applied' }] });
    expect(await read(ready.id)).toMatchObject({ priority: 'high', version: moved[1]!.version + 1 });
    // Fired once: a second tick finds nothing due.
    expect(await runDueTimers(api.services, api.services.now())).toMatchObject({ fired: 0, failed: 0 });
  });
});

describe('merges', () => {
  const merge = (survivor: Stored, merged: Stored, values: Record<string, string>, preview = false) =>
    call('POST', '/api/objects/deal/merge', { survivor: { id: survivor.id, version: survivor.version }, merged: [{ id: merged.id, version: merged.version }], values, ...(preview ? { preview } : {}) });

  it('a merge whose chosen values would break a rule is refused with problem+json, preview and all, and nothing is merged', async () => {
    const big = await create({ name: 'Globex (big)', amount: 2_000_000, next_step: 'Workshop' });
    const small = await create({ name: 'Globex', amount: 100 });
    const child = await create({ subject: 'Globex kick-off', deal: big.id }, 'task');
    // The big deal's amount, the small one's (blank) next step.
    const choice = { amount: big.id, next_step: small.id };
    refusedByRule(await merge(small, big, choice, true), BIG_DEAL);
    refusedByRule(await merge(small, big, choice), BIG_DEAL);
    await unchanged(small);
    await unchanged(big);
    expect(await read(child.id, 'task')).toEqual(child);

    // Taking the big deal's next step too, the same merge goes through.
    const done = await merge(small, big, { ...choice, next_step: big.id });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ id: small.id, amount: 2_000_000, next_step: 'Workshop', _merged: [big.id], _repointed: { 'task.deal': 1 } });
    expect((await call('GET', `/api/objects/deal/records/${big.id}`)).status).toBe(404);
    expect(await read(child.id, 'task')).toMatchObject({ deal: small.id });
  });
});

describe('an import’s undo', () => {
  const KEY_ACCOUNT: ValidationRuleDef = {
    name: 'key_account_desk',
    object: 'deal',
    conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1_500_000 }] },
    message: L('Deals over 1,500,000 go through the key-account desk'),
    field: 'amount',
  };
  afterAll(async () => {
    await api.publish(admin, bundle);
  });

  async function runAll(id: string, phase: 'run' | 'undo') {
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', `/api/imports/${id}/${phase}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (res.body[phase].done) return res.body;
    }
    throw new Error(`the import's ${phase} did not finish`);
  }

  /*
   * Undo puts a before-image back through the same patch as a person's edit (its only
   * exemption is the duplicate rules: the record was there before). So a before-image that a
   * rule published after the import refuses is not written: the row's undo is 'failed' with
   * the problem, the record keeps the import's values, and the other rows are undone.
   */
  it('a before-image a rule published after the import refuses is not restored: the row is failed with the rule’s problem, the rest undone', async () => {
    const big = await create({ amount: 2_000_000, next_step: 'Board meeting' });
    const plain = await create({ amount: 500 });
    const up = await call('POST', '/api/imports', { object: 'deal', csv: `id,name,amount\n${big.id},${big.name},900000\n${plain.id},${plain.name},600\n,Imported deal,700\n` });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const set = await call('PATCH', `/api/imports/${up.body.id}`, { mode: 'upsert', matchOn: 'id', mapping: ['id', 'name', 'amount'] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await runAll(up.body.id, 'run')).run.counts).toMatchObject({ created: 1, updated: 2, failed: 0 });
    const imported = await read(big.id);
    expect(imported).toMatchObject({ amount: 900_000, version: 2 });

    await api.publish(admin, { ...bundle, validationRules: [...bundle.validationRules!, KEY_ACCOUNT] });
    const undone = await runAll(up.body.id, 'undo');
    expect(undone).toMatchObject({ status: 'undone', undo: { counts: { restored: 1, deleted: 1, failed: 1, conflict: 0, gone: 0 } } });
    const rows = (await call('GET', `/api/imports/${up.body.id}/rows`)).body.items;
    expect(rows.map((r: { undo: { outcome: string } }) => r.undo.outcome)).toEqual(['failed', 'restored', 'deleted']);
    expect(rows[0].undo.problem).toMatchObject({ status: 422, code: 'validation.failed', errors: [{ pointer: '/amount', code: 'rule', message: KEY_ACCOUNT.message.en }] });
    await unchanged(imported);
    expect(await read(plain.id)).toMatchObject({ amount: 500, version: 3 });
    expect(await names('deal')).not.toContain('Imported deal');
  });
});
