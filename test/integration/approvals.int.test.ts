import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetDirectory } from '../../functions/api/operations/directory';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Approvals end to end on DynamoDB Local, with crm-core's quote discount approval (over 20%:
 * the submitter's sales manager; over 40%: also a director): submitting (entry conditions,
 * the lock, the workflow moving with it), each approver's inbox, a full multi-step approval
 * with a rejection back to an earlier step, rejection to the submitter, recall, delegation,
 * comments and history, after-save outcome actions from the stream; and an all-must-approve
 * step whose approvers decide at the same moment.
 */

let api: TestApi;
let crm: CrmTenant;
let poller: StreamPoller;
let account: string;
const users: Record<'director' | 'manager2', { id: string; token: string }> = {} as never;

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};

async function addUser(name: string, roles: string[]): Promise<{ id: string; token: string }> {
  const res = await api.call('POST', '/api/users', { token: crm.tokens.admin, body: { email: `${name}@${crm.tenantId}.test`, name, roles, password: 'correct horse battery staple' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, token: (await api.services.tokens.sign!({ tenantId: crm.tenantId, userId: res.body.id, roles: [] })).token };
}

async function setManager(user: string, manager: string): Promise<void> {
  const all = (await api.call('GET', '/api/users', { token: crm.tokens.admin })).body.items as Array<{ id: string; version: number }>;
  const res = await api.call('PATCH', `/api/users/${user}`, { token: crm.tokens.admin, body: { manager }, headers: { 'if-match': String(all.find((u) => u.id === user)!.version) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  api = await createTestApi();
  poller = consumerPoller(api, { intervalMs: 60_000 });
  await poller.drain();
  crm = await crmTenant(api);
  users.director = await addUser('director', ['executive']);
  users.manager2 = await addUser('manager2', ['sales_manager']);
  // rep → manager → director: the manager chain.
  await setManager(crm.ids.rep, crm.ids.manager);
  await setManager(crm.ids.manager, users.director.id);
  forgetDirectory(crm.tenantId);
  account = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.rep, body: { name: 'Acme' } })).body.id;
}, 120_000);

afterAll(async () => {
  await poller?.stop();
});

const quote = async (discount: number, token = crm.tokens.rep) => {
  const res = await api.call('POST', '/api/objects/quote/records', { token, body: { name: `Quote ${discount}%`, account, discount_percent: discount, subtotal: 10000 } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; status: string };
};
const read = async (id: string) => (await api.call('GET', `/api/objects/quote/records/${id}`, { token: crm.tokens.admin })).body;
const submit = (id: string, body: unknown = {}, token = crm.tokens.rep) => api.call('POST', `/api/objects/quote/records/${id}/approvals`, { token, body });
const decide = (id: string, request: string, action: string, token: string, body: unknown = {}) => api.call('POST', `/api/objects/quote/records/${id}/approvals/${request}/${action}`, { token, body });
const inbox = async (token: string) => ((await api.call('GET', '/api/approvals/inbox', { token })).body.items as Array<{ request: string; recordId: string; step: string; recordName: string }>);
const requests = async (id: string) => (await api.call('GET', `/api/objects/quote/records/${id}/approvals`, { token: crm.tokens.rep })).body.items;
const expectOk = (res: { status: number; body: unknown }, status = 200) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as { id: string; status: string; step: number | null; steps: Array<{ name: string; status: string; approvers: Array<{ user: string; decision?: string }> }>; events: Array<{ action: string; by: string; comment?: string; to?: string }> };
};

describe('submitting for approval', () => {
  it('a discount of 20% or less is approved without review; more needs the approval (the guard says so)', async () => {
    const small = await quote(15);
    const approved = await api.call('POST', `/api/objects/quote/records/${small.id}/transitions/approve_without_review`, { token: crm.tokens.rep });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');
    const big = await quote(30);
    const refused = await api.call('POST', `/api/objects/quote/records/${big.id}/transitions/approve_without_review`, { token: crm.tokens.rep });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ code: 'guard', message: 'A discount over 20% needs approval: submit the quote for approval' });
    // The review transitions are the approval's, not a person's.
    const manual = await api.call('POST', `/api/objects/quote/records/${big.id}/transitions/start_review`, { token: crm.tokens.admin });
    expect(manual.status).toBe(409);
    expect(manual.body.errors.map((e: { code: string }) => e.code)).toEqual(['automatic']);
  });

  it('refuses a record no process’s entry conditions fit, and a submitter with nobody to approve', async () => {
    const small = await quote(10);
    const res = await submit(small.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'approval.notAllowed', errors: [{ code: 'entryConditions' }] });
    // rep2 has no manager: the first step has nobody to ask, and nothing is written.
    const orphan = await quote(30, crm.tokens.rep2);
    const refused = await submit(orphan.id, {}, crm.tokens.rep2);
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ code: 'noApprover', params: { step: 'sales_manager' } });
    expect(await read(orphan.id)).toMatchObject({ status: 'draft', version: 1 });
  });

  it('locks the record, moves it into review in the same write, and puts it in the approver’s inbox', async () => {
    const q = await quote(30);
    const request = expectOk(await submit(q.id, { comment: 'Strategic customer' }), 201);
    expect(request).toMatchObject({ status: 'pending', step: 0, steps: [{ name: 'sales_manager', status: 'pending', approvers: [{ user: crm.ids.manager }] }, { name: 'director', status: 'waiting' }] });
    expect(await read(q.id)).toMatchObject({ status: 'in_review', version: 2 });
    expect((await inbox(crm.tokens.manager)).find((i) => i.request === request.id)).toMatchObject({ recordId: q.id, step: 'sales_manager', recordName: 'Quote 30%' });
    expect((await inbox(users.director.token)).some((i) => i.request === request.id)).toBe(false);
    // Locked: the owner may not edit, nor delete; a second submission is refused; an administrator may edit.
    const edit = await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.rep, body: { notes: 'x' }, headers: { 'if-match': '2' } });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'record.locked', request: request.id });
    expect((await api.call('DELETE', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.manager })).status).toBe(409);
    expect((await submit(q.id)).body.errors[0].code).toBe('alreadyPending');
    const transitions = (await api.call('GET', `/api/objects/quote/records/${q.id}/transitions`, { token: crm.tokens.rep })).body;
    expect(transitions.approval).toEqual({ request: request.id, process: 'quote_discount', locked: true });
    expect(transitions.transitions.every((t: { reasons: Array<{ code: string }> }) => t.reasons.some((r) => r.code === 'locked'))).toBe(true);
    expect((await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.admin, body: { notes: 'fixed by admin' }, headers: { 'if-match': '2' } })).status).toBe(200);
    // A manager approves: a 30% discount needs nobody else.
    const approved = expectOk(await decide(q.id, request.id, 'approve', crm.tokens.manager, { comment: 'OK' }));
    expect(approved).toMatchObject({ status: 'approved', step: null, steps: [{ status: 'approved' }, { status: 'skipped' }] });
    expect(await read(q.id)).toMatchObject({ status: 'approved' });
    expect((await inbox(crm.tokens.manager)).some((i) => i.request === request.id)).toBe(false);
    expect((await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.rep, body: { notes: 'unlocked' }, headers: { 'if-match': String((await read(q.id)).version) } })).status).toBe(200);
  });
});

