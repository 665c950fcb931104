import { beforeAll, describe, expect, it } from 'vitest';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Assignment rules at their edges, on DynamoDB Local through the users and teams API:
 * round-robin over a role or a team hands turns to active members only (a deactivated user or
 * one who left the team gets none, and gets turns again when back), a role or team with no
 * active member leaves the record with its creator and records why (a 422 on reassign, never
 * a 5xx), and least-loaded ignores inactive members however few records they own.
 */

const L = (en: string) => ({ en });
const ROUTES = ['role', 'team', 'empty_role', 'empty_team', 'load', 'none'] as const;
const lead: ObjectDef = {
  name: 'lead',
  label: L('Lead'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    // Which assignment entry a record takes: one published rule set serves every test.
    { name: 'route', type: 'picklist', label: L('Route'), default: 'none', options: ROUTES.map((value) => ({ value, label: L(value) })) },
  ],
};
const when = (route: string) => ({ all: [{ fact: 'route', operator: 'equal', value: route }] });
const role = (name: string) => ({ name, label: L(name), objects: { lead: { create: true, read: true, update: true, scope: 'own' as const } } });
const bundle: MetadataBundle = {
  objects: [lead],
  roles: [role('agent'), role('helper'), role('spare'), role('closer')],
  assignmentRules: [
    {
      object: 'lead',
      entries: [
        { name: 'by_role', conditions: when('role'), assignee: { type: 'roundRobin', role: 'agent' } },
        { name: 'by_team', conditions: when('team'), assignee: { type: 'roundRobin', team: 'desk' } },
        { name: 'nobody_in_role', conditions: when('empty_role'), assignee: { type: 'roundRobin', role: 'spare' } },
        { name: 'nobody_in_team', conditions: when('empty_team'), assignee: { type: 'roundRobin', team: 'ghosts' } },
        { name: 'by_load', conditions: when('load'), assignee: { type: 'leastLoaded', role: 'closer' } },
      ],
    },
  ],
};

let api: TestApi;
let token: string;
let admin: string;
/** Each user's current version, for If-Match. */
const versions = new Map<string, number>();

