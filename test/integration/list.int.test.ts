import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { ApiResult, TestApi } from '../support/testApi';
import { bundle, company, gadget } from '../support/fixtures';

let api: TestApi;
let token: string;
const N = 60;
const rows = Array.from({ length: N }, (_, i) => ({
  title: `${['alpha', 'Beta', 'gamma'][i % 3]} ${String(i).padStart(2, '0')}`,
  price: (i * 37) % 101 + 0.25 + (i % 2 ? 1000 : 0),
  status: i % 4 === 0 ? 'live' : 'draft',
  ...(i % 5 === 0 ? {} : { due: `2026-${String((i % 12) + 1).padStart(2, '0')}-15` }),
  qty: i,
}));

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, bundle(company, gadget));
  for (const row of rows) {
    const res = await api.call('POST', '/api/objects/gadget/records', { token, body: row });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
});

afterAll(() => {
  // Law 5: no API path scans. Everything this file did went through the API's client.
  expect(api.commandLog.get('ScanCommand') ?? 0).toBe(0);
  expect(api.commandLog.get('QueryCommand')).toBeGreaterThan(0);
});

async function all(query: string): Promise<{ items: any[]; meta: any[] }> {
  const items: any[] = [];
  const meta: any[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResult = await api.call("GET", `/api/objects/gadget/records?${query}${cursor ? `&cursor=${cursor}` : ""}`, { token });
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    meta.push(res.body.meta);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { items, meta };
}

describe('listing records through indexes', () => {
  it('pages through every record newest first with an opaque cursor, without repeats', async () => {
    const { items, meta } = await all('limit=7');
    expect(items).toHaveLength(N);
    expect(new Set(items.map((r) => r.id)).size).toBe(N);
    expect(items.map((r) => r.qty)).toEqual([...Array(N).keys()].reverse());
    expect(meta[0].servedBy).toBe('object');
  });

  it('sorts by an indexed currency field in numeric order, both ways', async () => {
    const asc = await all('sort=price&limit=13');
    expect(asc.items.map((r) => r.price)).toEqual([...rows.map((r) => r.price)].sort((a, b) => a - b));
    expect(asc.meta[0].servedBy).toBe('index:price');
    const desc = await all('sort=-price&limit=50');
    expect(desc.items.map((r) => r.price)).toEqual([...rows.map((r) => r.price)].sort((a, b) => b - a));
  });

  it.each([
    { title: 'gte', query: 'filter[price][gte]=500', expect: (p: number) => p >= 500 },
    { title: 'lt', query: 'filter[price][lt]=10.5', expect: (p: number) => p < 10.5 },
    { title: 'between', query: 'filter[price][between]=20,60', expect: (p: number) => p >= 20 && p <= 60 },
    { title: 'gt and lte combined', query: 'filter[price][gt]=20&filter[price][lte]=1020', expect: (p: number) => p > 20 && p <= 1020 },
  ])('filters a range on the sort field of an index ($title)', async ({ query, expect: keep }) => {
    const { items, meta } = await all(`${query}&sort=price`);
    expect(items.map((r) => r.price)).toEqual(rows.map((r) => r.price).filter(keep).sort((a, b) => a - b));
    expect(meta[0].servedBy).toBe('index:price');
  });

  it('serves equality plus sort from a declared composite index, with blanks first', async () => {
    const { items, meta } = await all('filter[status]=live&sort=due');
    const expected = rows.filter((r) => r.status === 'live').sort((a, b) => (a.due ?? '').localeCompare(b.due ?? ''));
    expect(items.map((r) => r.title)).toEqual(expected.map((r) => r.title));
    expect(meta[0].servedBy).toBe('index:by_status_due');
  });

  it('finds blanks with isBlank on an indexed field', async () => {
    const { items } = await all('filter[status]=draft&filter[due][isBlank]=true');
    expect(items).toHaveLength(rows.filter((r) => r.status === 'draft' && !r.due).length);
  });

  it('matches text case-insensitively by prefix on the name index', async () => {
    const { items, meta } = await all('filter[title][startsWith]=BETA');
    expect(items).toHaveLength(rows.filter((r) => r.title.startsWith('Beta')).length);
    expect(meta[0].servedBy).toBe('index:title');
  });

  it('filters by ne (blanks included, as "not equal" reads) and by in', async () => {
    const ne = await all('filter[status][ne]=live');
    expect(ne.items.map((r) => r.status).sort()).toEqual(rows.filter((r) => r.status !== 'live').map((r) => r.status).sort());
    expect(ne.items.every((r) => r.status !== 'live')).toBe(true);
    const within = await all('filter[status][in]=live,draft&filter[qty][ne]=7');
    expect(within.items).toHaveLength(rows.filter((r) => r.qty !== 7).length);
  });

  it('applies filters no index serves as bounded residual filters, and says so', async () => {
    const { items, meta } = await all('filter[qty][gt]=50&limit=5');
    expect(items.map((r) => r.qty).sort((a, b) => a - b)).toEqual(rows.filter((r) => r.qty > 50).map((r) => r.qty));
    expect(meta[0]).toMatchObject({ servedBy: 'object', residualFilters: ['qty'] });
  });

  it('refuses sorting by a field no index serves, naming the sortable ones', async () => {
    const res = await api.call('GET', '/api/objects/gadget/records?sort=qty', { token });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ pointer: '/sort', code: 'notSortable' });
    expect(res.body.errors[0].params.sortable).toEqual(expect.arrayContaining(['price', 'title']));
  });

  it.each([
    { title: 'a cursor that is not ours', query: 'cursor=bm90LWEtY3Vyc29y', code: 'query.badCursor' },
    { title: 'a cursor from another query', query: 'filter[status]=live&cursor=PLACEHOLDER', code: 'query.badCursor' },
    { title: 'a limit over the maximum', query: 'limit=100000', code: 'query.invalid' },
    { title: 'an unknown field', query: 'filter[nope]=1', code: 'query.invalid' },
    { title: 'an operator the type lacks', query: 'filter[tags][gt]=1', code: 'query.invalid' },
    { title: 'a value of the wrong type', query: 'filter[price][gt]=cheap', code: 'query.invalid' },
  ])('answers 400 to $title', async ({ query, code }) => {
    let q = query;
    if (q.includes('PLACEHOLDER')) {
      const first = await api.call('GET', '/api/objects/gadget/records?limit=2', { token });
      q = q.replace('PLACEHOLDER', first.body.nextCursor);
    }
    const res = await api.call('GET', `/api/objects/gadget/records?${q}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it('refuses a forged cursor that points into another tenant', async () => {
    const first = await api.call('GET', '/api/objects/gadget/records?limit=2', { token });
    const body = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    for (const k of Object.keys(body.k)) body.k[k] = String(body.k[k]).replace(/^T#[^#]+#/, 'T#victim#');
    const forged = Buffer.from(JSON.stringify(body)).toString('base64url');
    const res = await api.call('GET', `/api/objects/gadget/records?limit=2&cursor=${forged}`, { token });
    expect(res.status).toBe(400);
  });
});