describe('a full multi-step approval', () => {
  it('goes to the manager, then the director, back to the manager on a rejection to that step, and is approved; history and comments say how', async () => {
    const q = await quote(45);
    const request = expectOk(await submit(q.id, { comment: 'Competitive bid' }), 201);
    // A director is not asked yet, and may not decide.
    expect((await decide(q.id, request.id, 'approve', users.director.token)).status).toBe(403);
    expectOk(await decide(q.id, request.id, 'approve', crm.tokens.manager, { comment: 'Fine by me' }));
    expect((await inbox(users.director.token)).map((i) => [i.recordId, i.step])).toContainEqual([q.id, 'director']);
    // The director sends it back to the manager's step; the record stays locked and in review.
    const returned = expectOk(await decide(q.id, request.id, 'reject', users.director.token, { comment: 'Check the margin first', backTo: 'sales_manager' }));
    expect(returned).toMatchObject({ status: 'pending', step: 0, steps: [{ status: 'pending' }, { status: 'waiting' }] });
    expect(await read(q.id)).toMatchObject({ status: 'in_review' });
    expect((await inbox(users.director.token)).some((i) => i.request === request.id)).toBe(false);
    expect((await inbox(crm.tokens.manager)).some((i) => i.request === request.id)).toBe(true);
    // A rejection back to a step that is not earlier is refused.
    expect((await decide(q.id, request.id, 'reject', crm.tokens.manager, { backTo: 'director' })).status).toBe(400);
    expectOk(await decide(q.id, request.id, 'approve', crm.tokens.manager, { comment: 'Margin is 18%' }));
    const done = expectOk(await decide(q.id, request.id, 'approve', users.director.token, { comment: 'Approved' }));
    expect(done).toMatchObject({ status: 'approved', step: null });
    expect(done.events.map((e) => [e.action, e.by, e.comment])).toEqual([
      ['submitted', crm.ids.rep, 'Competitive bid'],
      ['approved', crm.ids.manager, 'Fine by me'],
      ['returned', users.director.id, 'Check the margin first'],
      ['approved', crm.ids.manager, 'Margin is 18%'],
      ['approved', users.director.id, 'Approved'],
    ]);
    expect(await read(q.id)).toMatchObject({ status: 'approved' });
    const history = (await api.call('GET', `/api/objects/quote/records/${q.id}/history`, { token: crm.tokens.rep })).body.items as Array<{ approval?: { action: string }; transition?: { name: string } }>;
    expect(history.filter((h) => h.approval).map((h) => [h.approval!.action, h.transition?.name ?? null]).reverse()).toEqual([
      ['submitted', 'start_review'],
      ['approved', null],
      ['returned', null],
      ['approved', null],
      ['approved', 'review_approved'],
    ]);
    expect(await requests(q.id)).toEqual([expect.objectContaining({ id: request.id, status: 'approved' })]);
    // The outcome's notice to the owner runs after save, from the stream.
    await drain();
    const notes = (await api.call('GET', '/api/notifications', { token: crm.tokens.rep })).body.items as Array<{ recordId: string; message: { en: string } }>;
    expect(notes.filter((n) => n.recordId === q.id).map((n) => n.message.en)).toEqual(["Your quote's discount was approved"]);
    // An approved quote keeps its discount (a validation rule), and goes on through its workflow.
    const version = (await read(q.id)).version;
    expect((await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.rep, body: { discount_percent: 60 }, headers: { 'if-match': String(version) } })).status).toBe(422);
    expect((await api.call('POST', `/api/objects/quote/records/${q.id}/transitions/send`, { token: crm.tokens.rep })).body.status).toBe('sent');
  });

  it('rejected to the submitter: the record is released, back in draft, and the submitter told', async () => {
    const q = await quote(25);
    const request = expectOk(await submit(q.id), 201);
    const rejected = expectOk(await decide(q.id, request.id, 'reject', crm.tokens.manager, { comment: 'Too generous' }));
    expect(rejected.status).toBe('rejected');
    expect(await read(q.id)).toMatchObject({ status: 'draft' });
    expect((await decide(q.id, request.id, 'approve', crm.tokens.manager)).body.errors[0].code).toBe('notPending');
    await drain();
    const notes = (await api.call('GET', '/api/notifications', { token: crm.tokens.rep })).body.items as Array<{ recordId: string; message: { en: string } }>;
    expect(notes.filter((n) => n.recordId === q.id).map((n) => n.message.en)).toEqual(["Your quote's discount was not approved"]);
    // Fixed and submitted again: a new request.
    const v = (await read(q.id)).version;
    expect((await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.rep, body: { discount_percent: 22 }, headers: { 'if-match': String(v) } })).status).toBe(200);
    expectOk(await submit(q.id), 201);
    expect((await requests(q.id)).map((r: { status: string }) => r.status)).toEqual(['pending', 'rejected']);
  });

  it('recalled by the submitter (nobody else): the record is released and back in draft', async () => {
    const q = await quote(35);
    const request = expectOk(await submit(q.id), 201);
    expect((await decide(q.id, request.id, 'recall', crm.tokens.manager)).status).toBe(403);
    const recalled = expectOk(await decide(q.id, request.id, 'recall', crm.tokens.rep, { comment: 'Wrong price book' }));
    expect(recalled.status).toBe('recalled');
    expect(await read(q.id)).toMatchObject({ status: 'draft' });
    expect((await inbox(crm.tokens.manager)).some((i) => i.request === request.id)).toBe(false);
    expect((await api.call('PATCH', `/api/objects/quote/records/${q.id}`, { token: crm.tokens.rep, body: { notes: 'editable again' }, headers: { 'if-match': String((await read(q.id)).version) } })).status).toBe(200);
  });

  it('delegated: the delegate finds it in their inbox and decides in the approver’s place', async () => {
    const q = await quote(30);
    const request = expectOk(await submit(q.id), 201);
    // Only to someone who may read quotes: a service agent may not.
    expect((await decide(q.id, request.id, 'delegate', crm.tokens.manager, { to: crm.ids.agent })).status).toBe(400);
    const delegated = expectOk(await decide(q.id, request.id, 'delegate', crm.tokens.manager, { to: users.manager2.id, comment: 'On leave' }));
    expect(delegated.steps[0]!.approvers).toEqual([expect.objectContaining({ user: crm.ids.manager, decision: 'delegated' }), expect.objectContaining({ user: users.manager2.id })]);
    expect((await inbox(crm.tokens.manager)).some((i) => i.request === request.id)).toBe(false);
    expect((await inbox(users.manager2.token)).find((i) => i.request === request.id)).toMatchObject({ recordId: q.id });
    expect((await decide(q.id, request.id, 'approve', crm.tokens.manager)).status).toBe(403);
    expect(expectOk(await decide(q.id, request.id, 'approve', users.manager2.token)).status).toBe('approved');
  });
});