async function newUser(name: string, roles: string[]): Promise<string> {
  const res = await api.call('POST', '/api/users', { token, body: { email: `${name}@x.test`, name, roles } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  versions.set(res.body.id, res.body.version);
  return res.body.id as string;
}

async function setActive(id: string, active: boolean): Promise<void> {
  const res = await api.call('PATCH', `/api/users/${id}`, { token, body: { active }, headers: { 'if-match': String(versions.get(id)) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.active).toBe(active);
  versions.set(id, res.body.version);
}

async function newTeam(name: string, members: string[]): Promise<{ id: string; version: number }> {
  const res = await api.call('POST', '/api/teams', { token, body: { name, members } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function create(route: (typeof ROUTES)[number], extra: Record<string, unknown> = {}): Promise<{ id: string; version: number; owner: string }> {
  const res = await api.call('POST', '/api/objects/lead/records', { token, body: { name: `${route} lead`, route, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Creates `n` records one after another and counts them by owner. */
async function ownersOf(route: (typeof ROUTES)[number], n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const { owner } = await create(route);
    counts[owner] = (counts[owner] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  admin = t.user.userId;
  await api.publish(token, bundle);
}, 60_000);

describe('round-robin over a role', () => {
  it('gives a deactivated member no turn, and turns again once reactivated', async () => {
    const [a1, a2, a3] = [await newUser('a1', ['agent']), await newUser('a2', ['agent']), await newUser('a3', ['agent'])];
    expect(await ownersOf('role', 6)).toEqual({ [a1]: 2, [a2]: 2, [a3]: 2 });

    await setActive(a2, false);
    expect(await ownersOf('role', 4)).toEqual({ [a1]: 2, [a3]: 2 });

    await setActive(a2, true);
    expect(await ownersOf('role', 3)).toEqual({ [a1]: 1, [a2]: 1, [a3]: 1 });
  });
});

describe('round-robin over a team', () => {
  it('gives turns to members only: one who left the team, or is deactivated, gets none', async () => {
    const [t1, t2, t3] = [await newUser('t1', ['helper']), await newUser('t2', ['helper']), await newUser('t3', ['helper'])];
    // Holds the members' role but is not a member: never in the team's rotation.
    await newUser('t4', ['helper']);
    const desk = await newTeam('desk', [t1, t2, t3]);
    expect(await ownersOf('team', 6)).toEqual({ [t1]: 2, [t2]: 2, [t3]: 2 });

    const left = await api.call('PATCH', `/api/teams/${desk.id}`, { token, body: { members: [t1, t3] }, headers: { 'if-match': String(desk.version) } });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(await ownersOf('team', 4)).toEqual({ [t1]: 2, [t3]: 2 });

    await setActive(t3, false);
    expect(await ownersOf('team', 2)).toEqual({ [t1]: 2 });
  });
});

describe('a role or team with no active member', () => {
  let spare: string;
  it('leaves a new record with its creator and records the failed assignment with its reason', async () => {
    // The role has a holder, but not an active one.
    spare = await newUser('spare', ['spare']);
    await setActive(spare, false);
    // The team has members, none active.
    const ghost = await newUser('ghost', ['helper']);
    await newTeam('ghosts', [ghost, spare]);
    await setActive(ghost, false);

    for (const [route, entry] of [['empty_role', 'nobody_in_role'], ['empty_team', 'nobody_in_team']] as const) {
      const rec = await create(route);
      expect(rec.owner).toBe(admin);
      const runs = await api.call('GET', `/api/objects/lead/records/${rec.id}/runs`, { token });
      expect(runs.status).toBe(200);
      expect(runs.body.items).toEqual([
        expect.objectContaining({
          rule: 'assignment:lead',
          kind: 'assignment',
          outcome: 'failed',
          actions: [expect.objectContaining({ type: 'assign', status: 'failed', detail: { entry }, error: expect.stringMatching(/no active member/) })],
        }),
      ]);
    }
  });

  it('answers a reassign with a 422 naming the owner, and keeps the owner', async () => {
    const rec = await create('empty_role');
    const res = await api.call('POST', `/api/objects/lead/records/${rec.id}/reassign`, { token, headers: { 'if-match': String(rec.version) } });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'validation.failed', errors: [{ pointer: '/owner', code: 'noAssignee' }] });
    const after = await api.call('GET', `/api/objects/lead/records/${rec.id}`, { token });
    expect(after.body).toMatchObject({ owner: admin, version: rec.version });
  });

  let stranded: { id: string; version: number; owner: string };
  let failedRun: { id: string; attempts: number };
  it('retries a failed assignment run as a reassign: while nobody can take the record, 422 and the run stays failed', async () => {
    stranded = await create('empty_role');
    failedRun = (await api.call('GET', `/api/objects/lead/records/${stranded.id}/runs`, { token })).body.items[0];
    const res = await api.call('POST', `/api/objects/lead/records/${stranded.id}/runs/${failedRun.id}/retry`, { token });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation.failed', errors: [{ pointer: '/owner', code: 'noAssignee' }] });
    const runs = (await api.call('GET', `/api/objects/lead/records/${stranded.id}/runs`, { token })).body.items;
    expect(runs.map((r: { id: string; outcome: string; attempts: number }) => [r.id, r.outcome, r.attempts])).toEqual([[failedRun.id, 'failed', 1]]);
  });

  it('assigns again as soon as the role has an active member', async () => {
    await setActive(spare, true);
    expect((await create('empty_role')).owner).toBe(spare);
  });

  it('then a retry of the failed run assigns the record, and the same run says so (no second run)', async () => {
    const res = await api.call('POST', `/api/objects/lead/records/${stranded.id}/runs/${failedRun.id}/retry`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: failedRun.id, kind: 'assignment', outcome: 'applied', attempts: 2, actions: [{ type: 'assign', status: 'applied', detail: { entry: 'nobody_in_role', owner: spare } }] });
    expect(res.body.error).toBeUndefined();
    const after = await api.call('GET', `/api/objects/lead/records/${stranded.id}`, { token });
    expect(after.body).toMatchObject({ owner: spare, version: stranded.version + 1 });
    const runs = (await api.call('GET', `/api/objects/lead/records/${stranded.id}/runs`, { token })).body.items;
    expect(runs.map((r: { id: string; outcome: string; attempts: number }) => [r.id, r.outcome, r.attempts])).toEqual([[failedRun.id, 'applied', 2]]);
    const again = await api.call('POST', `/api/objects/lead/records/${stranded.id}/runs/${failedRun.id}/retry`, { token });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ errors: [{ pointer: '/outcome', code: 'notFailed' }] });
  });
});

describe('least-loaded over a role', () => {
  it('passes over an inactive member who owns the fewest records, and counts them again once back', async () => {
    const [c1, c2, c3] = [await newUser('c1', ['closer']), await newUser('c2', ['closer']), await newUser('c3', ['closer'])];
    // Load: c1 owns two leads, c2 one, c3 none (an explicit owner wins over the rules).
    for (const owner of [c1, c1, c2]) expect((await create('none', { owner })).owner).toBe(owner);

    await setActive(c3, false);
    expect((await create('load')).owner).toBe(c2);
    // c1 and c2 now own two each; whoever takes the next, c3 does not.
    const next = await ownersOf('load', 2);
    expect(Object.keys(next).sort()).toEqual([c1, c2].sort());

    await setActive(c3, true);
    expect((await create('load')).owner).toBe(c3);
  });
});
