import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { FieldDef, MetadataBundle, ObjectDef, RoleDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const name: FieldDef = { name: 'name', type: 'text', label: L('Name'), required: true };

const region: ObjectDef = { name: 'region', label: L('Region'), nameField: 'name', fields: [name, { name: 'code', type: 'text', label: L('Code') }] };
const company: ObjectDef = {
  name: 'company',
  label: L('Company'),
  nameField: 'name',
  fields: [
    name,
    { name: 'industry', type: 'picklist', label: L('Industry'), options: [{ value: 'it', label: L('IT') }, { value: 'energy', label: L('Energy') }] },
    { name: 'region', type: 'lookup', target: 'region', label: L('Region') },
  ],
};
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    name,
    { name: 'amount', type: 'currency', label: L('Amount') },
    { name: 'company', type: 'lookup', target: 'company', label: L('Company'), indexed: true },
    { name: 'industry', type: 'formula', returnType: 'text', expression: 'company.industry', label: L('Industry') },
    { name: 'tag', type: 'formula', returnType: 'text', expression: 'CONCAT(company.region.code, "-", UPPER(industry))', label: L('Tag') },
  ],
};
/** Master: a project; detail: its tasks (master-detail); junction: who is assigned to which project. */
const project: ObjectDef = { name: 'project', label: L('Project'), nameField: 'name', fields: [name] };
const task: ObjectDef = {
  name: 'task',
  label: L('Task'),
  nameField: 'name',
  fields: [name, { name: 'project', type: 'lookup', target: 'project', relationship: 'master-detail', required: true, indexed: true, label: L('Project') }],
};
const step: ObjectDef = {
  name: 'step',
  label: L('Step'),
  nameField: 'name',
  fields: [name, { name: 'task', type: 'lookup', target: 'task', relationship: 'master-detail', required: true, indexed: true, label: L('Task') }],
};
const person: ObjectDef = { name: 'person', label: L('Person'), nameField: 'name', fields: [name] };
const assignment: ObjectDef = {
  name: 'assignment',
  label: L('Assignment'),
  nameField: 'role',
  junction: { between: ['project', 'person'] },
  fields: [
    { name: 'role', type: 'text', label: L('Role') },
    { name: 'project', type: 'lookup', target: 'project', relationship: 'master-detail', required: true, indexed: true, label: L('Project') },
    { name: 'person', type: 'lookup', target: 'person', relationship: 'master-detail', required: true, indexed: true, label: L('Person') },
  ],
};
const own = { create: true, read: true, update: true, delete: true, scope: 'own' as const };
const member: RoleDef = { name: 'member', label: L('Member'), objects: { project: own, task: own, step: own, person: own, assignment: own } };

const bundle = (): MetadataBundle => structuredClone({ objects: [region, company, deal, project, task, step, person, assignment], roles: [member] });

let api: TestApi;
let admin: string;
const users: Record<'a' | 'b', { id: string; token: string }> = {} as never;

