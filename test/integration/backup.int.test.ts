import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadTemplate, templatesDir } from '../../functions/api/templates/catalog';
import { runDueTimers } from '../../functions/automation/timers';
import { main } from '../../functions/cli/main';
import { assignmentTurnKey } from '../../functions/engine/rules/turnKeys';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { keys } from '../../functions/store/keys';
import { TimerStore, timerDueKeys } from '../../functions/store/timerStore';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { PERSONAS, crmTenant } from '../support/crmTenant';
import type { CrmTenant, Persona } from '../support/crmTenant';

/*
 * A tenant exported and restored under another id through the CLI, on DynamoDB Local. The source
 * tenant's changes reach the stream consumer through the local stream poller (as in `npm start`),
 * which sets timers and runs after-save rules; the restore's own writes go through it too, and
 * must set nothing off.
 */

let api: TestApi;
let crm: CrmTenant;
let poller: StreamPoller;

const L = (en: string) => ({ en });
const bundle = () => {
  const crmCore = loadTemplate(join(templatesDir(), 'crm-core')).bundle;
  return {
    ...crmCore,
    automationRules: [
      ...(crmCore.automationRules ?? []),
      { name: 'account_welcome', object: 'account', trigger: { on: 'created' as const }, actions: [{ type: 'notify' as const, to: [{ owner: true as const }], message: L('A new account is yours') }] },
    ],
    webhooks: [{ name: 'erp', object: 'account', events: ['deleted' as const], url: 'https://erp.example.com/hooks/tessera' }],
  };
};

beforeAll(async () => {
  api = await createTestApi();
  poller = consumerPoller(api, { intervalMs: 60_000 });
  await poller.drain();
  crm = await crmTenant(api);
  await api.publish(crm.tokens.admin, bundle());
}, 120_000);

afterAll(async () => {
  await poller?.stop();
});

const drain = async () => {
  await poller.drain();
  expect(poller.errors).toEqual([]);
};

const tessera = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await main([...args, '--table', api.tableName, '--endpoint', inject('dynamoEndpoint')], (l) => lines.push(l), (l) => lines.push(l));
  return { code, out: lines.join('\n') };
};

const tokensOf = async (tenantId: string): Promise<Record<Persona, string>> =>
  Object.fromEntries(await Promise.all((['admin', ...PERSONAS] as const).map(async (p) => [p, (await api.services.tokens.sign!({ tenantId, userId: crm.ids[p], roles: [] })).token]))) as Record<Persona, string>;

const turnCounter = async (tenant: string) => (await api.services.doc.send(new GetCommand({ TableName: api.tableName, Key: keys.turn(tenant, assignmentTurnKey('lead', 'others_in_turn')), ConsistentRead: true }))).Item;

/** Everything a tenant's users can see of it, and its pending work (timers, turn counters). */
async function everything(tenant: string, tokens: Record<Persona, string>) {
  const token = tokens.admin;
  const head = (await api.call('GET', '/api/metadata', { token })).body;
  const versions = (await api.call('GET', '/api/metadata/versions', { token })).body.items;
  const records: Record<string, unknown[]> = {};
  const histories: Record<string, unknown> = {};
  const runs: Record<string, unknown> = {};
  const timers: Record<string, unknown> = {};
  const views: Record<string, unknown> = {};
  const timerStore = new TimerStore(api.services.doc, api.tableName);
  for (const o of head.objects) {
    const list = (await api.call('GET', `/api/objects/${o.name}/records?limit=200`, { token })).body.items;
    records[o.name] = list;
    for (const r of list) {
      histories[r.id] = (await api.call('GET', `/api/objects/${o.name}/records/${r.id}/history`, { token })).body.items;
      runs[r.id] = (await api.call('GET', `/api/objects/${o.name}/records/${r.id}/runs`, { token })).body.items;
      const found = await timerStore.ofRecord(tenant, o.name, r.id);
      if (found.length) timers[r.id] = found.map(({ tenant: _t, ...t }) => t);
    }
  }
  const notifications: Record<string, unknown> = {};
  for (const [persona, t] of Object.entries(tokens)) {
    notifications[persona] = (await api.call('GET', '/api/notifications', { token: t })).body.items;
    for (const o of head.objects) {
      // A persona who may not read the object gets 403, the same before and after.
      const res = await api.call('GET', `/api/objects/${o.name}/views`, { token: t });
      if (res.status !== 200 || res.body.items.length) views[`${persona}/${o.name}`] = res.status === 200 ? res.body.items : res.status;
    }
  }
  const users = (await api.call('GET', '/api/users', { token })).body.items;
  const teams = (await api.call('GET', '/api/teams', { token })).body.items;
  // The hint names the tenant the key is presented with: `tsk_<tenant>_<id>_…`.
  const apiKeys = (await api.call('GET', '/api/api-keys', { token })).body.items.map((k: { hint: string }) => ({ ...k, hint: k.hint.replace(`tsk_${tenant}_`, 'tsk_<tenant>_') }));
  const webhookSecret = (await api.call('GET', '/api/webhooks/erp/secret', { token })).body;
  const turn = await turnCounter(tenant);
  return { head: { ...head, publishedAt: undefined }, versions, records, histories, runs, timers, notifications, views, users, teams, apiKeys, webhookSecret, turn: turn?.n };
}

