import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { main } from '../../functions/cli/main';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';

let api: TestApi;
let crm: CrmTenant;

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
});

const tessera = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await main([...args, '--table', api.tableName, '--endpoint', inject('dynamoEndpoint')], (l) => lines.push(l), (l) => lines.push(l));
  return { code, out: lines.join('\n') };
};

async function everything(token: string) {
  const head = (await api.call('GET', '/api/metadata', { token })).body;
  const versions = (await api.call('GET', '/api/metadata/versions', { token })).body.items;
  const records: Record<string, unknown[]> = {};
  const histories: Record<string, unknown> = {};
  for (const o of head.objects) {
    const list = (await api.call('GET', `/api/objects/${o.name}/records?limit=200`, { token })).body.items;
    records[o.name] = list;
    for (const r of list) histories[r.id] = (await api.call('GET', `/api/objects/${o.name}/records/${r.id}/history`, { token })).body.items;
  }
  const users = (await api.call('GET', '/api/users', { token })).body.items;
  const teams = (await api.call('GET', '/api/teams', { token })).body.items;
  return { head: { ...head, publishedAt: undefined }, versions, records, histories, users, teams };
}

describe('tenant backup and restore', () => {
  it('a restore into an empty tenant reproduces every record, relation, history entry, user and metadata version', { timeout: 120_000 }, async () => {
    const acct = await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Backed up', tax_id: '91110000MA01ABCDE1', owner: crm.ids.rep } });
    expect(acct.status).toBe(201);
    const contact = await api.call('POST', '/api/objects/contact/records', { token: crm.tokens.rep, body: { full_name: 'Wang', account: acct.body.id, mobile: '+86 138 0000 9999' } });
    await api.call('PATCH', `/api/objects/contact/records/${contact.body.id}`, { token: crm.tokens.rep, body: { title: 'CEO' }, headers: { 'if-match': '1' } });
    await api.call('POST', '/api/objects/opportunity/records', { token: crm.tokens.rep, body: { name: 'Big one', account: acct.body.id, close_date: '2027-03-01', amount: 5 } });
    const before = await everything(crm.tokens.admin);

    const file = join(mkdtempSync(join(tmpdir(), 'tessera-backup-')), 'tenant.jsonl');
    const exported = await tessera('tenant', 'export', crm.tenantId, '--out', file);
    expect(exported.code, exported.out).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(`T#${crm.tenantId}#`);

    const restoredId = `${crm.tenantId}-r`;
    const imported = await tessera('tenant', 'import', restoredId, '--in', file);
    expect(imported.code, imported.out).toBe(0);
    const { token } = await api.services.tokens.sign!({ tenantId: restoredId, userId: crm.ids.admin, roles: [] });
    const after = await everything(token);
    expect(after).toEqual(before);

    // Guards and counters came along: a duplicate is still refused and numbers go on.
    const dup = await api.call('POST', '/api/objects/account/records', { token, body: { name: 'Dup', tax_id: '91110000MA01ABCDE1' } });
    expect(dup.status).toBe(409);
    const next = await api.call('POST', '/api/objects/account/records', { token, body: { name: 'Next' } });
    const numbers = before.records.account!.map((r) => (r as { account_number: string }).account_number).sort();
    expect(next.body.account_number > numbers.at(-1)!).toBe(true);
    // Logins were rebuilt.
    const login = await api.call('POST', '/auth/login', { body: { tenant: restoredId, email: `rep@${crm.tenantId}.test`, password: 'correct horse battery staple' } });
    expect(login.status).toBe(200);

    expect((await tessera('tenant', 'import', restoredId, '--in', file)).code).toBe(1);
  });
});
