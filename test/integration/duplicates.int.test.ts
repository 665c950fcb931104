import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CANDIDATES_PER_KEY } from '../../functions/store/duplicateStore';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { DuplicateRuleDef, MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';

/*
 * Duplicate rules on DynamoDB Local: block and warn on save (candidates found through match
 * keys, never a Scan), only matches the caller may see named, groups on demand, publish-time
 * keys for records that existed before a rule, merges that re-point related records and keep
 * history, and bad rules refused at publish with problems at their pointers.
 */

const L = (en: string, zh?: string) => ({ en, ...(zh ? { 'zh-CN': zh } : {}) });
const company: ObjectDef = {
  name: 'company',
  label: L('Company', '公司'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name', '名称'), required: true },
    { name: 'phone', type: 'phone', label: L('Phone', '电话') },
    { name: 'email', type: 'email', label: L('Email', '邮箱') },
    { name: 'tax_id', type: 'text', label: L('Tax id', '税号'), unique: true },
    { name: 'city', type: 'text', label: L('City', '城市') },
  ],
};
const person: ObjectDef = {
  name: 'person',
  label: L('Person'),
  nameField: 'full_name',
  fields: [
    { name: 'full_name', type: 'text', label: L('Name'), required: true },
    { name: 'company', type: 'lookup', target: 'company', label: L('Company'), indexed: true },
  ],
};
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'title',
  fields: [
    { name: 'title', type: 'text', label: L('Title'), required: true },
    { name: 'company', type: 'lookup', target: 'company', label: L('Company'), indexed: true },
    { name: 'amount', type: 'currency', label: L('Amount') },
  ],
};
const phoneRule: DuplicateRuleDef = { name: 'same_phone', object: 'company', action: 'block', conditions: [{ type: 'phone', field: 'phone', defaultCountryCode: '86' }], bypassRoles: ['cleaner'] };
const emailRule: DuplicateRuleDef = { name: 'same_email', object: 'company', action: 'warn', conditions: [{ type: 'email', field: 'email', ignorePlus: true }] };
const nameRule: DuplicateRuleDef = { name: 'alike_name', object: 'company', action: 'warn', conditions: [{ type: 'fuzzyName', field: 'name', threshold: 0.9 }] };

const bundle = (rules: DuplicateRuleDef[]): MetadataBundle => ({
  objects: [company, person, deal],
  roles: [
    { name: 'rep', label: L('Rep'), objects: { company: { create: true, read: true, update: true, scope: 'own' }, person: { create: true, read: true, scope: 'own' } } },
    { name: 'cleaner', label: L('Data steward'), objects: { company: { create: true, read: true, update: true, scope: 'own' } } },
  ],
  duplicateRules: rules,
});

let api: TestApi;
let token: string;
let rep: { id: string; token: string };
let steward: { id: string; token: string };

const create = (body: Record<string, unknown>, as = token) => api.call('POST', '/api/objects/company/records', { token: as, body });

beforeAll(async () => {
  api = await createTestApi();
  const admin = await api.tenant();
  token = admin.token;
  await api.publish(token, bundle([]));
  for (const [name, role] of [['rep', 'rep'], ['steward', 'cleaner']] as const) {
    const res = await api.call('POST', '/api/users', { token, body: { email: `${name}@${admin.tenantId}.test`, name, roles: [role], password: 'correct horse battery staple' } });
    const who = { id: res.body.id as string, token: (await api.services.tokens.sign!({ tenantId: admin.tenantId, userId: res.body.id, roles: [] })).token };
    if (name === 'rep') rep = who;
    else steward = who;
  }
}, 120_000);

