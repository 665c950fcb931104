import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { FieldDef, ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const options = (...values: string[]) => values.map((value) => ({ value, label: L(value) }));
const base: ObjectDef = {
  name: 'item',
  label: L('Item'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'size', type: 'picklist', label: L('Size'), options: options('s', 'm', 'l'), indexed: true },
    { name: 'code', type: 'text', label: L('Code'), indexed: true },
    { name: 'notes', type: 'text', label: L('Notes'), unique: true },
  ],
};
const withFields = (fields: FieldDef[]): ObjectDef => ({ ...base, fields });

let api: TestApi;
let token: string;
const ids: string[] = [];

const draft = (object: ObjectDef) => api.call('PUT', '/api/metadata/draft', { token, body: { objects: [object] } });
const publish = (body: Record<string, unknown> = {}) => api.call('POST', '/api/metadata/publish', { token, body });
const get = (id: string) => api.call('GET', `/api/objects/item/records/${id}`, { token });
const head = async () => (await api.call('GET', '/api/metadata', { token })).body.version as number;
async function refused(object: ObjectDef, body: Record<string, unknown> = {}) {
  await draft(object);
  const res = await publish(body);
  expect(res.status).toBe(422);
  return res.body;
}

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [base] });
  for (const [name, size, code] of [['a', 's', 'X1'], ['b', 'm', 'X2'], ['c', 'm', 'X3']] as const) {
    const res = await api.call('POST', '/api/objects/item/records', { token, body: { name, size, code, notes: `note ${name}` } });
    ids.push(res.body.id);
  }
});

