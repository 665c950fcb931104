import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { ApiResult, TestApi } from '../support/testApi';
import { PERSONAS, crmTenant, sampleBody } from '../support/crmTenant';
import type { CrmTenant, Persona } from '../support/crmTenant';
import { join } from 'node:path';
import { templatesDir, loadTemplate } from '../../functions/api/templates/catalog';

let api: TestApi;
let a: CrmTenant;
let b: CrmTenant;

beforeAll(async () => {
  api = await createTestApi({ metadataTtlMs: 0 });
  a = await crmTenant(api);
  b = await crmTenant(api);
});

const admin = (t: CrmTenant) => t.tokens.admin;

describe('users, teams and deactivation', () => {
  it('a deactivated user cannot sign in and their token stops working', async () => {
    const created = await api.call('POST', '/api/users', { token: admin(a), body: { email: `temp@${a.tenantId}.test`, name: 'Temp', roles: ['sales_rep'], password: 'correct horse battery staple' } });
    expect(created.status).toBe(201);
    const { token } = await api.services.tokens.sign!({ tenantId: a.tenantId, userId: created.body.id, roles: [] });
    expect((await api.call('GET', '/api/me', { token })).status).toBe(200);
    const off = await api.call('PATCH', `/api/users/${created.body.id}`, { token: admin(a), body: { active: false }, headers: { 'if-match': '1' } });
    expect(off.status).toBe(200);
    expect((await api.call('GET', '/api/me', { token })).status).toBe(401);
    const login = await api.call('POST', '/auth/login', { body: { tenant: a.tenantId, email: `temp@${a.tenantId}.test`, password: 'correct horse battery staple' } });
    expect(login.status).toBe(401);
  });

  it('role changes apply to existing tokens, because roles come from the user record', async () => {
    const created = await api.call('POST', '/api/users', { token: admin(a), body: { email: `mover@${a.tenantId}.test`, name: 'Mover', roles: ['marketer'] } });
    const { token } = await api.services.tokens.sign!({ tenantId: a.tenantId, userId: created.body.id, roles: ['admin'] });
    expect((await api.call('GET', '/api/objects/opportunity/records', { token })).status).toBe(404);
    await api.call('PATCH', `/api/users/${created.body.id}`, { token: admin(a), body: { roles: ['data_analyst'] }, headers: { 'if-match': '1' } });
    expect((await api.call('GET', '/api/objects/opportunity/records', { token })).status).toBe(200);
  });

  it.each([
    { title: 'unknown roles', body: { email: 'x1@x.test', name: 'X', roles: ['pope'] }, pointer: '/roles/0' },
    { title: 'a bad e-mail', body: { email: 'nope', name: 'X', roles: [] }, pointer: '/email' },
    { title: 'a short password', body: { email: 'x2@x.test', name: 'X', roles: [], password: 'short' }, pointer: '/password' },
    { title: 'a manager that does not exist', body: { email: 'x3@x.test', name: 'X', roles: [], manager: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, pointer: '/manager' },
    { title: 'an unknown property', body: { email: 'x4@x.test', name: 'X', roles: [], tenant: 'other' }, pointer: '/tenant' },
  ])('refuses a user with $title', async ({ body, pointer }) => {
    const res = await api.call('POST', '/api/users', { token: admin(a), body });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it('refuses a manager cycle and a duplicate e-mail', async () => {
    const m1 = (await api.call('POST', '/api/users', { token: admin(a), body: { email: `m1@${a.tenantId}.test`, name: 'M1', roles: [] } })).body;
    const m2 = (await api.call('POST', '/api/users', { token: admin(a), body: { email: `m2@${a.tenantId}.test`, name: 'M2', roles: [], manager: m1.id } })).body;
    const cycle = await api.call('PATCH', `/api/users/${m1.id}`, { token: admin(a), body: { manager: m2.id }, headers: { 'if-match': '1' } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors[0]).toMatchObject({ pointer: '/manager', code: 'cycle' });
    const dup = await api.call('POST', '/api/users', { token: admin(a), body: { email: `M1@${a.tenantId}.test`, name: 'again', roles: [] } });
    expect(dup.status).toBe(409);
  });

  it('only holders of manageUsers manage users and teams; everyone sees the directory without e-mails', async () => {
    expect((await api.call('POST', '/api/users', { token: a.tokens.manager, body: { email: 'z@z.test', name: 'Z', roles: [] } })).status).toBe(403);
    expect((await api.call('POST', '/api/teams', { token: a.tokens.rep, body: { name: 'T', members: [] } })).status).toBe(403);
    const dir = await api.call('GET', '/api/users', { token: a.tokens.rep });
    expect(dir.status).toBe(200);
    expect(JSON.stringify(dir.body)).not.toMatch(/@/);
    expect(dir.body.items.every((u: Record<string, unknown>) => !('roles' in u))).toBe(true);
  });
});

describe('explain access', () => {
  it('names the roles behind each decision, the field levels and the record reach', async () => {
    const rec = await api.call('POST', '/api/objects/account/records', { token: a.tokens.admin, body: { name: 'Explained', owner: a.ids.rep2 } });
    const res = await api.call('GET', `/api/access/explain?user=${a.ids.rep}&object=account&record=${rec.body.id}`, { token: admin(a) });
    expect(res.status).toBe(200);
    expect(res.body.permissions.delete).toMatchObject({ value: false, decision: 'denied', contributions: [{ role: 'sales_rep', value: false }] });
    expect(res.body.permissions.update).toMatchObject({ value: true, decision: 'granted' });
    expect(res.body.fields.tax_id).toMatchObject({ value: 'read', contributions: [{ role: 'sales_rep', value: 'read' }] });
    expect(res.body.scope.owners).toEqual([a.ids.rep]);
    expect(res.body.record.read).toMatchObject({ allowed: false });
    expect(res.body.record.read.why).toMatch(/outside/);
    expect((await api.call('GET', `/api/access/explain?user=${a.ids.rep}&object=account`, { token: a.tokens.manager })).status).toBe(403);
    expect((await api.call('GET', '/api/access/explain?object=account', { token: admin(a) })).status).toBe(400);
  });

  it('shows an explicit deny beating another role’s grant', async () => {
    const both = await api.call('POST', '/api/users', { token: admin(a), body: { email: `both@${a.tenantId}.test`, name: 'Both', roles: ['sales_rep', 'sales_manager'] } });
    const res = await api.call('GET', `/api/access/explain?user=${both.body.id}&object=account`, { token: admin(a) });
    expect(res.body.permissions.delete).toMatchObject({ value: false, decision: 'denied' });
    expect(res.body.permissions.delete.contributions).toEqual(expect.arrayContaining([{ role: 'sales_manager', value: true }, { role: 'sales_rep', value: false }]));
  });
});

describe('audit', () => {
  it('records publishes, user changes and failed logins with actor and before/after', async () => {
    await api.call('POST', '/auth/login', { body: { tenant: a.tenantId, email: `rep@${a.tenantId}.test`, password: 'wrong password!' } });
    const res = await api.call('GET', '/api/audit?limit=500', { token: admin(a) });
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['metadata.publish', 'user.create', 'user.update', 'team.create', 'auth.loginFailed']));
    const update = res.body.items.find((e: { action: string }) => e.action === 'user.update');
    expect(update).toMatchObject({ actor: a.ids.admin, before: expect.any(Object), after: expect.any(Object) });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt\$/);
    expect((await api.call('GET', '/api/audit', { token: a.tokens.manager })).status).toBe(403);
  });

  it('slows down repeated failed logins with 429 and Retry-After', async () => {
    const email = `rep2@${a.tenantId}.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.call('POST', '/auth/login', { body: { tenant: a.tenantId, email, password: `guess ${i}` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const locked = await api.call('POST', '/auth/login', { body: { tenant: a.tenantId, email, password: 'correct horse battery staple' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('roles are validated metadata', () => {
  it('refuses unknown parents, cycles, unknown objects and fields, and the reserved admin name — publishing nothing', async () => {
    const crm = loadTemplate(join(templatesDir(), 'crm-core')).bundle;
    const roles = [
      { name: 'a_role', label: { en: 'A' }, parent: 'b_role' },
      { name: 'b_role', label: { en: 'B' }, parent: 'a_role' },
      { name: 'c_role', label: { en: 'C' }, parent: 'nobody', objects: { ghost: { read: true }, account: { read: true, fields: { ghost_field: 'read' } } } },
      { name: 'admin', label: { en: 'Mine' } },
    ];
    await api.call('PUT', '/api/metadata/draft', { token: admin(b), body: { ...crm, roles } });
    const res = await api.call('POST', '/api/metadata/publish', { token: admin(b) });
    expect(res.status).toBe(422);
    const at = res.body.errors.map((e: { pointer: string; code: string }) => `${e.pointer} ${e.code}`);
    expect(at).toEqual(
      expect.arrayContaining(['/roles/0/parent cycle', '/roles/2/parent unknownRole', '/roles/2/objects/ghost unknownObject', '/roles/2/objects/account/fields/ghost_field unknownField', '/roles/3/name reserved']),
    );
    await api.call('DELETE', '/api/metadata/draft', { token: admin(b) });
  });
});

/** Every id in a response must be one this tenant made; no response may name a field the caller cannot see. */
const NAME_FIELD: Record<string, string> = { account: 'name', contact: 'full_name', opportunity: 'name', service_request: 'subject' };
const HIDDEN: Partial<Record<Persona, Record<string, string[]>>> = {
  agent: { account: ['annual_revenue', 'tax_id'] },
  agent2: { account: ['annual_revenue', 'tax_id'] },
  marketer: { account: ['tax_id'] },
};

describe('property: two tenants, random calls by random users', () => {
  it('never returns or changes anything of the other tenant, and never shows a hidden field', async () => {
    const ids: Record<string, Set<string>> = { [a.tenantId]: new Set(), [b.tenantId]: new Set() };
    const recordsOf: Record<string, Array<{ object: string; id: string }>> = { [a.tenantId]: [], [b.tenantId]: [] };
    for (const t of [a, b]) {
      for (const object of ['account', 'contact', 'opportunity', 'service_request']) {
        const acct = (await api.call('POST', '/api/objects/account/records', { token: t.tokens.admin, body: { name: `seed ${t.tenantId}`, annual_revenue: 999, tax_id: `91${t.tenantId.slice(-4).toUpperCase().padEnd(4, 'X')}${String(Date.now()).slice(-8)}XXXX`.slice(0, 18) } })).body;
        ids[t.tenantId]!.add(acct.id);
        recordsOf[t.tenantId]!.push({ object: 'account', id: acct.id });
        const rec = (await api.call('POST', `/api/objects/${object}/records`, { token: t.tokens.admin, body: { ...sampleBody(object, acct.id), owner: t.ids.rep } })).body;
        ids[t.tenantId]!.add(rec.id);
        recordsOf[t.tenantId]!.push({ object, id: rec.id });
      }
    }
    const objects = ['account', 'contact', 'opportunity', 'service_request'];
    const action = fc.record({
      tenant: fc.constantFrom('a', 'b'),
      persona: fc.constantFrom(...PERSONAS, 'admin' as const),
      op: fc.constantFrom('create', 'get', 'list', 'patch', 'delete', 'history', 'filter'),
      object: fc.constantFrom(...objects),
      /** Which tenant's record the call aims at: often the other's, to try to cross over. */
      targetTenant: fc.constantFrom('a', 'b'),
      pick: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 15 }), async (calls) => {
        for (const c of calls) {
          const me = c.tenant === 'a' ? a : b;
          const them = c.targetTenant === 'a' ? a : b;
          const token = me.tokens[c.persona];
          const targets = recordsOf[them.tenantId]!.filter((r) => r.object === c.object);
          const target = targets[c.pick % Math.max(targets.length, 1)];
          const base = `/api/objects/${c.object}/records`;
          let res: ApiResult;
          switch (c.op) {
            case 'create':
              res = await api.call('POST', base, { token, body: sampleBody(c.object, [...ids[me.tenantId]!][0]!) });
              break;
            case 'list':
              res = await api.call('GET', `${base}?limit=50`, { token });
              break;
            case 'filter':
              res = await api.call('GET', `${base}?filter[owner]=${me.ids.rep}`, { token });
              break;
            default: {
              if (!target) continue;
              const path = `${base}/${target.id}`;
              res =
                c.op === 'get' ? await api.call('GET', path, { token })
                : c.op === 'history' ? await api.call('GET', `${path}/history`, { token })
                : c.op === 'patch' ? await api.call('PATCH', path, { token, body: { [NAME_FIELD[c.object]!]: `renamed ${c.pick}` }, headers: { 'if-match': '1' } })
                : await api.call('DELETE', path, { token });
              if (them !== me) expect([404, 403].includes(res.status) || (c.op === 'patch' && res.status === 404), `${c.op} across tenants answered ${res.status}`).toBe(true);
              if (them !== me && res.status === 403) expect(res.body.code).not.toBe('record.versionConflict');
            }
          }
          expect(res.status).toBeLessThan(500);
          if (res.status === 201) {
            ids[me.tenantId]!.add(res.body.id);
            recordsOf[me.tenantId]!.push({ object: c.object, id: res.body.id });
          }
          const text = JSON.stringify(res.body ?? {});
          // An error may echo the id the caller sent; nothing else of the other tenant may appear.
          const echoed = res.status >= 400 && target ? target.id : undefined;
          for (const other of ids[(me === a ? b : a).tenantId]!) if (other !== echoed) expect(text.includes(other), `leaked ${other}`).toBe(false);
          expect(text).not.toContain((me === a ? b : a).tenantId);
          for (const field of HIDDEN[c.persona]?.[c.object] ?? []) expect(text.includes(`"${field}"`), `${c.persona} saw ${field}`).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a token naming another tenant for a real user is refused', async () => {
    const { token } = await api.services.tokens.sign!({ tenantId: b.tenantId, userId: a.ids.rep, roles: ['admin'] });
    expect((await api.call('GET', '/api/objects/account/records', { token })).status).toBe(401);
  });
});
