import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, templatesDir } from '../../functions/api/templates/catalog';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';

/*
 * Reports on DynamoDB Local: time buckets in the tenant's zone (crm-core's is Asia/Shanghai),
 * two dimensions, the reports and dashboards API with the caller's permissions, and publish
 * validation of the two kinds.
 */

let api: TestApi;
let crm: CrmTenant;
let acme: string;
const crmCore = (): MetadataBundle => loadTemplate(join(templatesDir(), 'crm-core')).bundle;

/** crm-core with one report more: account revenue, a field crm-core hides from service agents. */
const withRevenueReport = (): MetadataBundle => {
  const bundle = crmCore();
  return {
    ...bundle,
    reports: [...(bundle.reports ?? []), { name: 'revenue_by_owner', label: { en: 'Revenue by owner' }, object: 'account', groupings: [{ field: 'owner' }], measures: [{ fn: 'sum', field: 'annual_revenue' }], chart: 'bar' }],
  };
};

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
  await api.publish(crm.tokens.admin, withRevenueReport());
  acme = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Acme', owner: crm.ids.rep } })).body.id;
  const deals = [
    { name: 'R1', stage: 'proposal', amount: 100, owner: crm.ids.rep, close_date: '2026-01-31' },
    { name: 'R2', stage: 'won', amount: 1000, owner: crm.ids.rep, close_date: '2026-03-01' },
    { name: 'R3', stage: 'proposal', amount: 250, owner: crm.ids.rep2, close_date: '2026-03-31' },
    { name: 'R4', stage: 'lost', amount: 40, owner: crm.ids.rep2, close_date: '2026-01-02', loss_reason: 'price' },
  ];
  for (const d of deals) {
    const res = await api.call('POST', '/api/objects/opportunity/records', { token: crm.tokens.admin, body: { ...d, account: acme } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // Either side of midnight, 1 February in Shanghai (UTC+8), and one in April: March is empty.
  const requests = [
    { subject: 'TZ before', opened_at: '2026-01-31T15:59:00.000Z' },
    { subject: 'TZ after', opened_at: '2026-01-31T16:00:00.000Z' },
    { subject: 'TZ april', opened_at: '2026-04-02T03:00:00.000Z', sla_breached: true },
  ];
  for (const r of requests) {
    const res = await api.call('POST', '/api/objects/service_request/records', { token: crm.tokens.admin, body: { ...r, account: acme } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 120_000);

describe('time grouping', () => {
  it('buckets a datetime by month in the tenant’s zone, listing the empty month inside the range, in time order', async () => {
    const res = await api.call('GET', '/api/objects/service_request/aggregate?groupBy=opened_at:month&filter[subject][startsWith]=TZ', { token: crm.tokens.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.timeZone).toBe('Asia/Shanghai');
    expect(res.body.groups.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([['2026-01', 1], ['2026-02', 1], ['2026-03', 0], ['2026-04', 1]]);
    // Drill-down: February is [1 Feb 00:00, 1 Mar 00:00) Shanghai time.
    expect(res.body.dimensions[0].filters['2026-02']).toEqual([
      { field: 'opened_at', op: 'gte', value: '2026-01-31T16:00:00.000Z' },
      { field: 'opened_at', op: 'lt', value: '2026-02-28T16:00:00.000Z' },
    ]);
    const feb = await api.call('GET', '/api/objects/service_request/records?filter[opened_at][gte]=2026-01-31T16:00:00.000Z&filter[opened_at][lt]=2026-02-28T16:00:00.000Z', { token: crm.tokens.admin });
    expect(feb.body.items.map((r: { subject: string }) => r.subject)).toEqual(['TZ after']);
  });

  it('groups by two dimensions (close month × stage), cells in time then option order', async () => {
    const res = await api.call('GET', '/api/objects/opportunity/aggregate?groupBy=close_date:month,stage&sum=amount', { token: crm.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.dimensions.map((d: { keys: unknown[] }) => d.keys)).toEqual([['2026-01', '2026-02', '2026-03'], ['proposal', 'won', 'lost']]);
    expect(res.body.groups.map((g: { keys: string[]; count: number; sum: { amount: number } }) => [...g.keys, g.count, g.sum.amount])).toEqual([
      ['2026-01', 'proposal', 1, 100],
      ['2026-01', 'lost', 1, 40],
      ['2026-03', 'proposal', 1, 250],
      ['2026-03', 'won', 1, 1000],
    ]);
  });

  it.each([
    { title: 'a datetime without a unit', groupBy: 'opened_at', code: 'timeUnitRequired' },
    { title: 'an unknown unit', groupBy: 'opened_at:fortnight', code: 'unknownTimeUnit' },
    { title: 'a unit on a picklist', groupBy: 'status:month', code: 'notTimeField' },
    { title: 'three dimensions', groupBy: 'status,priority,channel', code: 'tooManyGroupings' },
    { title: 'the same field twice', groupBy: 'status,status', code: 'duplicate' },
    { title: 'a textarea', groupBy: 'description', code: 'notGroupable' },
  ])('refuses $title with 400 problem+json and code $code', async ({ groupBy, code }) => {
    const res = await api.call('GET', `/api/objects/service_request/aggregate?groupBy=${groupBy}`, { token: crm.tokens.admin });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'query.invalid' });
    expect(res.body.errors[0]).toMatchObject({ pointer: '/groupBy', code });
  });
});

describe('reports API', () => {
  it('lists the reports whose object the caller may read', async () => {
    const names = async (token: string) => (await api.call('GET', '/api/reports', { token })).body.items.map((r: { name: string }) => r.name);
    expect(await names(crm.tokens.manager)).toEqual(expect.arrayContaining(['sales_funnel', 'won_lost_trend', 'service_by_status_sla', 'campaign_roi']));
    const agent = await names(crm.tokens.agent);
    expect(agent).toEqual(expect.arrayContaining(['service_by_status_sla', 'open_requests_by_priority']));
    expect(agent).not.toContain('sales_funnel');
  });

  it('counts only the records in the caller’s scope: a rep sees their own deals, the manager their team’s', async () => {
    const run = async (token: string) => (await api.call('GET', '/api/reports/sales_funnel/run', { token })).body;
    const manager = await run(crm.tokens.manager);
    expect(manager.report).toMatchObject({ name: 'sales_funnel', chart: 'funnel', runnable: true });
    expect(manager.result.groups.map((g: { key: string; count: number; sum: { amount: number } }) => [g.key, g.count, g.sum.amount])).toEqual([['proposal', 2, 350], ['won', 1, 1000]]);
    const rep = await run(crm.tokens.rep);
    expect(rep.result.groups.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([['proposal', 1], ['won', 1]]);
    expect(rep.result.total).toBe(2);
  });

  it('takes extra filters, and refuses other parameters', async () => {
    const res = await api.call('GET', `/api/reports/pipeline_by_owner/run?filter[owner]=${crm.ids.rep2}`, { token: crm.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.result.groups).toEqual([expect.objectContaining({ key: crm.ids.rep2, count: 1, sum: { amount: 250 } })]);
    const bad = await api.call('GET', '/api/reports/pipeline_by_owner/run?groupBy=stage', { token: crm.tokens.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'unknownParameter' });
  });

  it('refuses with 403 a report that sums a field hidden from the caller, without naming it', async () => {
    const listed = (await api.call('GET', '/api/reports', { token: crm.tokens.agent })).body.items.find((r: { name: string }) => r.name === 'revenue_by_owner');
    expect(listed).toMatchObject({ runnable: false });
    const res = await api.call('GET', '/api/reports/revenue_by_owner/run', { token: crm.tokens.agent });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('access.denied');
    expect(JSON.stringify(res.body)).not.toContain('annual_revenue');
    expect((await api.call('GET', '/api/reports/revenue_by_owner/run', { token: crm.tokens.admin })).status).toBe(200);
  });

  it('answers 404 for a report that does not exist or whose object the caller cannot read', async () => {
    const missing = await api.call('GET', '/api/reports/nothing/run', { token: crm.tokens.admin });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('report.notFound');
    expect((await api.call('GET', '/api/reports/sales_funnel/run', { token: crm.tokens.agent })).status).toBe(404);
  });

  it('counts the requests whose service level was breached, by status', async () => {
    const res = await api.call('GET', '/api/reports/service_by_status_sla/run?filter[subject][startsWith]=TZ', { token: crm.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.result.groups.map((g: { keys: unknown[]; count: number }) => [...g.keys, g.count])).toEqual([['new', 'true', 1], ['new', 'false', 2]]);
  });
});

describe('dashboards API', () => {
  it('shows each role its dashboards, with the tiles it may see', async () => {
    const names = async (token: string) => (await api.call('GET', '/api/dashboards', { token })).body.items.map((d: { name: string }) => d.name);
    expect(await names(crm.tokens.manager)).toEqual(['sales']);
    expect(await names(crm.tokens.agent)).toEqual(['service']);
    expect(await names(crm.tokens.admin)).toEqual(['sales', 'service']);
    const sales = await api.call('GET', '/api/dashboards/sales', { token: crm.tokens.manager });
    expect(sales.body.tiles.map((t: { report: { name: string } }) => t.report.name)).toEqual(['sales_funnel', 'pipeline_by_owner', 'pipeline_by_close_month', 'won_lost_trend', 'quotes_by_status', 'campaign_roi']);
    expect(sales.body.tiles[5]).toMatchObject({ width: 'half', title: { en: 'Campaign ROI: cost and won revenue' } });
    expect((await api.call('GET', '/api/dashboards/service', { token: crm.tokens.rep })).status).toBe(404);
  });
});

describe('publishing reports and dashboards', () => {
  it('reports every problem of the new kinds at its pointer', async () => {
    const bundle = crmCore();
    const bad: MetadataBundle = {
      ...bundle,
      reports: [
        { name: 'a', label: { en: 'A' }, object: 'nothing', groupings: [{ field: 'x' }], measures: [{ fn: 'count' }], chart: 'bar' },
        { name: 'b', label: { en: 'B' }, object: 'opportunity', groupings: [{ field: 'close_date' }, { field: 'stage', unit: 'month' }], measures: [{ fn: 'sum', field: 'name' }], chart: 'pie', filters: [{ field: 'description', op: 'eq', value: 'x' }] },
        { name: 'b', label: { en: 'B2' }, object: 'opportunity', groupings: [{ field: 'nope' }], measures: [{ fn: 'count' }], chart: 'table' },
      ],
      dashboards: [{ name: 'd', label: { en: 'D' }, roles: ['nobody'], tiles: [{ report: 'missing' }] }],
    };
    expect((await api.call('PUT', '/api/metadata/draft', { token: crm.tokens.admin, body: bad })).status).toBe(200);
    const report = await api.call('POST', '/api/metadata/validate', { token: crm.tokens.admin });
    const found = report.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`);
    expect(found).toEqual(expect.arrayContaining([
      '/reports/0/object unknownObject',
      '/reports/1/groupings/0 timeUnitRequired',
      '/reports/1/groupings/1/unit notTimeField',
      '/reports/1/measures/0/field notNumeric',
      '/reports/1/filters/0/op operatorNotSupported',
      '/reports/1/chart oneGroupingChart',
      '/reports/2/name duplicate',
      '/reports/2/groupings/0/field unknownField',
      '/dashboards/0/tiles/0/report unknownReport',
      '/dashboards/0/roles/0 unknownRole',
    ]));
    expect(report.body.valid).toBe(false);
  });

  it('refuses unknown properties by the meta-schema', async () => {
    const bundle = crmCore();
    const bad = { ...bundle, reports: [{ ...bundle.reports![0]!, colour: 'red' }] };
    expect((await api.call('PUT', '/api/metadata/draft', { token: crm.tokens.admin, body: bad })).status).toBe(200);
    const report = await api.call('POST', '/api/metadata/validate', { token: crm.tokens.admin });
    expect(report.body.problems).toEqual([expect.objectContaining({ pointer: '/reports/0/colour', code: 'unknownField' })]);
  });
});

describe('board SLA warnings from the server', () => {
  it('marks each record ok, near (80% of the time allowed) or breached against its state’s service level, and counts them per column', async () => {
    let clock = new Date('2026-03-02T02:00:00.000Z');
    const timed = await createTestApi({ now: () => clock });
    const admin = await timed.tenant();
    await timed.publish(admin.token, crmCore());
    const account = (await timed.call('POST', '/api/objects/account/records', { token: admin.token, body: { name: 'Clocked' } })).body.id;
    const create = async (name: string) => (await timed.call('POST', '/api/objects/opportunity/records', { token: admin.token, body: { name, account, amount: 10, close_date: '2026-06-30', stage: 'qualify' } })).body;
    const [early, late] = [await create('early'), await create('late')];
    // Both enter "proposal" (14 days allowed) now; the first moves on later and is counted from then.
    for (const r of [early, late]) expect((await timed.call('PATCH', `/api/objects/opportunity/records/${r.id}`, { token: admin.token, body: { stage: 'proposal' }, headers: { 'if-match': `"${r.version}"` } })).status).toBe(200);
    clock = new Date('2026-03-14T02:00:00.000Z'); // 12 of 14 days: near
    const near = await timed.call('GET', '/api/objects/opportunity/records?filter[stage]=proposal&sla=true', { token: admin.token });
    expect(near.status).toBe(200);
    expect(near.body.items.map((r: { _sla: { status: string; dueAt: string; enteredAt: string } }) => [r._sla.status, r._sla.enteredAt, r._sla.dueAt])).toEqual([
      ['near', '2026-03-02T02:00:00.000Z', '2026-03-16T02:00:00.000Z'],
      ['near', '2026-03-02T02:00:00.000Z', '2026-03-16T02:00:00.000Z'],
    ]);
    clock = new Date('2026-03-17T00:00:00.000Z'); // past the 14 days
    const totals = await timed.call('GET', '/api/objects/opportunity/aggregate?groupBy=stage&sla=true', { token: admin.token });
    expect(totals.body.groups).toEqual([expect.objectContaining({ key: 'proposal', count: 2, sla: { near: 0, breached: 2 } })]);
    const plain = await timed.call('GET', '/api/objects/opportunity/records?filter[stage]=proposal', { token: admin.token });
    expect(plain.body.items[0]).not.toHaveProperty('_sla');
    // A state without a service level has no mark.
    const qualify = await create('fresh');
    const fresh = await timed.call('GET', `/api/objects/opportunity/records?filter[stage]=qualify&sla=true`, { token: admin.token });
    expect(fresh.body.items.find((r: { id: string }) => r.id === qualify.id)._sla).toBeNull();
  });
});