describe('tenant backup and restore', () => {
  it('a restore into an empty tenant reproduces every record, relation, history entry, rule run, timer, notification, saved view, API key, counter and metadata version', { timeout: 240_000 }, async () => {
    const acct = await api.call('POST', '/api/objects/account/records', { token: crm.tokens.admin, body: { name: 'Backed up', tax_id: '91110000MA01ABCDE1', owner: crm.ids.rep } });
    expect(acct.status).toBe(201);
    const contact = await api.call('POST', '/api/objects/contact/records', { token: crm.tokens.rep, body: { full_name: 'Wang', account: acct.body.id, mobile: '+86 138 0000 9999' } });
    await api.call('PATCH', `/api/objects/contact/records/${contact.body.id}`, { token: crm.tokens.rep, body: { title: 'CEO' }, headers: { 'if-match': '1' } });
    const deal = await api.call('POST', '/api/objects/opportunity/records', { token: crm.tokens.rep, body: { name: 'Big one', account: acct.body.id, close_date: '2027-03-01', amount: 5 } });
    expect(deal.status).toBe(201);
    // A lead given in turn to a sales rep; then a third rep joins, so the next turn is not the first member's.
    const lead = await api.call('POST', '/api/objects/lead/records', { token: crm.tokens.admin, body: { full_name: 'Li Lei', source: 'web', status: 'new', email: 'li@lei.test' } });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const rep3 = await api.call('POST', '/api/users', { token: crm.tokens.admin, body: { email: `rep3@${crm.tenantId}.test`, name: 'rep3', roles: ['sales_rep'], password: 'correct horse battery staple' } });
    expect(rep3.status).toBe(201);
    const mine = await api.call('POST', '/api/objects/account/views', { token: crm.tokens.rep, body: { name: 'My big accounts', columns: ['name'], sort: 'name' } });
    const shared = await api.call('POST', '/api/objects/opportunity/views', { token: crm.tokens.rep, body: { name: 'Team pipeline', shared: true, columns: ['name', 'stage'], groupBy: 'stage' } });
    expect([mine.status, shared.status]).toEqual([201, 201]);
    const apiKey = await api.call('POST', '/api/api-keys', { token: crm.tokens.admin, body: { name: 'ERP', role: 'sales_rep' } });
    expect(apiKey.status).toBe(201);
    await drain();

    const sourceTokens = await tokensOf(crm.tenantId);
    const before = await everything(crm.tenantId, sourceTokens);
    // What the restore must carry is there to carry.
    expect(before.timers[deal.body.id]).toEqual([expect.objectContaining({ rule: 'opportunity_close_reminder', state: 'pending' })]);
    expect(before.runs[acct.body.id]).toEqual([expect.objectContaining({ rule: 'account_welcome', outcome: 'applied' })]);
    expect(before.runs[lead.body.id]).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'assignment' })]));
    expect(before.notifications.rep).toEqual([expect.objectContaining({ recordId: acct.body.id, rule: 'account_welcome' })]);
    expect(before.views).toMatchObject({ 'rep/account': [{ name: 'My big accounts' }], 'rep/opportunity': [{ name: 'Team pipeline' }], 'admin/opportunity': [{ name: 'Team pipeline' }] });
    expect(before.apiKeys).toHaveLength(1);
    expect(before.webhookSecret.secret).toEqual(expect.any(String));
    expect(before.turn! % 3).not.toBe(0);

    const file = join(mkdtempSync(join(tmpdir(), 'tessera-backup-')), 'tenant.jsonl');
    const exported = await tessera('tenant', 'export', crm.tenantId, '--out', file);
    expect(exported.code, exported.out).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(`T#${crm.tenantId}#`);
    // The secret is what follows tsk_<tenant>_<id>_ (base64url, which may itself hold an underscore).
    expect(text).not.toContain(apiKey.body.key.slice(`tsk_${crm.tenantId}_${apiKey.body.id}_`.length));

    const restoredId = `${crm.tenantId}-r`;
    const imported = await tessera('tenant', 'import', restoredId, '--in', file);
    expect(imported.code, imported.out).toBe(0);
    // The restore's writes reach the stream consumer too: they are not creates, so no rule runs, notifies or sets a timer again.
    await drain();
    const tokens = await tokensOf(restoredId);
    const after = await everything(restoredId, tokens);
    expect(after).toEqual(before);

    // Guards and counters came along: a duplicate is still refused and numbers go on.
    const dup = await api.call('POST', '/api/objects/account/records', { token: tokens.admin, body: { name: 'Dup', tax_id: '91110000MA01ABCDE1' } });
    expect(dup.status).toBe(409);
    const next = await api.call('POST', '/api/objects/account/records', { token: tokens.admin, body: { name: 'Next' } });
    const numbers = before.records.account!.map((r) => (r as { account_number: string }).account_number).sort();
    expect(next.body.account_number > numbers.at(-1)!).toBe(true);
    // Logins were rebuilt.
    const login = await api.call('POST', '/auth/login', { body: { tenant: restoredId, email: `rep@${crm.tenantId}.test`, password: 'correct horse battery staple' } });
    expect(login.status).toBe(200);

    // The API key authenticates under the restored tenant with the same secret.
    const restoredKey = apiKey.body.key.replace(`tsk_${crm.tenantId}_`, `tsk_${restoredId}_`);
    const asKey = await api.call('GET', '/api/objects/account/records', { token: restoredKey });
    expect(asKey.status, JSON.stringify(asKey.body)).toBe(200);

    // The rotation goes on from the source's counter: three reps, turn n + 1 (restarting would give the first rep).
    const reps = [crm.ids.rep, crm.ids.rep2, rep3.body.id].sort();
    const nextLead = await api.call('POST', '/api/objects/lead/records', { token: tokens.admin, body: { full_name: 'Han Meimei', source: 'web', status: 'new', email: 'han@meimei.test' } });
    expect(nextLead.status).toBe(201);
    expect(nextLead.body.owner).toBe(reps[before.turn! % 3]);
    expect(nextLead.body.owner).not.toBe(reps[0]);

    // The restored timer is due under the restored tenant, and fires there.
    const timerItem = (await api.services.doc.send(new GetCommand({ TableName: api.tableName, Key: keys.timer(restoredId, 'opportunity', deal.body.id, 'opportunity_close_reminder') }))).Item!;
    expect(timerItem).toMatchObject(timerDueKeys({ tenant: restoredId, object: 'opportunity', recordId: deal.body.id, rule: 'opportunity_close_reminder', dueAt: String(timerItem.dueAt) }));
    const tick = await runDueTimers(api.services, new Date(Date.parse(String(timerItem.dueAt)) + 60_000));
    expect(tick.failed).toBe(0);
    const reminded = (await api.call('GET', '/api/notifications', { token: tokens.rep })).body.items;
    expect(reminded).toEqual(expect.arrayContaining([expect.objectContaining({ recordId: deal.body.id, rule: 'opportunity_close_reminder' })]));
    const dealRuns = (await api.call('GET', `/api/objects/opportunity/records/${deal.body.id}/runs`, { token: tokens.admin })).body.items;
    expect(dealRuns[0]).toMatchObject({ rule: 'opportunity_close_reminder', trigger: 'timer', outcome: 'applied' });

    expect((await tessera('tenant', 'import', restoredId, '--in', file)).code).toBe(1);
  });
});