describe('data migrations offered by a refused publish, run as its explicit option', () => {
  it('backfills a value for a new required field: offered, then run, recorded in history', async () => {
    const next = withFields([...base.fields, { name: 'grade', type: 'picklist', label: L('Grade'), required: true, options: options('a', 'b') }]);
    const refusal = await refused(next);
    expect(refusal.errors).toEqual([expect.objectContaining({ pointer: '/objects/0/fields/4/required', code: 'blankRequired', params: expect.objectContaining({ count: 3, migration: { object: 'item', field: 'grade', backfill: null } }) })]);

    const bad = await publish({ migrations: [{ object: 'item', field: 'grade', backfill: 'z' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ pointer: '/migrations/0/backfill', code: 'invalid' });

    const ok = await publish({ migrations: [{ object: 'item', field: 'grade', backfill: 'b' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.migrated).toEqual({ 'item.grade': 3 });
    for (const id of ids) expect((await get(id)).body.grade).toBe('b');
    const history = await api.call('GET', `/api/objects/item/records/${ids[0]}/history`, { token });
    expect(history.body.items[0].changes).toEqual({ grade: { old: null, new: 'b' } });
  });

  it('maps removed picklist values in use to kept ones', async () => {
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects[0] as ObjectDef;
    const next = { ...current, fields: current.fields.map((f) => (f.name === 'size' ? { ...f, options: options('s', 'l', 'xl') } : f)) } as ObjectDef;
    const refusal = await refused(next);
    expect(refusal.errors[0]).toMatchObject({ pointer: '/objects/0/fields/1/options', code: 'optionInUse', params: { count: 2, migration: { object: 'item', field: 'size', mapValues: { m: '' } } } });
    const wrong = await publish({ migrations: [{ object: 'item', field: 'size', mapValues: { m: 'medium' } }] });
    expect(wrong.body.errors[0]).toMatchObject({ pointer: '/migrations/0/mapValues/m', code: 'unknownOption' });
    const ok = await publish({ migrations: [{ object: 'item', field: 'size', mapValues: { m: 'l' } }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.migrated).toEqual({ 'item.size': 2 });
    // The index on size follows: a filter through it finds the moved records.
    const large = await api.call('GET', '/api/objects/item/records?filter[size]=l', { token });
    expect(large.body.meta.servedBy).toBe('index:size');
    expect(large.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['b', 'c']);
  });

  it('answers malformed migrations with problems at their pointers, publishing nothing', async () => {
    const before = await head();
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects[0] as ObjectDef;
    await draft(current);
    for (const [migrations, pointer] of [
      ['nope', '/migrations'],
      [[{ object: 'item', field: 'ghost', backfill: 1 }], '/migrations/0/field'],
      [[{ object: 'item', field: 'name', backfill: 'x', mapValues: {} }], '/migrations/0'],
      [[{ object: 'item', field: 'notes', backfill: 'same for all' }], '/migrations/0/backfill'],
      [[{ object: 'item', field: 'name', mapValues: { a: 'b' } }], '/migrations/0/mapValues'],
    ] as const) {
      const res = await publish({ migrations });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors[0].pointer).toBe(pointer);
    }
    await api.call('DELETE', '/api/metadata/draft', { token });
    expect(await head()).toBe(before);
  });
});

describe('removing a field hides it and keeps its data; rollback brings it back; purge erases it', () => {
  it('a removed indexed field comes back with its data and its index on rollback', async () => {
    const withCode = await head();
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects[0] as ObjectDef;
    await draft({ ...current, fields: current.fields.filter((f) => f.name !== 'code') });
    expect((await publish()).status).toBe(201);
    expect((await get(ids[0]!)).body.code).toBeUndefined();
    expect((await api.call('GET', '/api/objects/item/records?filter[code]=X1', { token })).status).toBe(400);
    // A write while the field is hidden keeps its stored value.
    const patched = await api.call('PATCH', `/api/objects/item/records/${ids[0]}`, { token, body: { name: 'a2' }, headers: { 'if-match': String((await get(ids[0]!)).body.version) } });
    expect(patched.status).toBe(200);

    const back = await api.call('POST', '/api/metadata/rollback', { token, body: { version: withCode } });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.rebuiltIndexes).toEqual([expect.objectContaining({ object: 'item', index: 'code', records: 3 })]);
    expect((await get(ids[0]!)).body).toMatchObject({ name: 'a2', code: 'X1' });
    const found = await api.call('GET', '/api/objects/item/records?filter[code]=X2', { token });
    expect(found.body.meta.servedBy).toBe('index:code');
    expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
  });

  it('refuses a new field whose name meets hidden values it cannot take, until they are purged', async () => {
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects[0] as ObjectDef;
    const withoutCode = { ...current, fields: current.fields.filter((f) => f.name !== 'code') };
    await draft(withoutCode);
    expect((await publish()).status).toBe(201);

    const inUse = await api.call('POST', '/api/metadata/purge', { token, body: { object: 'item', field: 'name' } });
    expect(inUse.status).toBe(422);
    expect(inUse.body.errors[0]).toMatchObject({ pointer: '/field', code: 'fieldInUse' });
    expect((await api.call('POST', '/api/metadata/purge', { token, body: { object: 'item', field: 7 } })).status).toBe(400);
    expect((await api.call('POST', '/api/metadata/purge', { token, body: { object: 'ghost', field: 'x' } })).status).toBe(404);

    const numeric = { ...withoutCode, fields: [...withoutCode.fields, { name: 'code', type: 'number', label: L('Code') } as FieldDef] };
    const refusal = await refused(numeric);
    expect(refusal.errors).toEqual([expect.objectContaining({ pointer: `/objects/0/fields/${numeric.fields.length - 1}/name`, code: 'hiddenValue', params: expect.objectContaining({ count: 3 }) })]);
    await api.call('DELETE', '/api/metadata/draft', { token });

    const purged = await api.call('POST', '/api/metadata/purge', { token, body: { object: 'item', field: 'code' } });
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(purged.body).toMatchObject({ object: 'item', field: 'code', records: 3 });
    expect(purged.body.historyEntries).toBeGreaterThanOrEqual(3);
    const history = await api.call('GET', `/api/objects/item/records/${ids[1]}/history?limit=200`, { token });
    expect(history.body.items.some((e: { changes: Record<string, unknown> }) => 'code' in e.changes)).toBe(false);

    await draft(numeric);
    expect((await publish()).status).toBe(201);
    expect((await get(ids[0]!)).body.code).toBeUndefined();
  });

  it('a purged unique field frees its values: brought back, the same value can be used again', async () => {
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects[0] as ObjectDef;
    const withNotes = await head();
    await draft({ ...current, fields: current.fields.filter((f) => f.name !== 'notes') });
    expect((await publish()).status).toBe(201);
    expect((await api.call('POST', '/api/metadata/purge', { token, body: { object: 'item', field: 'notes' } })).body.records).toBe(3);
    const back = await api.call('POST', '/api/metadata/rollback', { token, body: { version: withNotes } });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect((await get(ids[0]!)).body.notes).toBeUndefined();
    const reuse = await api.call('POST', '/api/objects/item/records', { token, body: { name: 'd', size: 's', grade: 'a', notes: 'note a' } });
    expect(reuse.status, JSON.stringify(reuse.body)).toBe(201);
    // …and it is unique again from the first write after.
    expect((await api.call('POST', '/api/objects/item/records', { token, body: { name: 'e', size: 's', grade: 'a', notes: 'note a' } })).status).toBe(409);
  });
});

describe('a new master-detail lookup, backfilled', () => {
  it('gives every record the master and, with it, the master’s owner', async () => {
    const bin: ObjectDef = { name: 'bin', label: L('Bin'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: L('Name'), required: true }] };
    const current = (await api.call('GET', '/api/metadata', { token })).body.objects.find((o: ObjectDef) => o.name === 'item') as ObjectDef;
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [current, bin] } });
    expect((await publish()).status).toBe(201);
    const keeper = await api.call('POST', '/api/users', { token, body: { email: `keeper-${Date.now()}@x.test`, name: 'Keeper', roles: [] } });
    const b = await api.call('POST', '/api/objects/bin/records', { token, body: { name: 'B1', owner: keeper.body.id } });
    expect(b.status, JSON.stringify(b.body)).toBe(201);

    const next = { ...current, fields: [...current.fields, { name: 'bin', type: 'lookup', target: 'bin', relationship: 'master-detail', required: true, indexed: true, label: L('Bin') } as FieldDef] };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [next, bin] } });
    const refusal = await publish();
    expect(refusal.status).toBe(422);
    const count = refusal.body.errors[0].params.count as number;
    expect(refusal.body.errors[0]).toMatchObject({ code: 'blankRequired', params: { migration: { object: 'item', field: 'bin', backfill: null } } });
    const ghost = await publish({ migrations: [{ object: 'item', field: 'bin', backfill: '01J00000000000000000000000' }] });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors[0]).toMatchObject({ pointer: '/migrations/0/backfill', code: 'notFound' });

    const ok = await publish({ migrations: [{ object: 'item', field: 'bin', backfill: b.body.id }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.migrated).toEqual({ 'item.bin': count });
    const items = await api.call('GET', `/api/objects/item/records?filter[bin]=${b.body.id}&limit=200`, { token });
    expect(items.body.items).toHaveLength(count);
    expect(items.body.items.every((r: { owner: string }) => r.owner === keeper.body.id)).toBe(true);
  });
});
