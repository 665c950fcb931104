import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';

let api: TestApi;
let crm: CrmTenant;

const views = (object: string) => `/api/objects/${object}/views`;
const listQuery = (view: { filters: Array<{ field: string; op: string; value: string }>; sort: string | null }) =>
  [...view.filters.map((f) => `filter[${f.field}][${f.op}]=${encodeURIComponent(f.value)}`), ...(view.sort ? [`sort=${view.sort}`] : [])].join('&');

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
});

describe('saved list views', () => {
  it('keeps a private view for its owner only, and offers a shared one to everyone who reads the object', async () => {
    const mine = await api.call('POST', views('opportunity'), {
      token: crm.tokens.rep,
      body: { name: 'My proposals', columns: ['name', 'amount', 'close_date'], filters: [{ field: 'stage', op: 'eq', value: 'proposal' }], sort: 'close_date', groupBy: null },
    });
    expect(mine.status).toBe(201);
    expect(mine.headers.etag).toBe('"1"');
    expect(mine.body).toMatchObject({ name: 'My proposals', shared: false, owner: crm.ids.rep, version: 1, mine: true, adjusted: false });
    const shared = await api.call('POST', views('opportunity'), { token: crm.tokens.rep, body: { name: 'Team pipeline', shared: true, columns: ['name', 'stage'], groupBy: 'stage' } });
    expect(shared.status).toBe(201);

    const own = await api.call('GET', views('opportunity'), { token: crm.tokens.rep });
    expect(own.body.items.map((v: { name: string }) => v.name)).toEqual(['My proposals', 'Team pipeline']);
    const other = await api.call('GET', views('opportunity'), { token: crm.tokens.rep2 });
    expect(other.body.items).toEqual([expect.objectContaining({ name: 'Team pipeline', mine: false, owner: crm.ids.rep })]);
    // The other rep's own views come first.
    await api.call('POST', views('opportunity'), { token: crm.tokens.rep2, body: { name: 'Zeta', columns: ['name'] } });
    expect((await api.call('GET', views('opportunity'), { token: crm.tokens.rep2 })).body.items.map((v: { name: string; mine: boolean }) => [v.name, v.mine])).toEqual([['Zeta', true], ['Team pipeline', false]]);
  });

  it('saves only what the list API serves: every problem at its pointer, and a saved view applied to the list answers 200', async () => {
    const bad = await api.call('POST', views('opportunity'), {
      token: crm.tokens.rep,
      body: {
        name: 'Broken',
        columns: ['name', 'no_such_field'],
        filters: [
          { field: 'stage', op: 'startsWith', value: 'pro' },
          { field: 'amount', op: 'gt', value: 'lots' },
          { field: 'ghost', op: 'eq', value: 'x' },
        ],
        groupBy: 'amount',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code])).toEqual([
      ['/columns/1', 'unknownField'],
      ['/filters/0/op', 'operatorNotSupported'],
      ['/filters/1/value', 'type'],
      ['/filters/2/field', 'unknownField'],
      ['/groupBy', 'notGroupable'],
    ]);
    // A declared index serves close_date order only with its equality filter on stage; description is no index at all.
    const unsortable = await api.call('POST', views('opportunity'), { token: crm.tokens.rep, body: { name: 'Sorted', columns: ['name'], sort: '-description' } });
    expect(unsortable.status).toBe(422);
    expect(unsortable.body.errors).toEqual([expect.objectContaining({ pointer: '/sort', code: 'notSortable' })]);
    const shape = await api.call('POST', views('opportunity'), { token: crm.tokens.rep, body: { name: '', columns: [], extra: 1 } });
    expect(shape.status).toBe(422);
    expect(shape.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/columns', '/extra', '/name']);

    const ok = await api.call('POST', views('opportunity'), {
      token: crm.tokens.rep,
      body: { name: 'Closing soon', columns: ['name'], filters: [{ field: 'stage', op: 'eq', value: 'negotiation' }, { field: 'close_date', op: 'lte', value: '2027-06-30' }], sort: '-close_date' },
    });
    expect(ok.status).toBe(201);
    const list = await api.call('GET', `/api/objects/opportunity/records?${listQuery(ok.body)}`, { token: crm.tokens.rep });
    expect(list.status).toBe(200);
    expect(list.body.meta.servedBy).toBe('index:by_stage_close');
  });

  it('changes a view only for its owner, with If-Match; shared views of others are used, not changed', async () => {
    const created = (await api.call('POST', views('account'), { token: crm.tokens.manager, body: { name: 'Big ones', shared: true, columns: ['name'] } })).body;
    const url = `${views('account')}/${created.id}`;
    const body = { name: 'Big accounts', shared: true, columns: ['name', 'grade'] };
    expect((await api.call('PUT', url, { token: crm.tokens.manager, body })).status).toBe(428);
    expect((await api.call('PUT', url, { token: crm.tokens.manager, body, headers: { 'if-match': '"7"' } })).body).toMatchObject({ code: 'record.versionConflict', currentVersion: 1 });
    const put = await api.call('PUT', url, { token: crm.tokens.manager, body, headers: { 'if-match': '"1"' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Big accounts', version: 2, columns: ['name', 'grade'], createdAt: created.createdAt });
    expect((await api.call('PUT', url, { token: crm.tokens.rep, body, headers: { 'if-match': '"2"' } })).status).toBe(403);
    expect((await api.call('DELETE', url, { token: crm.tokens.rep })).status).toBe(403);
    expect((await api.call('PUT', `${views('account')}/01J00000000000000000000000`, { token: crm.tokens.rep, body, headers: { 'if-match': '"1"' } })).status).toBe(404);

    // Unsharing removes it from everyone else's list at once.
    await api.call('PUT', url, { token: crm.tokens.manager, body: { ...body, shared: false }, headers: { 'if-match': '"2"' } });
    expect((await api.call('GET', views('account'), { token: crm.tokens.rep })).body.items.some((v: { id: string }) => v.id === created.id)).toBe(false);
    expect((await api.call('DELETE', url, { token: crm.tokens.manager, headers: { 'if-match': '"2"' } })).status).toBe(412);
    expect((await api.call('DELETE', url, { token: crm.tokens.manager })).status).toBe(204);
    expect((await api.call('GET', views('account'), { token: crm.tokens.manager })).body.items).toEqual([]);
  });

  it('never shows a field hidden from the caller: a shared view is adjusted to what they may use', async () => {
    const shared = await api.call('POST', views('account'), {
      token: crm.tokens.admin,
      body: { name: 'Revenue', shared: true, columns: ['name', 'annual_revenue', 'tax_id'], filters: [{ field: 'annual_revenue', op: 'gt', value: '1000000' }, { field: 'grade', op: 'eq', value: 'A' }] },
    });
    expect(shared.status).toBe(201);
    const asAgent = await api.call('GET', views('account'), { token: crm.tokens.agent });
    const view = asAgent.body.items.find((v: { id: string }) => v.id === shared.body.id);
    expect(view).toMatchObject({ columns: ['name'], filters: [{ field: 'grade', op: 'eq', value: 'A' }], adjusted: true, mine: false });
    expect(JSON.stringify(asAgent.body)).not.toMatch(/annual_revenue|tax_id/);
    // The agent cannot save one naming them either: they do not exist for the agent.
    const own = await api.call('POST', views('account'), { token: crm.tokens.agent, body: { name: 'Mine', columns: ['name', 'tax_id'] } });
    expect(own.body.errors).toEqual([expect.objectContaining({ pointer: '/columns/1', code: 'unknownField' })]);
    // An object the caller cannot read has no views for them.
    expect((await api.call('GET', views('opportunity'), { token: crm.tokens.agent })).status).toBe(404);
  });

  it('refuses a filter on a field the caller sees masked, and leaves it out of a shared view, where it stays a column', async () => {
    // The analyst reads leads with sensitive values masked; the rep may unmask them.
    const own = await api.call('POST', views('lead'), { token: crm.tokens.analyst, body: { name: 'By mobile', columns: ['full_name', 'mobile'], filters: [{ field: 'mobile', op: 'startsWith', value: '+86' }] } });
    expect(own.status).toBe(422);
    expect(own.body.errors).toEqual([expect.objectContaining({ pointer: '/filters/0/field', code: 'unknownField' })]);
    const shared = await api.call('POST', views('lead'), { token: crm.tokens.rep, body: { name: 'Mobiles', shared: true, columns: ['full_name', 'mobile'], filters: [{ field: 'mobile', op: 'startsWith', value: '+86' }] } });
    expect(shared.status).toBe(201);
    const view = (await api.call('GET', views('lead'), { token: crm.tokens.analyst })).body.items.find((v: { id: string }) => v.id === shared.body.id);
    expect(view).toMatchObject({ columns: ['full_name', 'mobile'], filters: [], adjusted: true, mine: false });
  });

  it('reads views by Query only, never a Scan', async () => {
    api.commandLog.clear();
    await api.call('GET', views('opportunity'), { token: crm.tokens.rep });
    expect(api.commandLog.get('QueryCommand')).toBeGreaterThanOrEqual(2);
    expect(api.commandLog.get('ScanCommand')).toBeUndefined();
  });
});
