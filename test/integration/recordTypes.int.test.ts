import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { FieldDef, MetadataBundle, ObjectDef, RoleDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const options = (...values: string[]) => values.map((value) => ({ value, label: L(value) }));

const ticket: ObjectDef = {
  name: 'ticket',
  label: L('Ticket'),
  nameField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: L('Subject'), required: true },
    { name: 'category', type: 'picklist', label: L('Category'), options: options('hardware_fault', 'software_bug', 'billing', 'other') },
    { name: 'tags', type: 'multi-picklist', label: L('Tags'), options: options('urgent', 'vip', 'internal') },
    { name: 'priority', type: 'picklist', label: L('Priority'), options: options('low', 'high') },
    { name: 'amount', type: 'currency', label: L('Amount') },
  ],
  recordTypes: [
    { name: 'support', label: L('Support'), default: true, layout: 'support_form', picklistValues: { category: ['hardware_fault', 'software_bug', 'other'], tags: ['urgent', 'internal'] } },
    { name: 'finance', label: L('Finance'), layout: 'finance_form', picklistValues: { category: ['billing', 'other'] } },
    { name: 'legacy', label: L('Legacy'), active: false },
  ],
  layouts: [
    {
      name: 'support_form',
      label: L('Support'),
      sections: [
        { label: L('Issue'), columns: [['subject', 'category'], ['priority', 'tags']] },
        { label: L('Type'), columns: [['record_type']] },
      ],
      relatedLists: [{ relation: 'note', fields: ['body'] }],
    },
    { name: 'finance_form', label: L('Finance'), sections: [{ label: L('Billing'), columns: [['subject', 'category', 'amount']] }] },
  ],
};
const note: ObjectDef = {
  name: 'note',
  label: L('Note'),
  nameField: 'body',
  fields: [
    { name: 'body', type: 'text', label: L('Body'), required: true },
    { name: 'ticket', type: 'lookup', target: 'ticket', label: L('Ticket') },
  ],
};
const clerk: RoleDef = { name: 'clerk', label: L('Clerk'), objects: { ticket: { create: true, read: true, update: true, scope: 'all', fields: { priority: 'hidden', amount: 'read' } } } };
const bundle = (t: ObjectDef = ticket): MetadataBundle => structuredClone({ objects: [t, note], roles: [clerk] });

let api: TestApi;
let token: string;
let clerkToken: string;

const create = (body: Record<string, unknown>, as = token) => api.call('POST', '/api/objects/ticket/records', { token: as, body });
const patch = (id: string, version: number, body: Record<string, unknown>) => api.call('PATCH', `/api/objects/ticket/records/${id}`, { token, body, headers: { 'if-match': String(version) } });

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  await api.publish(token, bundle());
  const res = await api.call('POST', '/api/users', { token, body: { email: `clerk@${t.tenantId}.test`, name: 'Clerk', roles: ['clerk'] } });
  clerkToken = (await api.services.tokens.sign!({ tenantId: t.tenantId, userId: res.body.id, roles: [] })).token;
});

