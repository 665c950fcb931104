import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const lead: ObjectDef = {
  name: 'lead',
  label: L('Lead'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'status', type: 'picklist', label: L('Status'), default: 'open', options: [{ value: 'open', label: L('Open') }, { value: 'lost', label: L('Lost') }, { value: 'closed', label: L('Closed') }] },
    { name: 'loss_reason', type: 'text', label: L('Loss reason'), when: { required: { all: [{ fact: 'status', operator: 'equal', value: 'lost' }] }, visible: { all: [{ fact: 'status', operator: 'equal', value: 'lost' }] } } },
    { name: 'budget', type: 'number', label: L('Budget'), when: { readOnly: { all: [{ fact: 'status', operator: 'equal', value: 'closed' }] } } },
    { name: 'country', type: 'picklist', label: L('Country'), options: [{ value: 'cn', label: L('China') }, { value: 'de', label: L('Germany') }] },
    { name: 'city', type: 'picklist', label: L('City'), options: [{ value: 'sh', label: L('Shanghai') }, { value: 'bj', label: L('Beijing') }, { value: 'ber', label: L('Berlin') }], dependsOn: { field: 'country', values: { cn: ['sh', 'bj'], de: ['ber'] } } },
  ],
};

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [lead] });
});
const create = (body: Record<string, unknown>) => api.call('POST', '/api/objects/lead/records', { token, body });

describe('conditional field logic and dependent picklists, enforced on the server', () => {
  it('requires a field only while its condition holds, and refuses it where it is not visible', async () => {
    expect((await create({ name: 'a', status: 'lost' })).body.errors).toEqual([expect.objectContaining({ pointer: '/loss_reason', code: 'required' })]);
    expect((await create({ name: 'b', status: 'lost', loss_reason: 'price' })).status).toBe(201);
    expect((await create({ name: 'c', loss_reason: 'price' })).body.errors).toEqual([expect.objectContaining({ pointer: '/loss_reason', code: 'notVisible' })]);
  });

  it('makes a field read-only in a state, judged on the record before the change', async () => {
    const rec = (await create({ name: 'd', budget: 10 })).body;
    const closed = await api.call('PATCH', `/api/objects/lead/records/${rec.id}`, { token, body: { status: 'closed', budget: 20 }, headers: { 'if-match': '1' } });
    expect(closed.status).toBe(200);
    const locked = await api.call('PATCH', `/api/objects/lead/records/${rec.id}`, { token, body: { budget: 30 }, headers: { 'if-match': '2' } });
    expect(locked.status).toBe(422);
    expect(locked.body.errors[0]).toMatchObject({ pointer: '/budget', code: 'readOnly' });
  });

  it('allows a dependent picklist value only with its controlling value', async () => {
    expect((await create({ name: 'e', country: 'cn', city: 'sh' })).status).toBe(201);
    const wrong = await create({ name: 'f', country: 'de', city: 'sh' });
    expect(wrong.body.errors[0]).toMatchObject({ pointer: '/city', code: 'enum', params: { allowedValues: ['ber'] } });
  });

  it('validates conditions as metadata: unknown facts and operators are reported at their pointers', async () => {
    const bad = { ...lead, fields: lead.fields.map((f) => (f.name === 'budget' ? { ...f, when: { readOnly: { all: [{ fact: 'stage', operator: 'sameAs', value: 1 }] } } } : f)) };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [bad] } });
    const res = await api.call('POST', '/api/metadata/validate', { token });
    expect(res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`)).toEqual(['/objects/0/fields/3/when/readOnly/all/0/fact unknownField', '/objects/0/fields/3/when/readOnly/all/0/operator unknownOperator']);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
