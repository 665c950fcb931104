import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';

let api: TestApi;
let crm: CrmTenant;

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
  await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: '=HYPERLINK("http://evil","click")', tax_id: '91110000MA01EXPRT1', annual_revenue: 42 } });
  await api.call('POST', '/api/objects/contact/records', { token: crm.tokens.admin, body: { full_name: '@SUM(A1)', mobile: '+86 139 1234 5678', preferred_channels: ['wechat', 'email'] } });
});

const parse = (text: string) => Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });

describe('CSV export', () => {
  it('exports a list exactly as the caller may see it: hidden fields absent, sensitive masked, formulas defused', async () => {
    const res = await api.call('GET', '/api/objects/contact/export?header=api', { token: crm.tokens.marketer });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.body as unknown as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(text).data;
    const row = rows.find((r) => r.full_name?.includes('SUM'))!;
    expect(row.full_name).toBe("'@SUM(A1)");
    expect(row.mobile).toBe('139****5678');
    expect(row.preferred_channels).toBe('email;wechat');

    const accounts = parse((await api.call('GET', '/api/objects/account/export?header=api', { token: crm.tokens.marketer })).body as unknown as string);
    expect(accounts.meta.fields).not.toContain('tax_id');
    expect(accounts.data.find((r) => r.name?.includes('HYPERLINK'))!.name).toBe(`'=HYPERLINK("http://evil","click")`);
  });

  it('exports a list view: its filters, sort and columns in order; an unknown or hidden column is refused at its pointer', async () => {
    for (const name of ['Export Zeta', 'Export Alpha', 'Other Co']) await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name } });
    const res = await api.call('GET', '/api/objects/account/export?header=api&filter[name][startsWith]=Export&sort=name&columns=name,owner', { token: crm.tokens.admin });
    expect(res.status, String(res.body)).toBe(200);
    const csv = parse(res.body as unknown as string);
    expect(csv.meta.fields).toEqual(['name', 'owner']);
    expect(csv.data.map((r) => r.name)).toEqual(['Export Alpha', 'Export Zeta']);
    const bad = await api.call('GET', '/api/objects/account/export?columns=name,tax_id,nope', { token: crm.tokens.marketer });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/columns/1', '/columns/2']);
  });

  it('uses field labels in the caller’s language by default', async () => {
    const res = await api.call('GET', '/api/objects/account/export', { token: crm.tokens.admin, headers: { 'accept-language': 'zh-CN' } });
    expect(parse(res.body as unknown as string).meta.fields).toEqual(expect.arrayContaining(['客户名称', '统一社会信用代码']));
  });

  it('needs the exportData permission', async () => {
    const res = await api.call('GET', '/api/objects/account/export', { token: crm.tokens.rep });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('access.denied');
  });
});