describe('record types', () => {
  it('records carry their record type (the default when none is named) and take only its picklist values', async () => {
    const plain = await create({ subject: 'Laptop', category: 'hardware_fault', tags: ['urgent'] });
    expect(plain.status).toBe(201);
    expect(plain.body.record_type).toBe('support');

    const wrong = await create({ subject: 'Invoice', category: 'billing', tags: ['vip'] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({ pointer: '/category', code: 'enum', params: expect.objectContaining({ recordType: 'support', allowedValues: ['hardware_fault', 'software_bug', 'other'] }) }),
      expect.objectContaining({ pointer: '/tags', code: 'enum' }),
    ]);

    const finance = await create({ subject: 'Invoice', record_type: 'finance', category: 'billing', tags: ['vip'] });
    expect(finance.status, JSON.stringify(finance.body)).toBe(201);
    expect((await patch(finance.body.id, 1, { category: 'software_bug' })).body.errors[0]).toMatchObject({ pointer: '/category', code: 'enum' });
    // Changing the type checks the values the record keeps against the new type.
    const moved = await patch(finance.body.id, 1, { record_type: 'support' });
    expect(moved.status).toBe(422);
    expect(moved.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/category', '/tags']);
    const both = await patch(finance.body.id, 1, { record_type: 'support', category: 'other', tags: ['internal'] });
    expect(both.status, JSON.stringify(both.body)).toBe(200);
    expect(both.body).toMatchObject({ record_type: 'support', category: 'other', tags: ['internal'] });

    const inactive = await create({ subject: 'Old', record_type: 'legacy' });
    expect(inactive.status).toBe(422);
    expect(inactive.body.errors[0]).toMatchObject({ pointer: '/record_type', code: 'enum' });

    const listed = await api.call('GET', '/api/objects/ticket/records?filter[record_type]=support', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.every((r: { record_type: string }) => r.record_type === 'support')).toBe(true);
  });

  it('the batch API, another channel, meets the same check', async () => {
    const res = await api.call('POST', '/api/objects/ticket/batch', { token, body: { items: [{ op: 'create', values: { subject: 'B', record_type: 'finance', category: 'hardware_fault' } }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items[0]).toMatchObject({ status: 422 });
    expect(res.body.items[0].problem.errors[0]).toMatchObject({ pointer: '/category', code: 'enum' });
  });

  it('serves the compiled schema per record type: its values, its layout, without fields hidden from the caller', async () => {
    const finance = await api.call('GET', '/api/objects/ticket/schema?recordType=finance', { token });
    expect(finance.status).toBe(200);
    expect(finance.body.properties.category.enum).toEqual(['billing', 'other']);
    expect(finance.body.properties.tags.items.enum).toEqual(['urgent', 'vip', 'internal']);
    expect(finance.body['x-layout'].name).toBe('finance_form');
    expect(finance.body['x-recordType']).toBe('finance');
    expect(finance.body['x-recordTypes'].map((t: { name: string }) => t.name)).toEqual(['support', 'finance']);

    const byDefault = await api.call('GET', '/api/objects/ticket/schema', { token });
    expect(byDefault.body.properties.category.enum).toEqual(['hardware_fault', 'software_bug', 'other']);
    expect(byDefault.body['x-layout']).toMatchObject({ name: 'support_form', relatedLists: [{ relation: 'note', fields: ['body'] }] });

    const asClerk = await api.call('GET', '/api/objects/ticket/schema', { token: clerkToken });
    expect(asClerk.body.properties.priority).toBeUndefined();
    expect(asClerk.body.properties.amount.readOnly).toBe(true);
    expect(asClerk.body['x-layout'].sections[0].columns).toEqual([['subject', 'category'], ['tags']]);

    const unknown = await api.call('GET', '/api/objects/ticket/schema?recordType=legacy', { token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ pointer: '/recordType', code: 'unknownRecordType' });
  });

  it('removing a record type in use is refused with a migration offer; the migration must leave records valid under their new type', async () => {
    expect((await create({ subject: 'Refund', record_type: 'finance', category: 'billing' })).status).toBe(201);
    const next = bundle({ ...ticket, recordTypes: ticket.recordTypes!.filter((t) => t.name !== 'finance') });
    await api.call('PUT', '/api/metadata/draft', { token, body: next });
    const refused = await api.call('POST', '/api/metadata/publish', { token });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ pointer: '/objects/0/recordTypes', code: 'optionInUse', params: { migration: { object: 'ticket', field: 'record_type', mapValues: { finance: '' } } } });
    // Finance tickets are billing tickets: as support tickets they would break support's subset.
    const breaks = await api.call('POST', '/api/metadata/publish', { token, body: { migrations: [{ object: 'ticket', field: 'record_type', mapValues: { finance: 'support' } }] } });
    expect(breaks.status).toBe(422);
    expect(breaks.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/migrations/0', code: 'migrationFails', params: expect.objectContaining({ count: 1 }) })]));
    const ok = await api.call('POST', '/api/metadata/publish', {
      token,
      body: { migrations: [{ object: 'ticket', field: 'record_type', mapValues: { finance: 'support' } }, { object: 'ticket', field: 'category', mapValues: { billing: 'other' } }] },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const all = await api.call('GET', '/api/objects/ticket/records?limit=200', { token });
    expect(all.body.items.every((r: { record_type: string; category?: string }) => r.record_type === 'support' && r.category !== 'billing')).toBe(true);
    await api.publish(token, bundle());
  });

  it('metadata validation finds every problem of record types and layouts at its pointer', async () => {
    const broken: ObjectDef = {
      ...ticket,
      fields: [...ticket.fields, { name: 'record_type', type: 'text', label: L('Mine') } as FieldDef],
      recordTypes: [
        { name: 'support', label: L('Support'), default: true, layout: 'nowhere', picklistValues: { category: ['billing', 'nonsense'], subject: ['x'], ghost: ['y'] } },
        { name: 'support', label: L('Again'), default: true },
      ],
      layouts: [
        { name: 'form', label: L('Form'), sections: [{ label: L('S'), columns: [['subject', 'ghost'], ['subject']] }], relatedLists: [{ relation: 'nobody' }, { relation: 'note', fields: ['nope'] }] },
      ],
    };
    await api.call('PUT', '/api/metadata/draft', { token, body: bundle(broken) });
    const res = await api.call('POST', '/api/metadata/validate', { token });
    await api.call('DELETE', '/api/metadata/draft', { token });
    const at = res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '/objects/0/fields/5/name reserved',
        '/objects/0/recordTypes/0/layout unknownLayout',
        '/objects/0/recordTypes/0/picklistValues/category/1 unknownOption',
        '/objects/0/recordTypes/0/picklistValues/subject notAPicklist',
        '/objects/0/recordTypes/0/picklistValues/ghost unknownField',
        '/objects/0/recordTypes/1/name duplicate',
        '/objects/0/recordTypes/1/default duplicateDefault',
        '/objects/0/layouts/0/sections/0/columns/0/1 unknownField',
        '/objects/0/layouts/0/sections/0/columns/1/0 duplicate',
        '/objects/0/layouts/0/relatedLists/0/relation unknownRelation',
        '/objects/0/layouts/0/relatedLists/1/fields/0 unknownField',
      ]),
    );
    const shape = await api.call('PUT', '/api/metadata/draft', { token, body: bundle({ ...ticket, layouts: [{ name: 'x', label: L('X'), sections: [{ label: L('S'), columns: [] }] }] }) });
    expect(shape.status).toBe(200);
    const invalid = await api.call('POST', '/api/metadata/publish', { token });
    await api.call('DELETE', '/api/metadata/draft', { token });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].pointer).toMatch(/^\/objects\/0\/layouts\/0\/sections\/0\/columns/);
  });
});