async function post(token: string, object: string, body: Record<string, unknown>) {
  const res = await api.call('POST', `/api/objects/${object}/records`, { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const get = (token: string, object: string, id: string) => api.call('GET', `/api/objects/${object}/records/${id}`, { token });

async function problemsOf(objects: ObjectDef[]): Promise<string[]> {
  await api.call('PUT', '/api/metadata/draft', { token: admin, body: { objects, roles: [member] } });
  const res = await api.call('POST', '/api/metadata/validate', { token: admin });
  await api.call('DELETE', '/api/metadata/draft', { token: admin });
  return res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`);
}

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  admin = t.token;
  await api.publish(admin, bundle());
  for (const who of ['a', 'b'] as const) {
    const res = await api.call('POST', '/api/users', { token: admin, body: { email: `${who}@${t.tenantId}.test`, name: who, roles: ['member'], password: 'correct horse battery staple' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    users[who] = { id: res.body.id, token: (await api.services.tokens.sign!({ tenantId: t.tenantId, userId: res.body.id, roles: [] })).token };
  }
});

describe('formulas over parent fields', () => {
  it('reads parent and grandparent fields through lookups, computed on read with one BatchGet per lookup level per page', async () => {
    const north = await post(admin, 'region', { name: 'North', code: 'N' });
    const acme = await post(admin, 'company', { name: 'Acme', industry: 'it', region: north.id });
    const created = await post(admin, 'deal', { name: 'D1', amount: 10, company: acme.id });
    expect(created).toMatchObject({ industry: 'it', tag: 'N-IT' });
    for (let i = 0; i < 3; i++) await post(admin, 'deal', { name: `D${i + 2}`, company: acme.id });

    // The parent changes; the formula follows on the next read, since nothing was stored.
    await api.call('PATCH', `/api/objects/company/records/${acme.id}`, { token: admin, body: { industry: 'energy' }, headers: { 'if-match': '1' } });
    expect((await get(admin, 'deal', created.id)).body).toMatchObject({ industry: 'energy', tag: 'N-ENERGY' });

    api.commandLog.clear();
    const list = await api.call('GET', `/api/objects/deal/records?filter[company]=${acme.id}`, { token: admin });
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.every((d: { tag: string }) => d.tag === 'N-ENERGY')).toBe(true);
    expect(api.commandLog.get('BatchGetItemCommand'), JSON.stringify([...api.commandLog])).toBe(2);
    expect(api.commandLog.get('ScanCommand')).toBeUndefined();

    const orphan = await post(admin, 'deal', { name: 'No company' });
    expect(orphan.industry).toBeUndefined();
    expect(orphan.tag).toBe('-');
  });

  it('cannot be filtered, sorted or indexed, and is type-checked at validation', async () => {
    expect((await api.call('GET', '/api/objects/deal/records?filter[industry]=it', { token: admin })).status).toBe(400);
    const broken = (expression: string, extra: Partial<FieldDef> = {}) => ({ ...deal, fields: [...deal.fields, { name: 'x', type: 'formula', returnType: 'text', expression, label: L('X'), ...extra } as FieldDef] });
    const at = '/objects/2/fields/5';
    expect(await problemsOf([region, company, broken('nothing.industry'), project, task, step, person, assignment])).toContain(`${at}/expression unknownLookup`);
    expect(await problemsOf([region, company, broken('company.colour'), project, task, step, person, assignment])).toContain(`${at}/expression unknownParentField`);
    expect(await problemsOf([region, company, broken('company.region.name.code'), project, task, step, person, assignment])).toContain(`${at}/expression depthExceeded`);
    expect(await problemsOf([region, company, broken('company.industry', { indexed: true }), project, task, step, person, assignment])).toContain(`${at}/indexed volatile`);
    expect(await problemsOf([region, company, broken('company.name * 2'), project, task, step, person, assignment])).toContain(`${at}/expression formula`);
  });
});

describe('master-detail', () => {
  it('gives a detail its master’s owner, so access follows the master; an owner change cascades down the chain', async () => {
    const p = await post(admin, 'project', { name: 'P', owner: users.a.id });
    const t1 = await post(admin, 'task', { name: 'T1', project: p.id, owner: users.b.id });
    expect(t1.owner).toBe(users.a.id);
    const s1 = await post(users.a.token, 'step', { name: 'S1', task: t1.id });
    expect(s1.owner).toBe(users.a.id);
    expect((await get(users.a.token, 'task', t1.id)).status).toBe(200);
    expect((await get(users.b.token, 'task', t1.id)).status).toBe(404);
    // The scope stays owner-based: b's list is served by the by-owner index and holds none of a's tasks.
    const bList = await api.call('GET', '/api/objects/task/records', { token: users.b.token });
    expect(bList.body.meta.servedBy).toBe('owners');
    expect(bList.body.items).toEqual([]);

    // More details than one cascade transaction holds (45), created a few at a time.
    for (let i = 0; i < 60; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => post(admin, 'task', { name: `bulk ${i + k}`, project: p.id })));
    const moved = await api.call('PATCH', `/api/objects/project/records/${p.id}`, { token: admin, body: { owner: users.b.id }, headers: { 'if-match': '1' } });
    expect(moved.status).toBe(200);
    expect((await get(users.b.token, 'task', t1.id)).body.owner).toBe(users.b.id);
    expect((await get(users.b.token, 'step', s1.id)).body.owner).toBe(users.b.id);
    expect((await get(users.a.token, 'task', t1.id)).status).toBe(404);
    const all = await api.call('GET', `/api/objects/task/records?filter[project]=${p.id}&limit=200`, { token: admin });
    expect(all.body.items).toHaveLength(61);
    expect(all.body.items.every((t: { owner: string }) => t.owner === users.b.id)).toBe(true);
    const history = await api.call('GET', `/api/objects/task/records/${t1.id}/history`, { token: admin });
    expect(history.body.items[0].changes).toEqual({ owner: { old: users.a.id, new: users.b.id } });
  }, 120_000);

  it('re-parenting takes the new master’s owner; an owner sent for a detail is ignored', async () => {
    const pa = await post(admin, 'project', { name: 'PA', owner: users.a.id });
    const pb = await post(admin, 'project', { name: 'PB', owner: users.b.id });
    const t = await post(admin, 'task', { name: 'T', project: pa.id });
    const moved = await api.call('PATCH', `/api/objects/task/records/${t.id}`, { token: admin, body: { project: pb.id, owner: users.a.id }, headers: { 'if-match': '1' } });
    expect(moved.status).toBe(200);
    expect(moved.body.owner).toBe(users.b.id);
    const missing = await api.call('POST', '/api/objects/task/records', { token: admin, body: { name: 'x', project: '01J00000000000000000000000' } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([expect.objectContaining({ pointer: '/project', code: 'notFound' })]);
    const none = await api.call('POST', '/api/objects/task/records', { token: admin, body: { name: 'x' } });
    expect(none.status).toBe(422);
    expect(none.body.errors[0]).toMatchObject({ pointer: '/project', code: 'required' });
  });

  it('keeps every detail at its master’s owner through random concurrent creates, re-parents and owner changes', async () => {
    const masters: string[] = [];
    for (const who of ['a', 'b', 'a'] as const) masters.push((await post(admin, 'project', { name: `M-${who}`, owner: users[who].id })).id);
    const op = fc.record({ kind: fc.constantFrom('create', 'reparent', 'owner'), master: fc.nat(2), who: fc.constantFrom('a' as const, 'b' as const), pick: fc.nat() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 12 }), async (ops) => {
        const filter = `filter[project][in]=${masters.join(',')}&limit=200`;
        const existing = (await api.call('GET', `/api/objects/task/records?${filter}`, { token: admin })).body.items as Array<{ id: string; version: number }>;
        const versions = new Map<string, number>();
        for (const m of masters) versions.set(m, (await get(admin, 'project', m)).body.version);
        await Promise.all(
          ops.map(async (o, i) => {
            const target = existing[o.pick % Math.max(existing.length, 1)];
            if (o.kind === 'create' || !target) return api.call('POST', '/api/objects/task/records', { token: admin, body: { name: `r${i}`, project: masters[o.master] } });
            if (o.kind === 'reparent') return api.call('PATCH', `/api/objects/task/records/${target.id}`, { token: admin, body: { project: masters[o.master] }, headers: { 'if-match': String(target.version) } });
            const m = masters[o.master]!;
            return api.call('PATCH', `/api/objects/project/records/${m}`, { token: admin, body: { owner: users[o.who].id }, headers: { 'if-match': String(versions.get(m)) } });
          }),
        );
        const owners = new Map<string, string>();
        for (const m of masters) owners.set(m, (await get(admin, 'project', m)).body.owner);
        const tasks = (await api.call('GET', `/api/objects/task/records?${filter}`, { token: admin })).body.items as Array<{ id: string; project: string; owner: string }>;
        for (const t of tasks) expect(t.owner, `task ${t.id}`).toBe(owners.get(t.project));
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('deleting the master deletes its details', async () => {
    const p = await post(admin, 'project', { name: 'Doomed' });
    const t = await post(admin, 'task', { name: 'T', project: p.id });
    const s = await post(admin, 'step', { name: 'S', task: t.id });
    expect((await api.call('DELETE', `/api/objects/project/records/${p.id}`, { token: admin })).status).toBe(204);
    expect((await get(admin, 'task', t.id)).status).toBe(404);
    expect((await get(admin, 'step', s.id)).status).toBe(404);
  });

  it('metadata refuses a master-detail lookup that is optional, unindexed, clearing, circular or one too many', async () => {
    const bad: ObjectDef = {
      ...task,
      fields: [name, { name: 'project', type: 'lookup', target: 'project', relationship: 'master-detail', onDelete: 'clear', label: L('Project') }],
    };
    const problems = await problemsOf([region, company, deal, project, bad, step, person, assignment]);
    expect(problems).toEqual(expect.arrayContaining(['/objects/4/fields/1/required masterDetailRequired', '/objects/4/fields/1/onDelete masterDetailCascades', '/objects/4/fields/1/relationship needsIndex']));
    const md = (target: string, n: string): FieldDef => ({ name: n, type: 'lookup', target, relationship: 'master-detail', required: true, indexed: true, label: L(n) });
    const circular: ObjectDef = { ...project, fields: [name, md('step', 'step')] };
    expect(await problemsOf([region, company, deal, circular, task, step, person, assignment])).toContain('/objects/3/fields/1/target masterCycle');
    const three: ObjectDef = { ...person, fields: [name, md('region', 'r'), md('company', 'c'), md('deal', 'd')] };
    expect(await problemsOf([region, company, deal, project, task, step, three, assignment])).toContain('/objects/6/fields tooManyMasters');
    const notJunction: ObjectDef = { ...assignment, junction: { between: ['project', 'role'] } };
    expect(await problemsOf([region, company, deal, project, task, step, person, notJunction])).toContain('/objects/7/junction/between/1 notMasterDetail');
  });
});

describe('many-to-many through a junction object', () => {
  it('links a pair once, lists each side from the other as the caller may see it, and unlinks', async () => {
    const p = await post(users.a.token, 'project', { name: 'Apollo' });
    const mine = await post(users.a.token, 'person', { name: 'Ann' });
    const theirs = await post(users.b.token, 'person', { name: 'Bob' });
    const other = await post(users.b.token, 'project', { name: 'Gemini' });

    const link = await api.call('POST', `/api/objects/project/records/${p.id}/links/assignment`, { token: users.a.token, body: { to: mine.id, values: { role: 'lead' } } });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body).toMatchObject({ project: p.id, person: mine.id, role: 'lead', owner: users.a.id });
    const again = await api.call('POST', `/api/objects/person/records/${mine.id}/links/assignment`, { token: users.a.token, body: { to: p.id } });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ pointer: '/to', code: 'alreadyLinked' })]);
    // The same pair through the junction object directly meets the same guard.
    expect((await api.call('POST', '/api/objects/assignment/records', { token: admin, body: { project: p.id, person: mine.id } })).status).toBe(409);
    // b cannot reach a's project: linking to it answers as if it did not exist.
    const hidden = await api.call('POST', `/api/objects/person/records/${theirs.id}/links/assignment`, { token: users.b.token, body: { to: p.id } });
    expect(hidden.status).toBe(422);
    expect(hidden.body.errors[0]).toMatchObject({ pointer: '/to', code: 'notFound' });

    expect((await api.call('POST', `/api/objects/project/records/${p.id}/links/assignment`, { token: admin, body: { to: theirs.id } })).status).toBe(201);
    expect((await api.call('POST', `/api/objects/project/records/${other.id}/links/assignment`, { token: admin, body: { to: mine.id } })).status).toBe(201);

    const people = await api.call('GET', `/api/objects/project/records/${p.id}/links/assignment`, { token: admin });
    expect(people.status).toBe(200);
    expect(people.body).toMatchObject({ object: 'person', junction: 'assignment', meta: { servedBy: 'index:project' } });
    expect(people.body.items.map((r: { name: string }) => r.name)).toEqual(['Ann', 'Bob']);
    // a sees only the people a may see.
    const seen = await api.call('GET', `/api/objects/project/records/${p.id}/links/assignment`, { token: users.a.token });
    expect(seen.body.items.map((r: { name: string }) => r.name)).toEqual(['Ann']);
    const projects = await api.call('GET', `/api/objects/person/records/${mine.id}/links/assignment`, { token: admin });
    expect(projects.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['Apollo', 'Gemini']);

    expect((await api.call('DELETE', `/api/objects/person/records/${mine.id}/links/assignment/${p.id}`, { token: admin })).status).toBe(204);
    expect((await api.call('DELETE', `/api/objects/person/records/${mine.id}/links/assignment/${p.id}`, { token: admin })).status).toBe(404);
    const after = await api.call('GET', `/api/objects/person/records/${mine.id}/links/assignment`, { token: admin });
    expect(after.body.items.map((r: { name: string }) => r.name)).toEqual(['Gemini']);
    // Unlinked, the pair may be linked again.
    expect((await api.call('POST', `/api/objects/project/records/${p.id}/links/assignment`, { token: users.a.token, body: { to: mine.id } })).status).toBe(201);
  });

  it('answers bad link requests with problems, never a 5xx', async () => {
    const p = await post(admin, 'project', { name: 'Z' });
    const cases: Array<[string, string, unknown, number]> = [
      ['POST', `/api/objects/project/records/${p.id}/links/assignment`, { to: 42 }, 422],
      ['POST', `/api/objects/project/records/${p.id}/links/assignment`, { to: p.id, values: { project: p.id }, extra: 1 }, 422],
      ['POST', `/api/objects/project/records/${p.id}/links/task`, { to: p.id }, 404],
      ['POST', `/api/objects/region/records/${p.id}/links/assignment`, { to: p.id }, 404],
      ['GET', `/api/objects/project/records/${p.id}/links/assignment?sort=name`, undefined, 400],
      ['DELETE', `/api/objects/project/records/${p.id}/links/assignment/not-an-id`, undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await api.call(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});
