import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';

let api: TestApi;
let crm: CrmTenant;
let acme: string;
let other: string;

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
  acme = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Acme', owner: crm.ids.rep } })).body.id;
  other = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Other', owner: crm.ids.rep } })).body.id;
  const deals = [
    { name: 'A1', stage: 'proposal', amount: 100, owner: crm.ids.rep, account: acme },
    { name: 'A2', stage: 'proposal', amount: 250, owner: crm.ids.rep2, account: acme },
    { name: 'A3', stage: 'won', amount: 1000, owner: crm.ids.rep, account: acme },
    { name: 'O1', stage: 'qualify', amount: 5, owner: crm.ids.rep, account: other },
  ];
  for (const d of deals) expect((await api.call('POST', '/api/objects/opportunity/records', { token: crm.tokens.admin, body: { ...d, close_date: '2027-01-15' } })).status).toBe(201);
});

describe('related lists', () => {
  it('lists the children that look up to a record, through the child index, within the caller’s scope', async () => {
    const all = await api.call('GET', `/api/objects/account/records/${acme}/related/opportunity`, { token: crm.tokens.admin });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ object: 'opportunity', field: 'account', meta: { servedBy: 'index:by_account' } });
    expect(all.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['A1', 'A2', 'A3']);
    const rep = await api.call('GET', `/api/objects/account/records/${acme}/related/opportunity.account?sort=close_date`, { token: crm.tokens.rep });
    expect(rep.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['A1', 'A3']);
  });

  it('answers 404 for a parent out of scope and for a relation that does not exist or is not visible', async () => {
    expect((await api.call('GET', `/api/objects/account/records/${acme}/related/opportunity`, { token: crm.tokens.rep2 })).status).toBe(404);
    expect((await api.call('GET', `/api/objects/account/records/${acme}/related/nothing`, { token: crm.tokens.admin })).status).toBe(404);
    expect((await api.call('GET', `/api/objects/account/records/${acme}/related/opportunity`, { token: crm.tokens.agent })).status).toBe(404);
  });
});

describe('aggregates for boards and group headers', () => {
  it('counts, sums and averages by picklist, in option order, over a filtered list', async () => {
    const res = await api.call('GET', `/api/objects/opportunity/aggregate?groupBy=stage&sum=amount&avg=amount&filter[account]=${acme}`, { token: crm.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ groupBy: 'stage', total: 3, complete: true });
    expect(res.body.groups).toEqual([
      { key: 'proposal', count: 2, sum: { amount: 350 }, avg: { amount: 175 } },
      { key: 'won', count: 1, sum: { amount: 1000 }, avg: { amount: 1000 } },
    ]);
  });

  it('honours scope: a rep’s totals include only their own records', async () => {
    const res = await api.call('GET', '/api/objects/opportunity/aggregate?groupBy=owner&sum=amount', { token: crm.tokens.rep });
    expect(res.body.groups).toEqual([{ key: crm.ids.rep, count: 3, sum: { amount: 1105 }, avg: {} }]);
  });

  it('refuses grouping or summing by fields that are hidden, not numeric or not groupable', async () => {
    const hidden = await api.call('GET', '/api/objects/account/aggregate?sum=annual_revenue', { token: crm.tokens.agent });
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors[0]).toMatchObject({ pointer: '/sum', code: 'notNumeric' });
    const text = await api.call('GET', '/api/objects/opportunity/aggregate?groupBy=description', { token: crm.tokens.admin });
    expect(text.body.errors[0]).toMatchObject({ pointer: '/groupBy', code: 'notGroupable' });
  });
});

describe('name-prefix search', () => {
  it('finds records by the start of their name, case-insensitively, within the caller’s scope', async () => {
    const admin = await api.call('GET', '/api/search?q=ac', { token: crm.tokens.admin });
    expect(admin.status).toBe(200);
    expect(admin.body.results.find((r: { object: string }) => r.object === 'account').items.map((a: { name: string }) => a.name)).toEqual(['Acme']);
    const agent = await api.call('GET', '/api/search?q=A&objects=opportunity,account', { token: crm.tokens.agent });
    expect(agent.body.results.map((r: { object: string }) => r.object)).toEqual(['account']);
    expect((await api.call('GET', '/api/search?q=', { token: crm.tokens.admin })).status).toBe(400);
  });
});
