import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { bundle, company, gadget } from '../support/fixtures';

let api: TestApi;
let token: string;
let userId: string;
let companyId: string;

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  userId = t.user.userId;
  await api.publish(token, bundle(company, gadget));
  companyId = (await api.call('POST', '/api/objects/company/records', { token, body: { name: 'Acme' } })).body.id;
});

const create = (body: unknown) => api.call('POST', '/api/objects/gadget/records', { token, body });

describe('records of a custom object with every field type', () => {
  it('creates a record with defaults, normalised values and an auto-number, and returns its version as ETag', async () => {
    const res = await create({
      title: '  Widget  ',
      notes: 'long text',
      qty: 3,
      price: 19.999,
      discount: 12.5,
      due: '2026-12-31',
      seen_at: '2026-11-23T10:00:00+08:00',
      contact_email: 'Ops@Example.com',
      phone: '+86 138-0000-1111',
      site: 'https://example.com/x',
      tags: ['green', 'red'],
      company: companyId,
      reviewer: userId,
    });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/objects/gadget/records/${res.body.id}`);
    expect(res.body).toMatchObject({
      version: 1,
      owner: userId,
      created_by: userId,
      title: 'Widget',
      price: 20,
      seen_at: '2026-11-23T02:00:00.000Z',
      active: true,
      status: 'draft',
      tags: ['red', 'green'],
      code: expect.stringMatching(/^GAD-\d{4}-\d{4}$/),
    });
    const got = await api.call('GET', `/api/objects/gadget/records/${res.body.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('patches with If-Match, records who changed what in history, and refuses a stale or missing version', async () => {
    const { body: rec } = await create({ title: 'Patchable', qty: 1 });
    const missing = await api.call('PATCH', `/api/objects/gadget/records/${rec.id}`, { token, body: { qty: 2 } });
    expect(missing.status).toBe(428);
    expect(missing.headers['content-type']).toContain('application/problem+json');

    const ok = await api.call('PATCH', `/api/objects/gadget/records/${rec.id}`, { token, body: { qty: 2, notes: 'n' }, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, qty: 2, notes: 'n' });

    const stale = await api.call('PATCH', `/api/objects/gadget/records/${rec.id}`, { token, body: { qty: 3 }, headers: { 'if-match': '1' } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'record.versionConflict', currentVersion: 2 });

    const cleared = await api.call('PATCH', `/api/objects/gadget/records/${rec.id}`, { token, body: { notes: null }, headers: { 'if-match': '2' } });
    expect(cleared.body.notes).toBeUndefined();

    const history = await api.call('GET', `/api/objects/gadget/records/${rec.id}/history`, { token });
    expect(history.status).toBe(200);
    expect(history.body.items.map((h: { op: string; version: number }) => [h.op, h.version])).toEqual([
      ['update', 3],
      ['update', 2],
      ['create', 1],
    ]);
    expect(history.body.items[1]).toMatchObject({ by: userId, changes: { qty: { old: 1, new: 2 }, notes: { old: null, new: 'n' } } });
    expect(history.body.items[0].changes).toEqual({ notes: { old: 'n', new: null } });
  });

  it('a patch that changes nothing writes nothing', async () => {
    const { body: rec } = await create({ title: 'Same', qty: 5 });
    const res = await api.call('PATCH', `/api/objects/gadget/records/${rec.id}`, { token, body: { qty: 5, title: 'Same' }, headers: { 'if-match': '1' } });
    expect(res.body.version).toBe(1);
    const history = await api.call('GET', `/api/objects/gadget/records/${rec.id}/history`, { token });
    expect(history.body.items).toHaveLength(1);
  });

  it('keeps a deactivated picklist value that a record already has, but refuses choosing it anew', async () => {
    const fresh = await create({ title: 'Old', status: 'retired' });
    expect(fresh.status).toBe(422);
    expect(fresh.body.errors).toEqual([expect.objectContaining({ pointer: '/status', code: 'enum' })]);
  });

  it('enforces unique values case-insensitively in the same transaction, and frees a value on change and delete', async () => {
    const a = await create({ title: 'A', contact_email: 'unique@example.com' });
    expect(a.status).toBe(201);
    const dup = await create({ title: 'B', contact_email: 'UNIQUE@example.com' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'record.duplicate', errors: [{ pointer: '/contact_email', code: 'unique' }] });

    const recase = await api.call('PATCH', `/api/objects/gadget/records/${a.body.id}`, { token, body: { contact_email: 'Unique@Example.com' }, headers: { 'if-match': '1' } });
    expect(recase.status).toBe(200);
    const moved = await api.call('PATCH', `/api/objects/gadget/records/${a.body.id}`, { token, body: { contact_email: 'moved@example.com' }, headers: { 'if-match': '2' } });
    expect(moved.status).toBe(200);
    expect((await create({ title: 'C', contact_email: 'unique@example.com' })).status).toBe(201);
    expect((await create({ title: 'D', contact_email: 'moved@example.com' })).status).toBe(409);

    const del = await api.call('DELETE', `/api/objects/gadget/records/${a.body.id}`, { token, headers: { 'if-match': '3' } });
    expect(del.status).toBe(204);
    expect((await create({ title: 'E', contact_email: 'moved@example.com' })).status).toBe(201);
  });

  it('only one of many concurrent creates with the same unique value wins', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create({ title: `race ${i}`, contact_email: 'race@example.com' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('checks lookups and users exist inside the write transaction', async () => {
    const res = await create({ title: 'Orphan', company: '01ARZ3NDEKTSV4RRFFQ69G5FAV', reviewer: '01ARZ3NDEKTSV4RRFFQ69G5FAW' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/company', '/reviewer']);
  });

  it('never repeats an auto-number under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => create({ title: `numbered ${i}` })));
    const codes = results.map((r) => r.body.code);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(codes).size).toBe(40);
  });

  it('deletes a record and keeps its history, ending with the deleted values', async () => {
    const { body: rec } = await create({ title: 'Doomed', qty: 7 });
    expect((await api.call('DELETE', `/api/objects/gadget/records/${rec.id}`, { token, headers: { 'if-match': '9' } })).status).toBe(412);
    expect((await api.call('DELETE', `/api/objects/gadget/records/${rec.id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `/api/objects/gadget/records/${rec.id}`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/objects/gadget/records/${rec.id}`, { token })).status).toBe(404);
    const history = await api.call('GET', `/api/objects/gadget/records/${rec.id}/history`, { token });
    expect(history.body.items[0]).toMatchObject({ op: 'delete', changes: { title: { old: 'Doomed', new: null }, qty: { old: 7, new: null } } });
  });

  it('keeps tenants apart: another tenant cannot see, change or delete the record', async () => {
    const { body: rec } = await create({ title: 'Private' });
    const other = await api.tenant();
    await api.publish(other.token, bundle(company, gadget));
    const path = `/api/objects/gadget/records/${rec.id}`;
    expect((await api.call('GET', path, { token: other.token })).status).toBe(404);
    expect((await api.call('PATCH', path, { token: other.token, body: { qty: 1 }, headers: { 'if-match': '1' } })).status).toBe(404);
    expect((await api.call('DELETE', path, { token: other.token })).status).toBe(404);
    expect((await api.call('GET', `${path}/history`, { token: other.token })).status).toBe(404);
    const list = await api.call('GET', '/api/objects/gadget/records?limit=200', { token: other.token });
    expect(list.body.items).toEqual([]);
    expect((await api.call('GET', path, { token })).status).toBe(200);
  });
});

describe('references', () => {
  it('two fields naming the same user (and the owner) are checked once, in one transaction', async () => {
    const other = await api.call('POST', '/api/users', { token, body: { email: `other-${Date.now()}@x.test`, name: 'Other', roles: [] } });
    const res = await create({ title: 'Same user twice', reviewer: other.body.id, owner: other.body.id });
    expect(res.status).toBe(201);
    const missing = await create({ title: 'Ghost twice', reviewer: '01ARZ3NDEKTSV4RRFFQ69G5FAV', owner: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/owner', '/reviewer']);
  });
});
