import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, templatesDir } from '../../functions/api/templates/catalog';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Lead conversion on DynamoDB Local with crm-core's `lead_conversion`: a lead becomes an
 * account, a contact and an opportunity (new or attached) in one transaction, mapped by
 * metadata, through the write pipeline; the lead is marked converted, linked, read-only and
 * cannot be converted twice; a target that fails validation writes nothing; a caller who may
 * not create a target is refused; history says what happened; and publish refuses a
 * conversion whose mapping cannot work.
 */

let api: TestApi;
let crm: CrmTenant;
const crmCore = (): MetadataBundle => loadTemplate(join(templatesDir(), 'crm-core')).bundle;

beforeAll(async () => {
  api = await createTestApi({ now: () => new Date('2026-11-02T01:00:00.000Z') });
  crm = await crmTenant(api);
}, 120_000);

/** A lead the caller owns (crm-core's assignment rules would hand it round the sales reps otherwise). */
const lead = async (body: Record<string, unknown> = {}, token = crm.tokens.rep) => {
  const res = await api.call('POST', '/api/objects/lead/records', {
    token,
    body: {
      owner: token === crm.tokens.rep ? crm.ids.rep : crm.ids.marketer, full_name: 'Li Lei', company: 'Hangzhou Lanxin Tech', title: 'CTO', email: 'li.lei@lanxin.example.com', mobile: '+86 139 0000 1111', source: 'advertising', industry: 'ict', employees: 120, requirement: 'Field service app', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
};
const convert = (id: string, body: unknown = {}, token = crm.tokens.rep, headers?: Record<string, string>) => api.call('POST', `/api/objects/lead/records/${id}/convert`, { token, body, ...(headers ? { headers } : {}) });
const get = (object: string, id: string, token = crm.tokens.rep) => api.call('GET', `/api/objects/${object}/records/${id}`, { token });
const count = async (object: string, token = crm.tokens.admin) => (await api.call('GET', `/api/objects/${object}/records?limit=200`, { token })).body.items.length as number;

describe('converting a lead', () => {
  it('creates an account, a contact and an opportunity from the mapping, links them and marks the lead converted', async () => {
    const { id } = await lead();
    const res = await convert(id, { opportunity: { values: { name: 'Lanxin field service', amount: 80000 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { source, account, contact, opportunity, created } = res.body;
    expect(created).toEqual({ account: true, contact: true, opportunity: true });
    expect(account).toMatchObject({ name: 'Hangzhou Lanxin Tech', industry: 'ict', employees: 120, source: 'advertising', owner: crm.ids.rep });
    expect(contact).toMatchObject({ full_name: 'Li Lei', title: 'CTO', email: 'li.lei@lanxin.example.com', account: account.id, converted_from_lead: id });
    // The caller's values win over the mapped ones; the conversion's own set gives a close date 30 days out.
    expect(opportunity).toMatchObject({ name: 'Lanxin field service', amount: 80000, account: account.id, source: 'advertising', description: 'Field service app', close_date: '2026-12-02', stage: 'qualify' });
    expect(source).toMatchObject({ status: 'converted', converted_at: '2026-11-02T01:00:00.000Z', converted_account: account.id, converted_contact: contact.id, converted_opportunity: opportunity.id });
    for (const [object, record] of [['account', account], ['contact', contact], ['opportunity', opportunity], ['lead', source]] as const) {
      expect((await get(object, record.id)).body.version).toBe(record.version);
    }
  });

  it('attaches an existing account and creates no opportunity when asked', async () => {
    const existing = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.rep, body: { name: 'Existing Co' } })).body;
    const { id } = await lead({ company: 'Existing Co', full_name: 'Han Meimei', email: 'han@existing.example.com' });
    const opportunities = await count('opportunity');
    const res = await convert(id, { account: existing.id, opportunity: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.created).toEqual({ account: false, contact: true, opportunity: false });
    expect(res.body.account).toMatchObject({ id: existing.id, version: existing.version, name: 'Existing Co' });
    expect(res.body.contact.account).toBe(existing.id);
    expect(res.body.opportunity).toBeNull();
    expect(res.body.source.converted_opportunity).toBeUndefined();
    expect(await count('opportunity')).toBe(opportunities);
  });

  it('refuses a second conversion (409) and people’s edits of a converted lead', async () => {
    const { id } = await lead({ email: 'twice@example.com' });
    expect((await convert(id, { opportunity: false })).status).toBe(201);
    const again = await convert(id);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body.code).toBe('record.converted');
    expect(Object.keys(again.body.converted)).toEqual(['account', 'contact']);
    const current = (await get('lead', id)).body;
    const edit = await api.call('PATCH', `/api/objects/lead/records/${id}`, { token: crm.tokens.rep, body: { title: 'CEO' }, headers: { 'if-match': String(current.version) } });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('record.converted');
  });

  it('answers 422 with every problem keyed by target, and writes nothing', async () => {
    const { id, version } = await lead({ email: 'bad@example.com' });
    const before = { account: await count('account'), contact: await count('contact'), opportunity: await count('opportunity') };
    const res = await convert(id, { account: { values: { website: 'not a url' } }, contact: { values: { email: 'nope' } }, opportunity: { values: { amount: -5 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/account/website', '/contact/email', '/opportunity/amount']));
    expect(res.body.errors.find((e: { pointer: string }) => e.pointer === '/contact/email').params.object).toBe('contact');
    expect({ account: await count('account'), contact: await count('contact'), opportunity: await count('opportunity') }).toEqual(before);
    expect((await get('lead', id)).body).toMatchObject({ version, status: 'new' });
  });

  it('refuses an existing account the caller cannot reach, as a problem at /account', async () => {
    const others = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.rep2, body: { name: 'Not yours' } })).body;
    const { id } = await lead({ email: 'reach@example.com' });
    const res = await convert(id, { account: others.id });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/account']);
  });

  it('refuses a caller who may not create a target object (403), writing nothing', async () => {
    // The marketer works leads but may not create accounts, contacts or opportunities.
    const { id, version } = await lead({ email: 'marketing@example.com' }, crm.tokens.marketer);
    const res = await convert(id, {}, crm.tokens.marketer);
    expect(res.status).toBe(403);
    expect((await get('lead', id, crm.tokens.marketer)).body).toMatchObject({ version, status: 'new' });
  });

  it('honours If-Match (412 for a version that is not current) and refuses an unknown request member (400)', async () => {
    const { id, version } = await lead({ email: 'ifmatch@example.com' });
    expect((await convert(id, {}, crm.tokens.rep, { 'if-match': String(version + 1) })).status).toBe(412);
    const bad = await convert(id, { opportunity: true, extra: 1 });
    expect(bad.status).toBe(400);
  });

  it('records the conversion in the history of the lead and of each record it created', async () => {
    const { id } = await lead({ email: 'history@example.com' });
    const { body } = await convert(id);
    const leadHistory = (await api.call('GET', `/api/objects/lead/records/${id}/history`, { token: crm.tokens.rep })).body.items;
    expect(leadHistory[0]).toMatchObject({ op: 'update', conversion: { name: 'lead_conversion', records: { account: body.account.id, contact: body.contact.id, opportunity: body.opportunity.id } } });
    expect(leadHistory[0].changes.status).toEqual({ old: 'new', new: 'converted' });
    const accountHistory = (await api.call('GET', `/api/objects/account/records/${body.account.id}/history`, { token: crm.tokens.rep })).body.items;
    expect(accountHistory[0]).toMatchObject({ op: 'create', conversion: { name: 'lead_conversion', from: { object: 'lead', id } } });
  });
});

describe('publishing a conversion', () => {
  it('refuses unknown fields, incompatible types, missing picklist options and wrong lookups, each at its pointer', async () => {
    const bundle = crmCore();
    const [conversion] = bundle.conversions!;
    const broken = {
      ...conversion!,
      status: { field: 'status', value: 'done' },
      account: { ...conversion!.account, map: [{ from: 'nope', to: 'name' }, { from: 'employees', to: 'name' }] },
      contact: { ...conversion!.contact, accountField: 'title' },
      opportunity: { ...conversion!.opportunity!, map: [{ from: 'rating', to: 'stage' }] },
    };
    expect((await api.call('PUT', '/api/metadata/draft', { token: crm.tokens.admin, body: { ...bundle, conversions: [broken] } })).status).toBe(200);
    const res = await api.call('POST', '/api/metadata/publish', { token: crm.tokens.admin, body: {} });
    expect(res.status).toBe(422);
    const problems = res.body.errors as Array<{ pointer: string; code: string }>;
    expect(problems.map((p) => p.pointer)).toEqual(expect.arrayContaining(['/conversions/0/status/value', '/conversions/0/account/map/0/from', '/conversions/0/account/map/1', '/conversions/0/contact/accountField', '/conversions/0/opportunity/map/0']));
    const codes = Object.fromEntries(problems.map((p) => [p.pointer, p.code]));
    expect(codes['/conversions/0/account/map/1']).toBe('typeMismatch');
    expect(codes['/conversions/0/opportunity/map/0']).toBe('optionsMissing');
  });
});
