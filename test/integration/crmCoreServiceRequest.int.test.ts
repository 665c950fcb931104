import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueTimers } from '../../functions/automation/timers';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * The crm-core template's service request workflow (service_request_handling), installed
 * through the template API into a fresh tenant, on DynamoDB Local: service agents walk a
 * request through its real transitions (start, wait for the customer, resume, resolve, reopen,
 * close), refusals come as problems with stable codes (a missing resolution, a transition that
 * does not leave the current state, a role that may not update, the status changed directly),
 * history names every transition, and a resolved request closes on its own after seven days
 * (the state's SLA, from the stream and a clock the test moves).
 */

// Tuesday 10:00 in Shanghai, the template's business time zone.
let clock = new Date('2026-11-24T02:00:00.000Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
  return clock.toISOString();
};
let api: TestApi;
let poller: StreamPoller;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};

beforeAll(async () => {
  api = await createTestApi({ now: () => clock });
  poller = consumerPoller(api, { intervalMs: 60_000 });
  await poller.drain();
  const t = await api.tenant();
  tokens.admin = t.token;
  const install = await api.call('POST', '/api/templates/crm-core/install', { token: t.token, body: { publish: true } });
  expect(install.status, JSON.stringify(install.body)).toBe(200);
  for (const [persona, role] of [['agent', 'service_agent'], ['agent2', 'service_agent'], ['manager', 'sales_manager'], ['rep', 'sales_rep']] as const) {
    const res = await api.call('POST', '/api/users', { token: t.token, body: { email: `${persona}@${t.tenantId}.test`, name: persona, roles: [role] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[persona] = res.body.id;
    tokens[persona] = (await api.services.tokens.sign!({ tenantId: t.tenantId, userId: res.body.id, roles: [] })).token;
  }
  // Agents see their team's requests (scope "team"): the round-robin may give a request to either.
  const team = await api.call('POST', '/api/teams', { token: t.token, body: { name: 'Service desk', members: [ids.agent, ids.agent2] } });
  expect(team.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await poller?.stop();
});

type Request = { id: string; version: number; owner: string; status: string } & Record<string, unknown>;
const path = (id: string) => `/api/objects/service_request/records/${id}`;
const open = async (subject: string): Promise<Request> => {
  const res = await api.call('POST', '/api/objects/service_request/records', { token: tokens.agent, body: { subject, priority: 'p2', channel: 'phone', description: 'smoke' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const transition = (id: string, name: string, options: { token?: string; body?: unknown } = {}) =>
  api.call('POST', `${path(id)}/transitions/${name}`, { token: options.token ?? tokens.agent, ...(options.body !== undefined ? { body: options.body } : {}) });
const ok = async (id: string, name: string, options: { token?: string; body?: unknown } = {}): Promise<Request> => {
  const res = await transition(id, name, options);
  expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};
const read = async (id: string): Promise<Request> => (await api.call('GET', path(id), { token: tokens.admin })).body;
const available = async (id: string, token = tokens.agent) => {
  const res = await api.call('GET', `${path(id)}/transitions`, { token });
  expect(res.status).toBe(200);
  return {
    state: res.body.state as string,
    transitions: Object.fromEntries((res.body.transitions as Array<{ name: string; available: boolean; reasons: Array<{ code: string }> }>).map((t) => [t.name, t.available ? 'yes' : t.reasons.map((r) => r.code).join('+')])),
  };
};
const transitionsInHistory = async (id: string) => {
  const history = (await api.call('GET', `${path(id)}/history`, { token: tokens.admin })).body.items as Array<{ version: number; by: string; at: string; transition?: { workflow: string; name: string; from: string; to: string }; via?: { rule: string } }>;
  return history
    .filter((h) => h.transition)
    .reverse()
    .map((h) => ({ version: h.version, by: h.by, at: h.at, ...h.transition!, ...(h.via ? { via: h.via.rule } : {}) }));
};

describe('a service request through its workflow, as service agents', () => {
  let sr: Request;
  const steps: Array<{ name: string; from: string; to: string; at: string; by: string }> = [];

  it('opens in "new", assigned in turn to an agent, with only start and resolve possible', async () => {
    sr = await open('Printer on fire');
    expect(sr).toMatchObject({ status: 'new', version: 1, priority: 'p2', opened_at: clock.toISOString() });
    expect([ids.agent, ids.agent2]).toContain(sr.owner);
    expect(sr).not.toHaveProperty('first_response_at');
    expect(await available(sr.id)).toEqual({
      state: 'new',
      transitions: { start: 'yes', wait_for_customer: 'notFromState', resume: 'notFromState', resolve: 'requiredFields', reopen: 'notFromState', close: 'notFromState' },
    });
  });

  it('starts (the first response is stamped), waits for the customer and resumes', async () => {
    const startedAt = later(30);
    sr = await ok(sr.id, 'start', { body: { comment: 'On it' } });
    expect(sr).toMatchObject({ status: 'in_progress', first_response_at: startedAt, version: 2 });
    steps.push({ name: 'start', from: 'new', to: 'in_progress', at: startedAt, by: ids.agent! });

    const waitingAt = later(60);
    sr = await ok(sr.id, 'wait_for_customer', { token: tokens.agent2 });
    expect(sr).toMatchObject({ status: 'waiting', version: 3 });
    steps.push({ name: 'wait_for_customer', from: 'in_progress', to: 'waiting', at: waitingAt, by: ids.agent2! });

    const resumedAt = later(60);
    sr = await ok(sr.id, 'resume');
    expect(sr).toMatchObject({ status: 'in_progress', first_response_at: startedAt, version: 4 });
    steps.push({ name: 'resume', from: 'waiting', to: 'in_progress', at: resumedAt, by: ids.agent! });
  });

  it('refuses what the workflow does not allow, each with a stable code, and changes nothing', async () => {
    // Resolving needs a resolution (the state's required field).
    const unresolved = await transition(sr.id, 'resolve');
    expect(unresolved.status).toBe(409);
    expect(unresolved.body).toMatchObject({ code: 'workflow.transitionDenied', errors: [{ pointer: '/resolution', code: 'required' }] });
    // Closing leaves "resolved" only.
    const early = await transition(sr.id, 'close');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'workflow.transitionDenied', errors: [expect.objectContaining({ code: 'notFromState' })] });
    // A sales manager reads service requests but may not change them; a sales rep does not reach them.
    const manager = await transition(sr.id, 'resolve', { token: tokens.manager, body: { values: { resolution: 'x' } } });
    expect(manager.status).toBe(403);
    expect(manager.body).toMatchObject({ code: 'access.denied' });
    expect((await transition(sr.id, 'resolve', { token: tokens.rep, body: { values: { resolution: 'x' } } })).status).toBe(404);
    // The status moves by transitions only.
    const direct = await api.call('PATCH', path(sr.id), { token: tokens.agent, body: { status: 'closed', resolution: 'x' }, headers: { 'if-match': String(sr.version) } });
    expect(direct.status).toBe(409);
    expect(direct.body).toMatchObject({ code: 'workflow.transitionRequired', errors: [{ pointer: '/status', code: 'transitionRequired' }] });
    expect(await read(sr.id)).toMatchObject({ status: 'in_progress', version: sr.version });
    expect(await read(sr.id)).not.toHaveProperty('resolution');
  });

  it('resolves with the resolution sent along, reopens, resolves again and closes', async () => {
    const resolvedAt = later(120);
    sr = await ok(sr.id, 'resolve', { body: { values: { resolution: 'Replaced the fuser unit' } } });
    expect(sr).toMatchObject({ status: 'resolved', resolution: 'Replaced the fuser unit', resolved_at: resolvedAt });
    steps.push({ name: 'resolve', from: 'in_progress', to: 'resolved', at: resolvedAt, by: ids.agent! });

    const reopenedAt = later(60);
    sr = await ok(sr.id, 'reopen', { token: tokens.agent2 });
    expect(sr.status).toBe('in_progress');
    steps.push({ name: 'reopen', from: 'resolved', to: 'in_progress', at: reopenedAt, by: ids.agent2! });

    // The resolution is already there: resolve needs nothing more; resolved_at moves.
    const againAt = later(60);
    sr = await ok(sr.id, 'resolve');
    expect(sr).toMatchObject({ status: 'resolved', resolved_at: againAt });
    steps.push({ name: 'resolve', from: 'in_progress', to: 'resolved', at: againAt, by: ids.agent! });

    const closedAt = later(10);
    sr = await ok(sr.id, 'close', { token: tokens.agent2 });
    expect(sr.status).toBe('closed');
    steps.push({ name: 'close', from: 'resolved', to: 'closed', at: closedAt, by: ids.agent2! });
    expect(Object.values((await available(sr.id)).transitions).every((why) => why !== 'yes')).toBe(true);
  });

  it('has every transition in history, in order, with who made it and when', async () => {
    const history = await transitionsInHistory(sr.id);
    expect(history.map(({ name, from, to, at, by }) => ({ name, from, to, at, by }))).toEqual(steps);
    expect(history.every((h) => h.workflow === 'service_request_handling')).toBe(true);
    // One history entry per transition, each a version of its own after the creation.
    expect(history.map((h) => h.version)).toEqual(steps.map((_, i) => i + 2));
    expect(history.find((h) => h.name === 'start')).toMatchObject({ comment: 'On it' });
  });
});

describe('a resolved service request closes on its own a week later', () => {
  it('fires the state’s auto-close SLA at seven days, not before, and history names it', async () => {
    const sr = await open('Paper jam');
    later(15);
    const resolved = await ok(sr.id, 'resolve', { body: { values: { resolution: 'Cleared the jam' } } });
    const resolvedAt = Date.parse(resolved.resolved_at as string);
    await drain();

    clock = new Date(resolvedAt + 7 * 24 * 3600_000 - 60_000);
    expect(await runDueTimers(api.services, clock)).toMatchObject({ failed: 0 });
    expect(await read(sr.id)).toMatchObject({ status: 'resolved' });

    clock = new Date(resolvedAt + 7 * 24 * 3600_000 + 30_000);
    expect(await runDueTimers(api.services, clock)).toMatchObject({ failed: 0 });
    expect(await read(sr.id)).toMatchObject({ status: 'closed', resolution: 'Cleared the jam' });
    const history = await transitionsInHistory(sr.id);
    expect(history.map((h) => [h.name, h.from, h.to, h.via])).toEqual([
      ['resolve', 'new', 'resolved', undefined],
      ['close', 'resolved', 'closed', 'sla:service_request_handling:resolved:auto_close'],
    ]);
    await drain();
  });
});
