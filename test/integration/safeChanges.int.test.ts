import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { FieldDef, ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const base: ObjectDef = {
  name: 'item',
  label: L('Item'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'code', type: 'text', label: L('Code') },
    { name: 'size', type: 'picklist', label: L('Size'), options: [{ value: 's', label: L('S') }, { value: 'm', label: L('M') }, { value: 'l', label: L('L') }] },
  ],
};
const withFields = (change: (fields: FieldDef[]) => FieldDef[]): ObjectDef => ({ ...base, fields: change(structuredClone(base.fields)) });

let api: TestApi;
let token: string;
const ids: string[] = [];

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [base] });
  for (const [name, code, size] of [['a', 'X1', 's'], ['b', 'X1', 'm'], ['c', undefined, 'm']] as const) {
    ids.push((await api.call('POST', '/api/objects/item/records', { token, body: { name, ...(code ? { code } : {}), size } })).body.id);
  }
});

async function tryPublish(object: ObjectDef) {
  await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [object] } });
  const res = await api.call('POST', '/api/metadata/publish', { token });
  if (res.status !== 201) await api.call('DELETE', '/api/metadata/draft', { token });
  return res;
}

describe('publishing refuses changes that would break existing records, with counts and samples', () => {
  it.each([
    { title: 'a new required field without a default', change: (f: FieldDef[]) => [...f, { name: 'owner_note', type: 'text', label: L('Note'), required: true } as FieldDef], pointer: '/objects/0/fields/3/required', code: 'blankRequired', count: 3 },
    { title: 'a type values cannot survive', change: (f: FieldDef[]) => f.map((x) => (x.name === 'code' ? ({ name: 'code', type: 'number', label: L('Code') } as FieldDef) : x)), pointer: '/objects/0/fields/1/type', code: 'incompatibleValue', count: 2 },
    { title: 'removing a picklist option in use', change: (f: FieldDef[]) => f.map((x) => (x.name === 'size' ? ({ ...x, options: [{ value: 's', label: L('S') }, { value: 'l', label: L('L') }] } as FieldDef) : x)), pointer: '/objects/0/fields/2/options', code: 'optionInUse', count: 2 },
    { title: 'a unique flag over duplicates', change: (f: FieldDef[]) => f.map((x) => (x.name === 'code' ? ({ ...x, unique: true } as FieldDef) : x)), pointer: '/objects/0/fields/1/unique', code: 'duplicateValue', count: 1 },
  ])('$title', async ({ change, pointer, code, count }) => {
    const res = await tryPublish(withFields(change));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer, code, params: expect.objectContaining({ count, sample: expect.any(Array) }) })]);
    expect(res.body.errors[0].params.sample.every((id: string) => ids.includes(id))).toBe(true);
    expect((await api.call('GET', '/api/metadata/versions', { token })).body.items).toHaveLength(1);
  });

  it('allows what existing data survives: deactivating an option, a required field with a default, unique over distinct values (then enforced)', async () => {
    await api.call('PATCH', `/api/objects/item/records/${ids[1]}`, { token, body: { code: 'X2' }, headers: { 'if-match': '1' } });
    const ok = await tryPublish(
      withFields((f) => [
        ...f.map((x) => (x.name === 'size' ? ({ ...x, options: x.type === 'picklist' ? x.options.map((o) => (o.value === 'm' ? { ...o, inactive: true } : o)) : [] } as FieldDef) : x.name === 'code' ? ({ ...x, unique: true } as FieldDef) : x)),
        { name: 'status', type: 'text', label: L('Status'), required: true, default: 'new' } as FieldDef,
      ]),
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const dup = await api.call('POST', '/api/objects/item/records', { token, body: { name: 'd', code: 'x1', status: 'new' } });
    expect(dup.status).toBe(409);
  });
});
