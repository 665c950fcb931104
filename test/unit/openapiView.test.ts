import { describe, expect, it } from 'vitest';
import { filterOperations, groupByTag, operationsOf, resolve, schemaRows, typeOf } from '../../admin-ui/src/openapiView';
import type { OpenApiDocument } from '../../admin-ui/src/openapiView';

/* The API reference screen's reading of an OpenAPI document: refs, grouping, search and schema rows. */
const doc: OpenApiDocument = {
  openapi: '3.1.1',
  info: { title: 'Tessera API — Acme', version: 'metadata-v3' },
  tags: [{ name: 'Records' }, { name: 'object: account', description: 'Account · 客户', 'x-object': 'account' }, { name: 'Unused' }],
  paths: {
    '/api/objects/{object}/records': { get: { operationId: 'listRecords', summary: 'List records', tags: ['Records'], responses: { '200': { description: 'ok' } } } },
    '/api/objects/account/records': {
      post: {
        operationId: 'createRecord_account',
        summary: 'Create a record — account',
        tags: ['object: account'],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/account.create' } } } },
        responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/account.record' } } } }, '422': { $ref: '#/components/responses/Problem422' } },
      },
    },
    '/api/objects/account/records/{id}': {
      patch: { operationId: 'patchRecord_account', summary: 'Change fields', tags: ['object: account'], parameters: [{ $ref: '#/components/parameters/path.id' }, { $ref: '#/components/parameters/ifMatch.required' }], responses: {} },
    },
    '/api/health': { get: { operationId: 'health', summary: 'Liveness', security: [], tags: ['Liveness'], responses: {} } },
  },
  components: {
    schemas: {
      'account.create': {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 120, title: 'Account name', 'x-labels': { en: 'Account name', 'zh-CN': '客户名称' } },
          grade: { anyOf: [{ type: 'string', enum: ['A', 'B'] }, { type: 'null' }], title: 'Grade' },
          address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        required: ['name'],
      },
      'account.record': { type: 'object', properties: { id: { type: 'string', readOnly: true }, tags: { type: 'array', items: { type: 'string' } } } },
      Problem: { type: 'object', properties: { code: { type: 'string' } } },
      Alias: { $ref: '#/components/schemas/Problem' },
    },
    responses: { Problem422: { description: 'invalid', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
    parameters: {
      'path.id': { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      'ifMatch.required': { name: 'If-Match', in: 'header', required: true, description: 'The version', schema: { type: 'string' } },
    },
  },
};

describe('the API reference screen', () => {
  it('resolves references through chains, and leaves unknown ones as they are', () => {
    expect(resolve(doc, { $ref: '#/components/schemas/Alias' })).toBe(doc.components!.schemas!.Problem);
    expect(resolve(doc, { $ref: '#/components/schemas/Missing' })).toEqual({ $ref: '#/components/schemas/Missing' });
  });

  it('reads every operation with its parameters, body and responses resolved', () => {
    const ops = operationsOf(doc);
    expect(ops.map((o) => o.key)).toEqual(['GET /api/objects/{object}/records', 'POST /api/objects/account/records', 'PATCH /api/objects/account/records/{id}', 'GET /api/health']);
    const patch = ops.find((o) => o.operationId === 'patchRecord_account')!;
    expect(patch.parameters.map((p) => [p.name, p.in, p.required])).toEqual([['id', 'path', true], ['If-Match', 'header', true]]);
    const create = ops.find((o) => o.operationId === 'createRecord_account')!;
    expect(create.requestBody).toMatchObject({ required: true, mediaType: 'application/json' });
    expect(create.responses.map((r) => [r.status, r.mediaType])).toEqual([['201', 'application/json'], ['422', 'application/problem+json']]);
    expect(ops.find((o) => o.operationId === 'health')!.isPublic).toBe(true);
  });

  it('groups operations by tag in the document’s order, marks object tags and drops empty ones', () => {
    const groups = groupByTag(doc);
    expect(groups.map((g) => [g.name, g.object, g.operations.length])).toEqual([['Records', undefined, 1], ['object: account', 'account', 2], ['Liveness', undefined, 1]]);
  });

  it.each([
    { query: '', count: 4 },
    { query: 'account', count: 2 },
    { query: 'post ACCOUNT', count: 1 },
    { query: 'patchRecord_account', count: 1 },
    { query: 'nothing matches', count: 0 },
  ])('search "$query" keeps $count operations', ({ query, count }) => {
    expect(filterOperations(operationsOf(doc), query)).toHaveLength(count);
  });

  it('turns a schema into rows: required, constraints, enums through nullable unions, nested objects, labels', () => {
    const rows = schemaRows(doc, { $ref: '#/components/schemas/account.create' });
    expect(rows.map((r) => [r.name, r.type, r.required])).toEqual([['name', 'string', true], ['grade', 'string | null', false], ['address', 'object', false]]);
    expect(rows[0]!.constraints).toEqual(['length ≤ 120']);
    expect(rows[0]!.labels).toEqual({ en: 'Account name', 'zh-CN': '客户名称' });
    expect(rows[1]!.constraints).toEqual(['one of: A, B']);
    expect(rows[2]!.children?.map((c) => [c.name, c.required])).toEqual([['city', true]]);
  });

  it('names types in a few words', () => {
    expect(typeOf(doc, { $ref: '#/components/schemas/account.record' })).toBe('account.record');
    expect(typeOf(doc, { type: 'array', items: { $ref: '#/components/schemas/account.record' } })).toBe('array of account.record');
    expect(typeOf(doc, { type: ['string', 'null'] })).toBe('string | null');
    expect(typeOf(doc, { oneOf: [{ title: 'Create' }, { title: 'Update' }] })).toBe('Create | Update');
  });
});
