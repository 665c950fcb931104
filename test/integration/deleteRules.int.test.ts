import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const text = (name: string) => ({ name, type: 'text' as const, label: L(name), required: true });
const firm: ObjectDef = { name: 'firm', label: L('Firm'), nameField: 'name', fields: [text('name'), { name: 'people', type: 'rollup', label: L('People'), child: 'person', via: 'firm', function: 'count' }] };
const person: ObjectDef = { name: 'person', label: L('Person'), nameField: 'name', fields: [text('name'), { name: 'firm', type: 'lookup', target: 'firm', label: L('Firm'), indexed: true, onDelete: 'cascade' }] };
const badge: ObjectDef = { name: 'badge', label: L('Badge'), nameField: 'name', fields: [text('name'), { name: 'person', type: 'lookup', target: 'person', label: L('Person'), indexed: true, onDelete: 'cascade' }] };
const memo: ObjectDef = { name: 'memo', label: L('Memo'), nameField: 'name', fields: [text('name'), { name: 'firm', type: 'lookup', target: 'firm', label: L('Firm'), indexed: true, onDelete: 'clear' }] };
const invoice: ObjectDef = { name: 'invoice', label: L('Invoice'), nameField: 'name', fields: [text('name'), { name: 'firm', type: 'lookup', target: 'firm', label: L('Firm'), indexed: true, onDelete: 'restrict' }] };

let api: TestApi;
let token: string;
const post = async (object: string, body: Record<string, unknown>) => {
  const res = await api.call('POST', `/api/objects/${object}/records`, { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const get = (object: string, id: string) => api.call('GET', `/api/objects/${object}/records/${id}`, { token });

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [firm, person, badge, memo, invoice] });
});

describe('delete rules on lookups', () => {
  it('restrict refuses while records point here, naming them; clear empties the field; cascade deletes down the chain', async () => {
    const f = await post('firm', { name: 'Acme' });
    const p = await post('person', { name: 'Li', firm: f });
    const b = await post('badge', { name: 'B1', person: p });
    const m = await post('memo', { name: 'M', firm: f });
    const i = await post('invoice', { name: 'I', firm: f });
    expect((await get('firm', f)).body.people).toBe(1);

    const refused = await api.call('DELETE', `/api/objects/firm/records/${f}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'record.referenced', errors: [{ pointer: '/invoice/firm', code: 'restrict', params: { count: 1 } }] });
    expect((await get('person', p)).status).toBe(200);

    await api.call('DELETE', `/api/objects/invoice/records/${i}`, { token });
    expect((await api.call('DELETE', `/api/objects/firm/records/${f}`, { token })).status).toBe(204);
    expect((await get('firm', f)).status).toBe(404);
    expect((await get('person', p)).status).toBe(404);
    expect((await get('badge', b)).status).toBe(404);
    const cleared = await get('memo', m);
    expect(cleared.status).toBe(200);
    expect(cleared.body.firm).toBeUndefined();
    const history = await api.call('GET', `/api/objects/memo/records/${m}/history`, { token });
    expect(history.body.items[0].changes.firm.new).toBeNull();
  });

  it('a cascade over 100 transaction items runs in batches and leaves nothing behind', async () => {
    const f = await post('firm', { name: 'Big' });
    const people = [];
    for (let n = 0; n < 60; n++) people.push(await post('person', { name: `p${n}`, firm: f }));
    expect((await get('firm', f)).body.people).toBe(60);
    expect((await api.call('DELETE', `/api/objects/firm/records/${f}`, { token })).status).toBe(204);
    const left = await api.call('GET', `/api/objects/person/records?filter[firm]=${f}`, { token });
    expect(left.body.items).toEqual([]);
    for (const id of people.slice(0, 3)) expect((await get('person', id)).status).toBe(404);
  });

  it('a cascade cut off after its first batch is finished by deleting again: nothing twice, nothing left', async () => {
    const f = await post('firm', { name: 'Interrupted' });
    const people: string[] = [];
    for (let n = 0; n < 60; n++) people.push(await post('person', { name: `q${n}`, firm: f }));
    await post('memo', { name: 'kept', firm: f });
    const records = api.services.records;
    const commitMany = records.commitMany.bind(records);
    let batches = 0;
    // The process dies after the first batch: the second batch's transaction never reaches DynamoDB.
    records.commitMany = async (tenant, plans) => {
      if (++batches === 2) throw new Error('the container was stopped');
      return commitMany(tenant, plans);
    };
    try {
      expect((await api.call('DELETE', `/api/objects/firm/records/${f}`, { token })).status).toBe(500);
    } finally {
      records.commitMany = commitMany;
    }
    // Part of it is done, children first: some people are gone, the firm is still there and counts the rest.
    const left = async () => ((await api.call('GET', `/api/objects/person/records?filter[firm]=${f}&limit=200`, { token })).body.items as unknown[]).length;
    const remaining = await left();
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(60);
    expect((await get('firm', f)).body.people).toBe(remaining);
    // Asked again, the delete finishes.
    expect((await api.call('DELETE', `/api/objects/firm/records/${f}`, { token })).status).toBe(204);
    expect(await left()).toBe(0);
    expect((await get('firm', f)).status).toBe(404);
    for (const id of [people[0]!, people[59]!]) expect((await get('person', id)).status).toBe(404);
    const memos = (await api.call('GET', '/api/objects/memo/records?limit=200', { token })).body.items as Array<{ name: string; firm?: string }>;
    expect(memos.find((m) => m.name === 'kept')!.firm).toBeUndefined();
  });

  it('metadata refuses a delete rule on an unindexed lookup and clear on a required one', async () => {
    const bad = { ...memo, fields: [text('name'), { name: 'firm', type: 'lookup' as const, target: 'firm', label: L('Firm'), onDelete: 'clear' as const, required: true }] };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [firm, person, badge, bad, invoice] } });
    const res = await api.call('POST', '/api/metadata/validate', { token });
    expect(res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`)).toEqual(expect.arrayContaining(['/objects/3/fields/1/onDelete needsIndex', '/objects/3/fields/1/onDelete requiredField']));
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
