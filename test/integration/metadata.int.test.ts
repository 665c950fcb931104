import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { bundle, company, gadget } from '../support/fixtures';
import type { ObjectDef } from '../../functions/engine/metadata/types';

let api: TestApi;
let token: string;

beforeEach(async () => {
  api ??= await createTestApi();
  token = (await api.tenant()).token;
});

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => api.call(method, path, { token, body, ...(headers ? { headers } : {}) });

describe('metadata lifecycle through the API', () => {
  it('starts empty: nothing published, the draft is empty, records answer 404 problem', async () => {
    expect((await call('GET', '/api/metadata')).status).toBe(404);
    expect((await call('GET', '/api/metadata/draft')).body).toMatchObject({ exists: false, revision: 0, baseVersion: 0, bundle: { objects: [] } });
    const res = await call('GET', '/api/objects/company/records');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('metadata.notFound');
  });

  it('edits a draft object by object under revision locking, validates, publishes, and lists versions', async () => {
    const first = await call('PUT', '/api/metadata/draft/objects/company', company);
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(1);
    const stale = await call('PUT', '/api/metadata/draft/objects/gadget', gadget, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);
    const second = await call('PUT', '/api/metadata/draft/objects/gadget', gadget, { 'if-match': '"1"' });
    expect(second.body.bundle.objects.map((o: ObjectDef) => o.name)).toEqual(['company', 'gadget']);

    expect((await call('POST', '/api/metadata/validate')).body).toMatchObject({ valid: true, problems: [] });
    const published = await call('POST', '/api/metadata/publish', { note: 'first' });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(1);
    expect(published.body.changes).toEqual(expect.arrayContaining([expect.objectContaining({ op: 'add', path: '/objects/gadget' })]));

    expect((await call('GET', '/api/metadata/draft')).body.exists).toBe(false);
    const head = await call('GET', '/api/metadata');
    expect(head.body.version).toBe(1);
    expect(head.body.objects).toHaveLength(2);
    expect((await call('GET', '/api/metadata/versions')).body.items).toEqual([expect.objectContaining({ version: 1, kind: 'publish', note: 'first' })]);
  });

  it('reports every problem of an invalid draft at its pointer and publishes nothing', async () => {
    const broken = { ...gadget, fields: [...gadget.fields, { name: 'title', type: 'text', label: { en: 'Again' } }, { name: 'ref', type: 'lookup', target: 'ghost', label: { en: 'Ref' } }] };
    await call('PUT', '/api/metadata/draft', bundle(company, broken as ObjectDef));
    const report = await call('POST', '/api/metadata/validate');
    expect(report.body.valid).toBe(false);
    expect(report.body.problems.map((p: { pointer: string }) => p.pointer)).toEqual(expect.arrayContaining(['/objects/1/fields/16/name', '/objects/1/fields/17/target']));
    const publish = await call('POST', '/api/metadata/publish');
    expect(publish.status).toBe(422);
    expect(publish.headers['content-type']).toContain('application/problem+json');
    expect(publish.body.code).toBe('metadata.invalid');
    expect(publish.body.errors.length).toBe(report.body.problems.length);
    expect((await call('GET', '/api/metadata')).status).toBe(404);
    expect((await call('GET', '/api/metadata/versions')).body.items).toEqual([]);
  });

  it('diffs versions by name and rolls back without losing the data of a removed field', async () => {
    await api.publish(token, bundle(company, gadget));
    const rec = (await call('POST', '/api/objects/gadget/records', { title: 'Keeps notes', notes: 'precious' })).body;

    const withoutNotes = { ...gadget, fields: gadget.fields.filter((f) => f.name !== 'notes') };
    await api.publish(token, bundle(company, withoutNotes));
    expect((await call('GET', `/api/objects/gadget/records/${rec.id}`)).body.notes).toBeUndefined();
    const refused = await call('POST', '/api/objects/gadget/records', { title: 'x', notes: 'no such field now' });
    expect(refused.status).toBe(422);

    const diff = await call('GET', '/api/metadata/diff?from=1&to=2');
    expect(diff.body).toMatchObject({ from: 1, to: 2, changes: [{ op: 'remove', path: '/objects/gadget/fields/notes' }] });

    const rolled = await call('POST', '/api/metadata/rollback', { version: 1, note: 'bring notes back' });
    expect(rolled.status).toBe(201);
    expect(rolled.body.version).toBe(3);
    expect((await call('GET', `/api/objects/gadget/records/${rec.id}`)).body.notes).toBe('precious');
    expect((await call('GET', '/api/metadata/diff?from=1&to=3')).body.changes).toEqual([]);
    expect((await call('GET', '/api/metadata/versions')).body.items[0]).toMatchObject({ version: 3, kind: 'rollback', rolledBackTo: 1 });
  });

  it('diffs the draft against the head', async () => {
    await api.publish(token, bundle(company));
    await call('PUT', '/api/metadata/draft/objects/company', { ...company, label: { en: 'Firm', 'zh-CN': '公司' } });
    const diff = await call('GET', '/api/metadata/diff?from=head&to=draft');
    expect(diff.body.changes).toEqual([{ op: 'change', path: '/objects/company/label/en', before: 'Company', after: 'Firm' }]);
    expect((await call('DELETE', '/api/metadata/draft')).status).toBe(204);
    expect((await call('GET', '/api/metadata/draft')).body.exists).toBe(false);
  });

  it('refuses to publish a draft whose base version has moved on', async () => {
    await api.publish(token, bundle(company));
    await call('PUT', '/api/metadata/draft/objects/gadget', gadget);
    // Someone else rolls back (publishing version 2) while the draft is based on 1.
    await call('POST', '/api/metadata/rollback', { version: 1 });
    const res = await call('POST', '/api/metadata/publish');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'metadata.conflict', base: 1, head: 2 });
  });

  it('builds a new index from existing records when it is published', async () => {
    const plain = { ...gadget, fields: gadget.fields.map((f) => ({ ...f, indexed: false })), indexes: [] };
    await api.publish(token, bundle(company, plain));
    for (const qty of [5, 1, 3]) await call('POST', '/api/objects/gadget/records', { title: `q${qty}`, qty });
    expect((await call('GET', '/api/objects/gadget/records?sort=qty')).status).toBe(400);

    const indexed = { ...plain, fields: plain.fields.map((f) => (f.name === 'qty' ? { ...f, indexed: true } : f)) };
    await call('PUT', '/api/metadata/draft', bundle(company, indexed));
    const published = await call('POST', '/api/metadata/publish');
    expect(published.body.rebuiltIndexes).toEqual([{ object: 'gadget', index: 'qty', records: 3 }]);
    const sorted = await call('GET', '/api/objects/gadget/records?sort=qty');
    expect(sorted.body.items.map((r: { qty: number }) => r.qty)).toEqual([1, 3, 5]);
  });

  it.each([
    { title: 'a draft that is not a bundle', method: 'PUT', path: '/api/metadata/draft', body: { objects: 'nope' }, status: 422 },
    { title: 'an object whose body names another object', method: 'PUT', path: '/api/metadata/draft/objects/company', body: { ...company, name: 'other' }, status: 422 },
    { title: 'rollback to a version that does not exist', method: 'POST', path: '/api/metadata/rollback', body: { version: 99 }, status: 404 },
    { title: 'rollback without a version', method: 'POST', path: '/api/metadata/rollback', body: {}, status: 400 },
    { title: 'a diff of something that is not a version', method: 'GET', path: '/api/metadata/diff?from=abc', body: undefined, status: 400 },
    { title: 'publishing with no draft', method: 'POST', path: '/api/metadata/publish', body: undefined, status: 404 },
    { title: 'removing an object the draft does not have', method: 'DELETE', path: '/api/metadata/draft/objects/ghost', body: undefined, status: 404 },
  ])('answers $status problem+json to $title', async ({ method, path, body, status }) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
