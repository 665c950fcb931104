import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/store/keys';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { createTestApi } from '../support/testApi';
import type { ApiResult, TestApi } from '../support/testApi';

/* Integration API keys on DynamoDB Local: created, used, revoked and expired through the real handler. */
let api: TestApi;
let a: CrmTenant;
let b: CrmTenant;

beforeAll(async () => {
  api = await createTestApi();
  [a, b] = [await crmTenant(api), await crmTenant(api)];
}, 120_000);

const newKey = (t: CrmTenant, body: Record<string, unknown> = { name: 'ERP', role: 'sales_rep' }, token = t.tokens.admin) => api.call('POST', '/api/api-keys', { token, body });
const asKey = (key: string, method: string, path: string, body?: unknown) => api.call(method, path, { token: key, ...(body !== undefined ? { body } : {}) });

function expectUnauthorized(res: ApiResult, detail: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  expect(res.body.code).toBe('auth.invalidToken');
  expect(res.body.detail).toMatch(detail);
}

describe('creating and listing API keys', () => {
  it('shows the key once, stores only its hash, and lists keys without secrets', async () => {
    const res = await newKey(a, { name: 'ERP (SAP)', role: 'sales_rep' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { key, id } = res.body;
    expect(key).toMatch(new RegExp(`^tsk_${a.tenantId}_${id}_[A-Za-z0-9_-]{43}$`));
    expect(res.body).toMatchObject({ name: 'ERP (SAP)', role: 'sales_rep', status: 'active', createdBy: a.ids.admin });
    expect(res.body).not.toHaveProperty('secretHash');
    // Ninety days by default.
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeLessThan(91 * 86_400_000);

    const secret = key.split('_').slice(3).join('_');
    const { Item } = await api.services.doc.send(new GetCommand({ TableName: api.tableName, Key: keys.apiKey(a.tenantId, id) }));
    expect(Item!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(Item)).not.toContain(secret);

    const list = await api.call('GET', '/api/api-keys', { token: a.tokens.admin });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({ id, name: 'ERP (SAP)', role: 'sales_rep', status: 'active' });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toMatch(/secretHash|"key"/);
    expect(listed.hint).toMatch(new RegExp(`^tsk_${a.tenantId}_${id}_…[A-Za-z0-9_-]{4}$`));
  });

  it.each([
    { title: 'an unknown role', body: { name: 'x', role: 'pope' }, pointer: '/role', code: 'unknownRole' },
    { title: 'no name', body: { role: 'sales_rep' }, pointer: '/name', code: 'required' },
    { title: 'an expiry in the past', body: { name: 'x', role: 'sales_rep', expiresAt: '2020-01-01T00:00:00Z' }, pointer: '/expiresAt', code: 'min' },
    { title: 'an expiry more than 366 days ahead', body: { name: 'x', role: 'sales_rep', expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }, pointer: '/expiresAt', code: 'max' },
    { title: 'an expiry that is not a date-time', body: { name: 'x', role: 'sales_rep', expiresAt: 'tomorrow' }, pointer: '/expiresAt', code: 'format' },
    { title: 'a tenant of its own choosing', body: { name: 'x', role: 'sales_rep', tenant: 'other' }, pointer: '/tenant', code: 'unknownField' },
  ])('refuses a key with $title (422 at $pointer, nothing stored)', async ({ body, pointer, code }) => {
    const before = (await api.call('GET', '/api/api-keys', { token: a.tokens.admin })).body.items.length;
    const res = await newKey(a, body);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ pointer, code }));
    expect((await api.call('GET', '/api/api-keys', { token: a.tokens.admin })).body.items).toHaveLength(before);
  });

  it('never answers arbitrary input with a 5xx, in the body or as the key', async () => {
    const body = fc.oneof(fc.jsonValue(), fc.record({ name: fc.jsonValue(), role: fc.oneof(fc.constant('sales_rep'), fc.string()), expiresAt: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await newKey(a, b as Record<string, unknown>);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }).map((x) => `tsk_${x.replace(/\s/g, '')}`), async (key) => {
        expect((await asKey(key, 'GET', '/api/me')).status).toBe(401);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('needs manageUsers, and a person: a key cannot create, list or revoke keys', async () => {
    expect((await newKey(a, undefined, a.tokens.rep)).status).toBe(403);
    expect((await api.call('GET', '/api/api-keys', { token: a.tokens.rep })).status).toBe(403);
    const adminKey = (await newKey(a, { name: 'too strong', role: 'admin' })).body.key;
    const res = await asKey(adminKey, 'POST', '/api/api-keys', { name: 'minted by a key', role: 'admin' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('access.denied');
    expect((await asKey(adminKey, 'GET', '/api/api-keys')).status).toBe(403);
  });
});

describe('a request with an API key', () => {
  it('acts with the key’s role in the key’s tenant, and what it writes is owned by the key', async () => {
    const created = (await newKey(a)).body;
    const me = await asKey(created.key, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenantId: a.tenantId, userId: created.id, roles: ['sales_rep'], apiKey: created.id });
    const account = await asKey(created.key, 'POST', '/api/objects/account/records', { name: 'Written by the ERP' });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    expect(account.body).toMatchObject({ owner: created.id, created_by: created.id });
    // sales_rep may only read tax_id, and may not manage users.
    const taxId = await asKey(created.key, 'PATCH', `/api/objects/account/records/${account.body.id}`, { tax_id: '91310000MA1FL4XX3X' });
    expect(taxId.status).toBe(428);
    expect((await api.call('PATCH', `/api/objects/account/records/${account.body.id}`, { token: created.key, body: { tax_id: '91310000MA1FL4XX3X' }, headers: { 'if-match': '1' } })).status).toBe(403);
    expect((await asKey(created.key, 'POST', '/api/users', { email: 'x@y.test', name: 'X', roles: ['admin'] })).status).toBe(403);
    // With scope "own", the key sees what it owns and nothing of others.
    const others = await api.call('POST', '/api/objects/account/records', { token: a.tokens.rep, body: { name: 'Rep’s own' } });
    expect((await asKey(created.key, 'GET', `/api/objects/account/records/${others.body.id}`)).status).toBe(404);
    // The record exists in tenant a only.
    expect((await api.call('GET', `/api/objects/account/records/${account.body.id}`, { token: a.tokens.admin })).status).toBe(200);
    expect((await api.call('GET', `/api/objects/account/records/${account.body.id}`, { token: b.tokens.admin })).status).toBe(404);
  });

  it('takes its tenant from the stored key: naming another tenant in the key finds nothing', async () => {
    const created = (await newKey(a)).body;
    const forged = created.key.replace(`tsk_${a.tenantId}_`, `tsk_${b.tenantId}_`);
    expectUnauthorized(await asKey(forged, 'GET', '/api/me'), /not a valid API key/);
    // Nor does another tenant's administrator reach a's keys.
    expect((await api.call('GET', '/api/api-keys', { token: b.tokens.admin })).body.items.map((k: { id: string }) => k.id)).not.toContain(created.id);
    expect((await api.call('POST', `/api/api-keys/${created.id}/revoke`, { token: b.tokens.admin })).status).toBe(404);
    expect((await asKey(created.key, 'GET', '/api/me')).status).toBe(200);
  });

  it.each([
    { title: 'a malformed key', key: 'tsk_nonsense' },
    { title: 'a key that was never issued', key: `tsk_acme_01ARZ3NDEKTSV4RRFFQ69G5FAV_${'A'.repeat(43)}` },
  ])('answers $title with 401 problem+json', async ({ key }) => {
    expectUnauthorized(await asKey(key, 'GET', '/api/objects/account/records'), /not a valid API key/);
  });

  it('answers a key with a wrong secret with 401, in constant time against the stored hash', async () => {
    const { key } = (await newKey(a)).body;
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expectUnauthorized(await asKey(`${key.slice(0, -1)}${last}`, 'GET', '/api/me'), /not a valid API key/);
  });

  it('stops working at once when revoked (401), stays listed as revoked, and the revocation is audited', async () => {
    const created = (await newKey(a)).body;
    expect((await asKey(created.key, 'GET', '/api/objects/account/records')).status).toBe(200);
    const revoked = await api.call('POST', `/api/api-keys/${created.id}/revoke`, { token: a.tokens.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.id, status: 'revoked', revokedBy: a.ids.admin });
    expectUnauthorized(await asKey(created.key, 'GET', '/api/objects/account/records'), /revoked/);
    // Revoking again changes nothing.
    const again = await api.call('POST', `/api/api-keys/${created.id}/revoke`, { token: a.tokens.admin });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const listed = (await api.call('GET', '/api/api-keys', { token: a.tokens.admin })).body.items.find((k: { id: string }) => k.id === created.id);
    expect(listed.status).toBe('revoked');
    const audit = await api.call('GET', '/api/audit', { token: a.tokens.admin });
    const actions = audit.body.items.filter((e: { target: string }) => e.target === created.id).map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['apiKey.create', 'apiKey.revoke']);
    expect(JSON.stringify(audit.body)).not.toContain(created.key);
  });

  it('stops working when it expires (401) and is listed as expired', async () => {
    const created = (await newKey(a)).body;
    await api.services.doc.send(
      new UpdateCommand({ TableName: api.tableName, Key: keys.apiKey(a.tenantId, created.id), UpdateExpression: 'SET validUntil = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() } }),
    );
    expectUnauthorized(await asKey(created.key, 'GET', '/api/me'), /expired/);
    const listed = (await api.call('GET', '/api/api-keys', { token: a.tokens.admin })).body.items.find((k: { id: string }) => k.id === created.id);
    expect(listed.status).toBe('expired');
  });

  it('answers revoking a key that does not exist with 404', async () => {
    expect((await api.call('POST', '/api/api-keys/01ARZ3NDEKTSV4RRFFQ69G5FAV/revoke', { token: a.tokens.admin })).status).toBe(404);
    expect((await api.call('POST', '/api/api-keys/not-an-id/revoke', { token: a.tokens.admin })).status).toBe(404);
  });

  it('leaves user tokens working as before', async () => {
    expect((await api.call('GET', '/api/me', { token: a.tokens.rep })).body.roles).toEqual(['sales_rep']);
    expect((await api.call('GET', '/api/me', { token: 'not-a-jwt' })).status).toBe(401);
  });
});