describe('duplicate rules', () => {
  let acme: { id: string };

  it('fills match keys for records that existed before the rule was published', async () => {
    acme = (await create({ name: 'Acme Trading Co., Ltd.', phone: '010-6552 9988', email: 'Sales+crm@GMail.com', city: 'Beijing' })).body;
    expect(acme.id).toBeTruthy();
    await api.publish(token, bundle([phoneRule, emailRule, nameRule]));
    const res = await create({ name: 'Other Co', phone: '+86 10 6552 9988' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('record.duplicate');
    expect(res.body.rule).toBe('same_phone');
    expect(res.body.duplicates).toEqual([expect.objectContaining({ id: acme.id, name: 'Acme Trading Co., Ltd.', rule: 'same_phone', action: 'block', score: 1 })]);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/phone', code: 'duplicateRule' })]);
  });

  it('blocks by the normalised phone (country code, trunk 0, separators) whatever the format', async () => {
    for (const phone of ['010.6552.9988', '8610-6552-9988', '0086 10 6552 9988']) expect((await create({ name: `P ${phone}`, phone })).status, phone).toBe(409);
    expect((await create({ name: 'Different number', phone: '010 6552 9989' })).status).toBe(201);
  });

  it('warns about a plus-addressed e-mail and a name alike: the save succeeds and names the records', async () => {
    const res = await create({ name: 'Beta Ltd', email: 'sales@gmail.com' });
    expect(res.status).toBe(201);
    expect(res.body._duplicates).toEqual([expect.objectContaining({ id: acme.id, rule: 'same_email', action: 'warn' })]);
    const fuzzy = await create({ name: 'ACME Tradng Ltd' });
    expect(fuzzy.status).toBe(201);
    expect(fuzzy.body._duplicates).toEqual([expect.objectContaining({ id: acme.id, rule: 'alike_name' })]);
    expect(fuzzy.body._duplicates[0].score).toBeGreaterThanOrEqual(0.9);
    const unrelated = await create({ name: 'Zenith Logistics' });
    expect(unrelated.body._duplicates).toBeUndefined();
  });

  it('matches Chinese names through their shared characters, legal suffixes aside', async () => {
    const first = await create({ name: '北京华为技术有限公司' });
    expect(first.status).toBe(201);
    const second = await create({ name: '北京华为技术公司' });
    expect(second.body._duplicates).toEqual([expect.objectContaining({ id: first.body.id, rule: 'alike_name', score: 1 })]);
  });

  it('takes candidates from a name’s rarer keys when a common word is held by many records', async () => {
    // 50 firms "Harbor Freight <word>": "harb" and "frei" are then held by MAX_CANDIDATES_PER_KEY records and say nothing.
    const consonants = 'bcdfghjklmnpqrstvwxz';
    const word = (i: number) => `${consonants[i % 20]!.toUpperCase()}${'aeiou'[i % 5]}${consonants[Math.floor(i / 5) % 20]}${'aeiou'[(i * 3) % 5]}ton`;
    const items = [...Array.from({ length: MAX_CANDIDATES_PER_KEY - 1 }, (_, i) => ({ op: 'create', values: { name: `Harbor Freight ${word(i)}` } })), { op: 'create', values: { name: 'Harbor Freight Quintessa' } }];
    const made = await api.call('POST', '/api/objects/company/batch', { token, body: { items } });
    expect(made.status).toBe(200);
    const quintessa = (made.body.items as Array<{ status: number; record: { id: string } }>).at(-1)!;
    expect(quintessa.status).toBe(201);
    // A typo of one of them is named — and not the firms that merely share the two common words (similarity ~0.92).
    const typo = await create({ name: 'Harbor Freight Quintesa' });
    expect(typo.body._duplicates).toEqual([expect.objectContaining({ id: quintessa.record.id, rule: 'alike_name' })]);
  });

  it('names only the matches the caller may see; a block holds even when they see none', async () => {
    const res = await create({ name: 'Rep copy', phone: '01065529988' }, rep.token);
    expect(res.status).toBe(409);
    expect(res.body.duplicates).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain('Acme');
  });

  it('lets a bypass role save through a block rule, with the match as a warning', async () => {
    const res = await create({ name: 'Steward copy', phone: '01065529988' }, steward.token);
    expect(res.status).toBe(201);
    // The steward cannot read the match (scope own): the save goes through without naming it.
    expect(res.body._duplicates).toBeUndefined();
  });

  it('checks an update only when a rule’s field changes, and never against the record itself', async () => {
    const own = (await create({ name: 'Gamma Inc', phone: '021 5555 0000' })).body;
    const same = await api.call('PATCH', `/api/objects/company/records/${own.id}`, { token, headers: { 'if-match': '1' }, body: { city: 'Shanghai', phone: '+86 21 5555 0000' } });
    expect(same.status).toBe(200);
    const taken = await api.call('PATCH', `/api/objects/company/records/${own.id}`, { token, headers: { 'if-match': '2' }, body: { phone: '010 6552 9988' } });
    expect(taken.status).toBe(409);
  });

  it('finds groups of alike records on demand, bounded and paged', async () => {
    const res = await api.call('GET', '/api/objects/company/duplicates?rule=alike_name', { token });
    expect(res.status).toBe(200);
    const acmeGroup = res.body.groups.find((g: { records: Array<{ id: string }> }) => g.records.some((r) => r.id === acme.id));
    expect(acmeGroup.records.map((r: { name: string }) => r.name).sort()).toEqual(['ACME Tradng Ltd', 'Acme Trading Co., Ltd.']);
    const phones = await api.call('GET', '/api/objects/company/duplicates?rule=same_phone&limit=1', { token });
    expect(phones.body.groups).toHaveLength(1);
    expect(phones.body.groups[0].records.length).toBeGreaterThanOrEqual(2);
    const bad = await api.call('GET', '/api/objects/company/duplicates?rule=nope', { token });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('problem+json');
  });

  it('merges records: chosen values survive, related records point at the survivor, history keeps the merge', async () => {
    const a = (await create({ name: 'Delta Partners', city: 'Hangzhou', tax_id: 'TAX-A' })).body;
    const b = (await create({ name: 'Delta Partners Ltd', email: 'hello@delta.test', tax_id: 'TAX-B' })).body;
    const people = await Promise.all(['Li Lei', 'Han Meimei'].map((full_name) => api.call('POST', '/api/objects/person/records', { token, body: { full_name, company: b.id } })));
    const d = (await api.call('POST', '/api/objects/deal/records', { token, body: { title: 'Big deal', company: b.id, amount: 100 } })).body;
    // A preview answers what the merge would do and writes nothing.
    const preview = await api.call('POST', '/api/objects/company/merge', { token, body: { survivor: { id: a.id, version: a.version }, merged: [{ id: b.id, version: b.version }], values: { tax_id: b.id }, preview: true } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ id: a.id, version: a.version, email: 'hello@delta.test', tax_id: 'TAX-B', _preview: true, _repointed: { 'person.company': 2, 'deal.company': 1 } });
    expect((await api.call('GET', `/api/objects/company/records/${b.id}`, { token })).body).toMatchObject({ version: b.version });
    expect((await api.call('GET', `/api/objects/company/records/${a.id}`, { token })).body).toMatchObject({ tax_id: 'TAX-A', version: a.version });
    const res = await api.call('POST', '/api/objects/company/merge', { token, body: { survivor: { id: a.id, version: a.version }, merged: [{ id: b.id, version: b.version }], values: { tax_id: b.id } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: a.id, name: 'Delta Partners', city: 'Hangzhou', email: 'hello@delta.test', tax_id: 'TAX-B', _merged: [b.id], _repointed: { 'person.company': 2, 'deal.company': 1 } });
    expect((await api.call('GET', `/api/objects/company/records/${b.id}`, { token })).status).toBe(404);
    for (const p of people) expect((await api.call('GET', `/api/objects/person/records/${p.body.id}`, { token })).body.company).toBe(a.id);
    expect((await api.call('GET', `/api/objects/deal/records/${d.id}`, { token })).body.company).toBe(a.id);
    const history = (await api.call('GET', `/api/objects/company/records/${a.id}/history`, { token })).body.items;
    expect(history[0]).toMatchObject({ op: 'update', merge: { merged: [b.id] } });
    const gone = (await api.call('GET', `/api/objects/company/records/${b.id}/history`, { token })).body.items;
    expect(gone[0]).toMatchObject({ op: 'delete', merge: { into: a.id } });
    // The unique value moved with the merge: the survivor holds it now, and nobody else may take it.
    expect((await create({ name: 'Tax thief', tax_id: 'TAX-B' })).status).toBe(409);
    expect((await create({ name: 'Old tax id', tax_id: 'TAX-A' })).status).toBe(201);
  });

  it('refuses a stale or malformed merge, changing nothing', async () => {
    const a = (await create({ name: 'Epsilon One' })).body;
    const b = (await create({ name: 'Epsilon Two' })).body;
    const stale = await api.call('POST', '/api/objects/company/merge', { token, body: { survivor: { id: a.id, version: 1 }, merged: [{ id: b.id, version: 9 }] } });
    expect(stale.status).toBe(412);
    const malformed = await api.call('POST', '/api/objects/company/merge', { token, body: { survivor: { id: a.id, version: 1 }, merged: [{ id: a.id, version: 1 }] } });
    expect(malformed.status).toBe(400);
    const notYours = await api.call('POST', '/api/objects/company/merge', { token: rep.token, body: { survivor: { id: a.id, version: 1 }, merged: [{ id: b.id, version: 1 }] } });
    expect(notYours.status).toBe(404);
    expect((await api.call('GET', `/api/objects/company/records/${b.id}`, { token })).status).toBe(200);
  });

  it('refuses bad duplicate rules at publish, each problem at its pointer', async () => {
    const put = await api.call('PUT', '/api/metadata/draft', {
      token,
      body: {
        ...bundle([]),
        duplicateRules: [
          { name: 'r1', object: 'nothing', action: 'warn', conditions: [{ type: 'exact', field: 'name' }] },
          { name: 'r2', object: 'company', action: 'block', conditions: [{ type: 'phone', field: 'city_x' }, { type: 'fuzzyName', field: 'name' }, { type: 'fuzzyName', field: 'city' }] },
          { name: 'r3', object: 'company', action: 'warn', conditions: [{ type: 'email', field: 'phone' }], bypassRoles: ['ghost'] },
        ],
      },
    });
    expect(put.status).toBe(200);
    const res = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(res.status).toBe(422);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/duplicateRules/0/object', '/duplicateRules/1/conditions/0/field', '/duplicateRules/1/conditions/2', '/duplicateRules/2/conditions/0/type', '/duplicateRules/2/bypassRoles/0', '/duplicateRules/2/bypassRoles']));
    const shape = await api.call('PUT', '/api/metadata/draft', { token, body: { ...bundle([]), duplicateRules: [{ name: 'r4', object: 'company', action: 'maybe', conditions: [] }] } });
    expect(shape.status === 422 || (await api.call('POST', '/api/metadata/publish', { token, body: {} })).status === 422).toBe(true);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
