import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/store/client';
import { FIELD_TYPES } from '../../functions/engine/metadata/types';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { bundle, company, gadget } from '../support/fixtures';

let api: TestApi;
let token: string;
let tenantId: string;
let existing: { id: string; version: number };

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  tenantId = t.tenantId;
  await api.publish(token, bundle(company, gadget));
  existing = (await api.call('POST', '/api/objects/gadget/records', { token, body: { title: 'Target', contact_email: 'taken@example.com' } })).body;
});

/** Counts the tenant's items with a Scan — the test's own view of the table, never the API's. */
async function itemCount(): Promise<number> {
  const doc = createDocumentClient({ tableName: api.tableName, endpoint: inject('dynamoEndpoint') });
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: api.tableName, FilterExpression: 'begins_with(pk, :t)', ExpressionAttributeValues: { ':t': `T#${tenantId}#` }, ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

const records = '/api/objects/gadget/records';

describe('bad input gets a 4xx problem+json naming what is wrong, and writes nothing', () => {
  it.each([
    { title: 'malformed JSON', method: 'POST', path: records, rawBody: '{"title":', status: 400, code: 'request.malformedJson' },
    { title: 'a body over the size limit', method: 'POST', path: records, rawBody: JSON.stringify({ title: 'x'.repeat(1_100_000) }), status: 413, code: 'request.tooLarge' },
    { title: 'a body that is not JSON', method: 'POST', path: records, rawBody: 'title=x', headers: { 'content-type': 'text/plain' }, status: 415, code: 'request.unsupportedMediaType' },
    { title: 'an unknown object', method: 'POST', path: '/api/objects/nothing/records', body: { title: 'x' }, status: 404, code: 'object.notFound' },
    { title: 'an unknown field', method: 'POST', path: records, body: { title: 'x', colour: 'red' }, status: 422, code: 'validation.failed', pointer: '/colour' },
    { title: 'a value of the wrong type', method: 'POST', path: records, body: { title: 'x', qty: 'three' }, status: 422, code: 'validation.failed', pointer: '/qty' },
    { title: 'a missing required field', method: 'POST', path: records, body: { qty: 1 }, status: 422, code: 'validation.failed', pointer: '/title' },
    { title: 'a system field', method: 'POST', path: records, body: { title: 'x', created_by: 'me' }, status: 422, code: 'validation.failed', pointer: '/created_by' },
    { title: 'a body that is an array', method: 'POST', path: records, body: [{ title: 'x' }], status: 422, code: 'validation.failed', pointer: '' },
    { title: 'a duplicate unique value', method: 'POST', path: records, body: { title: 'x', contact_email: 'TAKEN@example.com' }, status: 409, code: 'record.duplicate', pointer: '/contact_email' },
    { title: 'an unknown route', method: 'GET', path: '/api/nowhere', status: 404, code: 'route.notFound' },
    { title: 'an id that does not exist', method: 'GET', path: `${records}/01ARZ3NDEKTSV4RRFFQ69G5FAV`, status: 404, code: 'record.notFound' },
    { title: 'an id that is not an id', method: 'GET', path: `${records}/..%2F..%2Fetc`, status: 404, code: 'record.notFound' },
  ])('$title → $status $code', async ({ method, path, body, rawBody, headers, status, code, pointer }) => {
    const before = await itemCount();
    const res = await api.call(method, path, { token, ...(body !== undefined ? { body } : {}), ...(rawBody !== undefined ? { rawBody } : {}), ...(headers ? { headers } : {}) });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ status, code, type: `https://tessera.dev/problems/${code}` });
    if (pointer !== undefined) expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await itemCount()).toBe(before);
  });

  it('a stale version and a malformed If-Match are refused without writing', async () => {
    const before = await itemCount();
    const stale = await api.call('PATCH', `${records}/${existing.id}`, { token, body: { qty: 1 }, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const malformed = await api.call('PATCH', `${records}/${existing.id}`, { token, body: { qty: 1 }, headers: { 'if-match': 'yesterday' } });
    expect(malformed.status).toBe(400);
    expect(await itemCount()).toBe(before);
  });

  it('answers in Chinese when the caller asks for it', async () => {
    const res = await api.call('POST', records, { token, body: { qty: -1 }, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.body.title).toBe('记录校验未通过');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/title', message: '此字段为必填项' })]));
  });
});

const fieldNames = [...gadget.fields.map((f) => f.name), 'id', 'version', 'owner', 'created_at', 'bogus', '__proto__', 'constructor'];
const anyValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constantFrom('2026-02-30', '2026-12-31', 'not-a-date', 'https://x.example', 'a@b.co', '+86 138', 'live', 'retired', '01ARZ3NDEKTSV4RRFFQ69G5FAV', ''),
  fc.object({ maxDepth: 1 }),
);
const recordish = fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 8 });

describe('random payloads never cause a 5xx or a partial write', () => {
  it('record create and patch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(recordish, fc.anything()), fc.boolean(), async (body, patch) => {
        const before = await itemCount();
        const res = patch
          ? await api.call('PATCH', `${records}/${existing.id}`, { token, body, headers: { 'if-match': String(existing.version) } })
          : await api.call('POST', records, { token, body });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await itemCount()).toBe(before);
        } else if (patch) {
          existing = res.body;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('metadata drafts, validation and publish', async () => {
    const fieldDef = fc.record(
      {
        name: fc.oneof(fc.constantFrom('name', 'amount', 'stage', 'id', 'Bad Name'), fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/)),
        type: fc.constantFrom(...FIELD_TYPES, 'formula'),
        label: fc.oneof(fc.constant({ en: 'L' }), fc.anything()),
        required: fc.boolean(),
        unique: fc.boolean(),
        indexed: fc.boolean(),
        default: anyValue,
        options: fc.oneof(fc.constant([{ value: 'a', label: { en: 'A' } }]), fc.anything()),
        target: fc.constantFrom('company', 'ghost'),
        pattern: fc.constantFrom('^[a-z]+$', '(a+)+', '{0000}', '['),
        min: fc.oneof(fc.integer(), fc.string()),
        max: fc.integer(),
      },
      { requiredKeys: ['name', 'type', 'label'] },
    );
    const objectDef = fc.record({ name: fc.constantFrom('company', 'thing', 'x'), label: fc.constant({ en: 'X' }), nameField: fc.constantFrom('name', 'nope'), fields: fc.array(fieldDef, { maxLength: 5 }) }, { requiredKeys: ['name'] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.record({ objects: fc.array(objectDef, { maxLength: 3 }) }), fc.anything()), async (draft) => {
        const put = await api.call('PUT', '/api/metadata/draft', { token, body: draft });
        expect(put.status).toBeLessThan(500);
        const validate = await api.call('POST', '/api/metadata/validate', { token });
        expect(validate.status).toBe(200);
        const versionsBefore = (await api.call('GET', '/api/metadata/versions', { token })).body.items.length;
        const publish = await api.call('POST', '/api/metadata/publish', { token });
        expect([201, 404, 422]).toContain(publish.status);
        const versionsAfter = (await api.call('GET', '/api/metadata/versions', { token })).body.items.length;
        expect(versionsAfter).toBe(versionsBefore + (publish.status === 201 ? 1 : 0));
        if (publish.status === 422) expect(validate.body.valid).toBe(false);
        if (publish.status === 201) expect(validate.body.valid).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});
