import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS } from '../../functions/api/operations/batch';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/* POST /api/objects/{object}/batch on DynamoDB Local: each item is the single write it stands for. */
let api: TestApi;
let crm: CrmTenant;

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
}, 120_000);

const batch = (object: string, body: unknown, token = crm.tokens.admin, headers: Record<string, string> = {}) => api.call('POST', `/api/objects/${object}/batch`, { token, body, headers });
const single = (name: string, token = crm.tokens.admin) => api.call('POST', '/api/objects/account/records', { token, body: { name } });
const count = async (object: string) => {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { items: unknown[]; nextCursor: string | null } } = await api.call('GET', `/api/objects/${object}/records?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: crm.tokens.admin });
    n += page.body.items.length;
    cursor = page.body.nextCursor;
  } while (cursor);
  return n;
};

describe('a batch', () => {
  it('creates and changes records in order, each reported with the status, record or problem its single write would give', async () => {
    const existing = (await single('Batch target')).body;
    const taken = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Holds a tax id', tax_id: '91310000MA1FL4XX3X' } })).body;
    const res = await batch('account', {
      items: [
        { op: 'create', ref: 'erp-1', values: { name: 'Batch one', employees: 5 } },
        { op: 'create', ref: 'erp-2', values: { employees: -1 } },
        { op: 'update', ref: 'erp-3', id: existing.id, version: 1, values: { employees: 40 } },
        { op: 'update', ref: 'erp-4', id: taken.id, version: 7, values: { employees: 1 } },
        { op: 'update', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 1, values: { employees: 1 } },
        { op: 'create', values: { name: 'Duplicate tax id', tax_id: '91310000MA1FL4XX3X' } },
        { op: 'create', values: { name: 'Unknown field', colour: 'red' } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items;
    expect(items.map((i: { status: number }) => i.status)).toEqual([201, 422, 200, 412, 404, 409, 422]);
    expect(items.map((i: { index: number }) => i.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(items[0]).toMatchObject({ ref: 'erp-1', op: 'create', record: { name: 'Batch one', employees: 5, version: 1 } });
    expect(items[1].problem).toMatchObject({ code: 'validation.failed', status: 422 });
    expect(items[1].problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/employees', '/name']);
    expect(items[2].record).toMatchObject({ id: existing.id, employees: 40, version: 2 });
    expect(items[3].problem).toMatchObject({ code: 'record.versionConflict', currentVersion: 1 });
    expect(items[4].problem.code).toBe('record.notFound');
    expect(items[5].problem).toMatchObject({ code: 'record.duplicate' });
    expect(items[6].problem.errors[0]).toMatchObject({ pointer: '/colour', code: 'unknownField' });
    expect(res.body.summary).toEqual({ created: 1, updated: 1, failed: 5 });

    // What succeeded is stored with its history, exactly as a single write.
    const history = await api.call('GET', `/api/objects/account/records/${existing.id}/history`, { token: crm.tokens.admin });
    expect(history.body.items[0]).toMatchObject({ op: 'update', version: 2, changes: { employees: { new: 40 } } });
    expect((await api.call('GET', `/api/objects/account/records/${items[0].record.id}`, { token: crm.tokens.admin })).status).toBe(200);
  });

  it('applies the caller’s permissions to each item: scope, read-only fields and hidden fields', async () => {
    const adminOwned = (await single('Not the rep’s')).body;
    const repOwned = (await single('The rep’s', crm.tokens.rep)).body;
    const res = await batch(
      'account',
      {
        items: [
          { op: 'update', id: adminOwned.id, version: 1, values: { employees: 2 } },
          { op: 'update', id: repOwned.id, version: 1, values: { tax_id: '91310000MA1FL4XX3Y' } },
          { op: 'update', id: repOwned.id.replace(/.$/, (c: string) => (c === '0' ? '1' : '0')), version: 1, values: {} },
          { op: 'create', values: { name: 'Rep batch' } },
        ],
      },
      crm.tokens.rep,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { status: number }) => i.status)).toEqual([404, 403, 404, 201]);
    expect(res.body.items[1].problem.errors[0]).toMatchObject({ pointer: '/tax_id', code: 'readOnly' });
    expect(res.body.items[3].record.owner).toBe(crm.ids.rep);
    // service_agent sees accounts without annual_revenue: writing it is an unknown field, as in a single write.
    const agent = await batch('account', { items: [{ op: 'create', values: { name: 'x', annual_revenue: 1 } }] }, crm.tokens.agent);
    expect(agent.body.items[0].status).toBe(403);
  });

  it('answers an object the caller may not read with one 404, not one per item', async () => {
    const res = await batch('opportunity', { items: [{ op: 'create', values: { name: 'x' } }] }, crm.tokens.agent);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('object.notFound');
  });

  it('gives each item’s problem in the caller’s language', async () => {
    const res = await batch('account', { items: [{ op: 'create', values: {} }] }, crm.tokens.admin, { 'accept-language': 'zh-CN' });
    expect(res.body.items[0].problem.title).toBe('记录校验未通过');
  });

  it(`takes ${MAX_BATCH_ITEMS} items at once`, async () => {
    const before = await count('account');
    const items = Array.from({ length: MAX_BATCH_ITEMS }, (_, i) => ({ op: 'create', ref: `row-${i}`, values: { name: `Bulk ${i}` } }));
    const res = await batch('account', { items });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ created: MAX_BATCH_ITEMS, updated: 0, failed: 0 });
    expect(res.body.items.map((i: { ref: string }) => i.ref)).toEqual(items.map((i) => i.ref));
    expect(await count('account')).toBe(before + MAX_BATCH_ITEMS);
  }, 60_000);
});

describe('a malformed batch', () => {
  it('is refused whole with 400, every problem at its item’s pointer, and nothing written', async () => {
    const existing = (await single('Untouched')).body;
    const before = await count('account');
    const res = await batch('account', {
      items: [
        { op: 'create', values: { name: 'Would be fine' } },
        { op: 'upsert', values: {} },
        { op: 'update', id: existing.id, values: { employees: 1 } },
        { op: 'update', id: 'nope', version: 1, values: {} },
        { op: 'update', id: existing.id, version: 1, values: { employees: 2 } },
        { op: 'update', id: existing.id, version: 2, values: { employees: 3 } },
        { op: 'create', values: ['not', 'an', 'object'] },
        { op: 'create', id: existing.id, values: {} },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('request.invalid');
    expect(res.body.errors.map((e: { pointer: string; code: string }) => `${e.pointer} ${e.code}`).sort()).toEqual(
      ['/items/1/op enum', '/items/2/version required', '/items/3/id pattern', '/items/5/id duplicate', '/items/6/values type', '/items/7/id unknownField'].sort(),
    );
    expect(await count('account')).toBe(before);
    expect((await api.call('GET', `/api/objects/account/records/${existing.id}`, { token: crm.tokens.admin })).body.version).toBe(1);
  });

  it.each([
    { title: `more than ${MAX_BATCH_ITEMS} items`, body: { items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => ({ op: 'create', values: { name: 'x' } })) }, pointer: '/items', code: 'maxItems' },
    { title: 'no items', body: { items: [] }, pointer: '/items', code: 'minItems' },
    { title: 'items that are not a list', body: { items: { op: 'create' } }, pointer: '/items', code: 'type' },
    { title: 'a body without items', body: { records: [] }, pointer: '/items', code: 'required' },
    { title: 'an item that is not an object', body: { items: [{ op: 'create', values: {} }, 'x'] }, pointer: '/items/1', code: 'type' },
    { title: 'a body that is a list', body: [{ op: 'create', values: {} }], pointer: '', code: 'type' },
  ])('refuses $title (400 at "$pointer")', async ({ body, pointer, code }) => {
    const before = await count('account');
    const res = await batch('account', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ pointer, code }));
    expect(await count('account')).toBe(before);
  });

  it('refuses a body that is not JSON with a problem, not a 5xx', async () => {
    const res = await api.call('POST', '/api/objects/account/batch', { token: crm.tokens.admin, rawBody: '{"items": [' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.malformedJson');
  });

  it('never answers arbitrary JSON with a 5xx', async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const item = fc.record({ op: fc.oneof(fc.constant('create'), fc.constant('update'), fc.string()), id: fc.oneof(fc.string(), fc.constant('01ARZ3NDEKTSV4RRFFQ69G5FAV')), version: fc.oneof(fc.integer(), fc.string()), values: fc.oneof(fc.dictionary(fc.constantFrom('name', 'employees', 'grade', 'x'), value), value) }, { requiredKeys: [] });
    const body = fc.oneof(fc.record({ items: fc.array(item, { maxLength: 4 }) }), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await batch('account', b);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        for (const i of res.body?.items ?? []) expect(i.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