describe('an all-must-approve step', () => {
  const L = (en: string) => ({ en });
  let token: string;
  let approvers: Array<{ id: string; token: string }>;
  let submitter: { id: string; token: string };
  beforeAll(async () => {
    const t = await api.tenant();
    token = t.token;
    const bundle: MetadataBundle = {
      objects: [{ name: 'spend', label: L('Spend'), nameField: 'title', fields: [{ name: 'title', type: 'text', label: L('Title'), required: true }, { name: 'amount', type: 'currency', label: L('Amount') }, { name: 'approved', type: 'boolean', label: L('Approved') }] }],
      roles: [
        { name: 'board', label: L('Board'), objects: { spend: { read: true, viewAll: true } } },
        { name: 'staff', label: L('Staff'), objects: { spend: { create: true, read: true, update: true } } },
      ],
      approvalProcesses: [{ name: 'board_vote', object: 'spend', steps: [{ name: 'vote', approvers: [{ type: 'role', role: 'board' }], mode: 'all' }], onApprove: [{ type: 'setField', field: 'approved', to: { value: true } }] }],
    };
    await api.publish(token, bundle);
    const make = async (roles: string[], name: string) => {
      const id = api.services.newId();
      await api.services.identity.createUser(t.tenantId, { id, email: `${name}@x.test`, name, roles, active: true, createdAt: new Date().toISOString(), passwordHash: '' });
      return { id, token: (await api.services.tokens.sign!({ tenantId: t.tenantId, userId: id, roles })).token };
    };
    approvers = [await make(['board'], 'b1'), await make(['board'], 'b2'), await make(['board'], 'b3')];
    submitter = await make(['staff'], 'staff');
    forgetDirectory(t.tenantId);
  });

  it('waits for every approver; decisions made at the same moment are all counted, and the outcome’s actions apply once', async () => {
    const spend = (await api.call('POST', '/api/objects/spend/records', { token: submitter.token, body: { title: 'New servers', amount: 90000 } })).body;
    const request = (await api.call('POST', `/api/objects/spend/records/${spend.id}/approvals`, { token: submitter.token })).body;
    expect(request.steps[0].approvers.map((a: { user: string }) => a.user).sort()).toEqual(approvers.map((a) => a.id).sort());
    const first = await api.call('POST', `/api/objects/spend/records/${spend.id}/approvals/${request.id}/approve`, { token: approvers[0]!.token });
    expect(first.body).toMatchObject({ status: 'pending' });
    const both = await Promise.all(approvers.slice(1).map((a) => api.call('POST', `/api/objects/spend/records/${spend.id}/approvals/${request.id}/approve`, { token: a.token })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const final = (await api.call('GET', `/api/objects/spend/records/${spend.id}/approvals`, { token })).body.items[0];
    expect(final.status).toBe('approved');
    expect(final.steps[0].approvers.map((a: { decision: string }) => a.decision)).toEqual(['approved', 'approved', 'approved']);
    const record = (await api.call('GET', `/api/objects/spend/records/${spend.id}`, { token })).body;
    expect(record).toMatchObject({ approved: true });
    const history = (await api.call('GET', `/api/objects/spend/records/${spend.id}/history`, { token })).body.items;
    expect(history.filter((h: { approval?: { outcome?: string } }) => h.approval?.outcome === 'approved')).toHaveLength(1);
  });
});
