import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { ObjectDef } from '../../functions/engine/metadata/types';

const deal: ObjectDef = {
  name: 'deal',
  label: { en: 'Deal', 'zh-CN': '交易' },
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { name: 'amount', type: 'currency', label: { en: 'Amount' } },
    { name: 'probability', type: 'percent', label: { en: 'Probability' } },
    { name: 'close_date', type: 'date', label: { en: 'Close date' } },
    { name: 'expected', type: 'formula', returnType: 'currency', expression: 'amount * probability / 100', label: { en: 'Expected revenue', 'zh-CN': '预期收入' }, indexed: true },
    { name: 'size', type: 'formula', returnType: 'text', expression: 'IF(expected >= 1000, "large", "small")', label: { en: 'Size' } },
    { name: 'days_left', type: 'formula', returnType: 'number', expression: 'DATEDIFF(TODAY(), close_date)', label: { en: 'Days left' } },
  ],
};

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [deal] });
});

describe('formula fields through the API', () => {
  it('stores record-only formulas on write (in dependency order) and computes TODAY() ones on read', async () => {
    const res = await api.call('POST', '/api/objects/deal/records', { token, body: { name: 'A', amount: 5000, probability: 30, close_date: '2099-01-01' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ expected: 1500, size: 'large' });
    const today = new Date().toISOString().slice(0, 10);
    const days = Math.round((Date.parse('2099-01-01') - Date.parse(today)) / 86_400_000);
    expect(res.body.days_left).toBe(days);

    const patched = await api.call('PATCH', `/api/objects/deal/records/${res.body.id}`, { token, body: { probability: 10 }, headers: { 'if-match': '1' } });
    expect(patched.body).toMatchObject({ expected: 500, size: 'small' });
    const history = await api.call('GET', `/api/objects/deal/records/${res.body.id}/history`, { token });
    expect(history.body.items[0].changes).toEqual({ probability: { old: 30, new: 10 }, expected: { old: 1500, new: 500 }, size: { old: 'large', new: 'small' } });
  });

  it('sorts and filters by a stored formula through its index; refuses writing it and filtering by a TODAY() formula', async () => {
    for (const [amount, probability] of [[100, 50], [10000, 90], [2000, 10]]) await api.call('POST', '/api/objects/deal/records', { token, body: { name: `d${amount}`, amount, probability } });
    const sorted = await api.call('GET', '/api/objects/deal/records?sort=-expected&filter[expected][gte]=100', { token });
    expect(sorted.body.meta.servedBy).toBe('index:expected');
    const expected = sorted.body.items.map((r: { expected: number }) => r.expected);
    expect(expected).toEqual([...expected].sort((a, b) => b - a));
    expect(expected.every((e: number) => e >= 100)).toBe(true);

    const write = await api.call('POST', '/api/objects/deal/records', { token, body: { name: 'x', expected: 1 } });
    expect(write.status).toBe(422);
    expect(write.body.errors[0]).toMatchObject({ pointer: '/expected', code: 'readOnly' });
    expect((await api.call('GET', '/api/objects/deal/records?filter[days_left][gt]=1', { token })).status).toBe(400);
  });

  it('computes a redefined or new stored formula for the records that exist when it is published: indexed, in history', async () => {
    const before = await api.call('POST', '/api/objects/deal/records', { token, body: { name: 'Redefined', amount: 4000, probability: 50 } });
    expect(before.body).toMatchObject({ expected: 2000, size: 'large', version: 1 });
    const redefined: ObjectDef = {
      ...deal,
      fields: [
        ...deal.fields.map((f) => (f.name === 'expected' ? { ...f, expression: 'amount * probability / 100 / 4' } : f)),
        { name: 'doubled', type: 'formula', returnType: 'number', expression: 'amount * 2', label: { en: 'Doubled' } },
      ],
    };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [redefined] } });
    const published = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(published.status).toBe(201);
    const records = (await api.call('GET', '/api/objects/deal/records?limit=200', { token })).body.items as Array<{ id: string; amount?: number; probability?: number }>;
    const withValues = records.filter((r) => r.amount !== undefined && r.probability !== undefined).length;
    expect(published.body.recomputed).toEqual({ 'deal.expected': withValues, 'deal.doubled': records.filter((r) => r.amount !== undefined).length });

    const after = await api.call('GET', `/api/objects/deal/records/${before.body.id}`, { token });
    // The formula that reads the redefined one follows it.
    expect(after.body).toMatchObject({ expected: 500, size: 'small', doubled: 8000, version: 2 });
    const history = (await api.call('GET', `/api/objects/deal/records/${before.body.id}/history`, { token })).body.items as Array<{ changes: Record<string, { old?: unknown; new?: unknown }> }>;
    expect(history[0]!.changes).toEqual({ expected: { old: 2000, new: 500 }, size: { old: 'large', new: 'small' }, doubled: { old: null, new: 8000 } });
    // The index serves the new values.
    const indexed = await api.call('GET', '/api/objects/deal/records?filter[expected][eq]=500', { token });
    expect(indexed.body.meta.servedBy).toBe('index:expected');
    expect(indexed.body.items.map((r: { id: string }) => r.id)).toContain(before.body.id);
    // Publishing again with nothing redefined rewrites nothing.
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [{ ...redefined, label: { en: 'Deal!', 'zh-CN': '交易' } }] } });
    const again = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(again.body.recomputed).toBeUndefined();
    expect((await api.call('GET', `/api/objects/deal/records/${before.body.id}`, { token })).body.version).toBe(2);
  });

  it('refuses an ill-typed formula at publish with the problem at its expression', async () => {
    const broken = { ...deal, fields: [...deal.fields, { name: 'oops', type: 'formula' as const, returnType: 'number' as const, expression: 'name * 2', label: { en: 'Oops' } }] };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [broken] } });
    const res = await api.call('POST', '/api/metadata/publish', { token });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/objects/0/fields/7/expression', code: 'formula', message: expect.stringMatching(/needs number, not text/) })]);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
