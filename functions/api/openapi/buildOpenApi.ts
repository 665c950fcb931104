import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { JsonSchema } from '../../engine/fields';
import { ADMIN_PERMISSIONS } from '../../engine/metadata/types';
import type { AdminPermission } from '../../engine/metadata/types';
import type { Access, ObjectAccess } from '../../engine/permissions/access';
import { MAX_BATCH_ITEMS } from '../operations/batchItems';
import { objectSchemas, SYSTEM_PROPERTIES } from './objectSchemas';
import type { ObjectBody, ParamDoc, RouteDoc } from './routeDocs';
import { ROUTE_DOCS, TAGS } from './routeDocs';

/*
 * The tenant's API as one caller may use it, as an OpenAPI 3.1 document. Every route is
 * there once with its own path (`/api/objects/{object}/records`, any object, untyped
 * records); and every object the caller may read gets its own typed paths
 * (`/api/objects/account/records`) for what the caller may do with it — hidden fields
 * absent, read-only fields `readOnly`, create and patch bodies only with what the caller may
 * write. A client generator then gives one typed function per object and operation.
 */

type Json = Record<string, unknown>;

export const OPENAPI_VERSION = '3.1.1';
const OBJECT_PATH = '/api/objects/{object}/';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details: a stable `code`, a `title` in the caller’s language, and one entry in `errors` per problem',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable and dot-namespaced: `validation.failed`, `record.versionConflict`, …' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string', description: 'JSON Pointer into the request' }, code: { type: 'string' }, message: { type: 'string' }, params: { type: 'object', additionalProperties: true } },
        required: ['pointer', 'code', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'code', 'errors'],
  additionalProperties: true,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is malformed (query, If-Match, batch)',
  401: 'No valid token or API key (expired or revoked keys too)',
  403: 'You may not do this',
  404: 'No such object or record, or not for you',
  409: 'A unique value is taken, or the record is referenced',
  412: 'If-Match names a version that is no longer current',
  413: 'The body is over 1 MiB',
  415: 'The body is not JSON',
  422: 'The input is not valid: one problem per field',
  428: 'If-Match is required',
  429: 'Too many attempts; see Retry-After',
};

const PAGE_META: JsonSchema = {
  type: 'object',
  properties: { servedBy: { type: 'string' }, examined: { type: 'integer' }, residualFilters: { type: 'array', items: { type: 'string' } } },
};
const CURSOR: JsonSchema = { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null at the end' };

const HISTORY_ENTRY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    by: { type: 'string' },
    op: { type: 'string', enum: ['create', 'update', 'delete'] },
    version: { type: 'integer' },
    owner: { type: 'string' },
    changes: { type: 'object', additionalProperties: { type: 'object', properties: { old: {}, new: {} } } },
  },
  required: ['id', 'at', 'by', 'op', 'version', 'changes'],
};

/** Schemas shared by every object (and by the untyped `{object}` paths). */
function commonSchemas(): Record<string, JsonSchema> {
  const batchItem = (values: JsonSchema, ops: ReadonlyArray<'create' | 'update'>) => ({
    oneOf: [
      ...(ops.includes('create') ? [{ type: 'object', title: 'Create', properties: { op: { const: 'create' }, ref: { type: 'string', maxLength: 100, description: 'Yours, echoed in the result' }, values }, required: ['op', 'values'], additionalProperties: false }] : []),
      ...(ops.includes('update')
        ? [{ type: 'object', title: 'Update', properties: { op: { const: 'update' }, ref: { type: 'string', maxLength: 100 }, id: SYSTEM_PROPERTIES.id, version: { type: 'integer', minimum: 1, description: 'The version you are changing (as If-Match)' }, values }, required: ['op', 'id', 'version', 'values'], additionalProperties: false }]
        : []),
    ],
  });
  return {
    Problem: PROBLEM,
    Record: { type: 'object', description: 'A record of any object: its system fields and the fields you may see', properties: SYSTEM_PROPERTIES, required: Object.keys(SYSTEM_PROPERTIES), additionalProperties: true },
    RecordInput: { type: 'object', description: 'Field values by API name (see the object’s own paths for its schema)', additionalProperties: true },
    RecordList: { type: 'object', properties: { items: { type: 'array', items: ref('Record') }, nextCursor: CURSOR, meta: PAGE_META }, required: ['items', 'nextCursor'] },
    RelatedList: { type: 'object', properties: { object: { type: 'string' }, field: { type: 'string' }, items: { type: 'array', items: ref('Record') }, nextCursor: CURSOR, meta: PAGE_META }, required: ['object', 'field', 'items', 'nextCursor'] },
    History: { type: 'object', properties: { items: { type: 'array', items: HISTORY_ENTRY }, nextCursor: CURSOR }, required: ['items', 'nextCursor'] },
    Aggregate: {
      type: 'object',
      description: 'Groups with count, sums, averages, minimums and maximums; `complete` is false when more than 10,000 records matched',
      properties: {
        groupBy: { type: ['string', 'null'] },
        dimensions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              field: { type: 'string' },
              unit: { type: ['string', 'null'], enum: ['day', 'week', 'month', 'quarter', 'year', null] },
              keys: { type: 'array', items: { type: ['string', 'null'] }, description: 'In order; a time dimension lists every bucket from the first to the last' },
              filters: { type: 'object', description: 'Per time bucket: the list filters that select its records', additionalProperties: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, op: { type: 'string' }, value: { type: 'string' } } } } },
            },
            required: ['field', 'unit', 'keys'],
          },
        },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              key: { type: ['string', 'null'] },
              keys: { type: 'array', items: { type: ['string', 'null'] }, description: 'Both dimensions’ keys, with two dimensions' },
              count: { type: 'integer' },
              sum: { type: 'object', additionalProperties: { type: 'number' } },
              avg: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
              min: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
              max: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
              sla: { type: 'object', properties: { near: { type: 'integer' }, breached: { type: 'integer' } }, description: 'With `sla=true`' },
            },
            required: ['key', 'count', 'sum', 'avg'],
          },
        },
        total: { type: 'integer' },
        complete: { type: 'boolean' },
        servedBy: { type: 'string' },
        timeZone: { type: 'string' },
      },
      required: ['groupBy', 'groups', 'total', 'complete'],
      additionalProperties: true,
    },
    BatchRequest: batchSchema(batchItem(ref('RecordInput'), ['create', 'update'])),
    BatchAnswer: batchAnswerSchema(ref('Record')),
  };
}

function batchSchema(item: JsonSchema): JsonSchema {
  return { type: 'object', properties: { items: { type: 'array', minItems: 1, maxItems: MAX_BATCH_ITEMS, items: item } }, required: ['items'], additionalProperties: false };
}

function batchAnswerSchema(record: JsonSchema): JsonSchema {
  return {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: { index: { type: 'integer' }, ref: { type: 'string' }, op: { type: 'string', enum: ['create', 'update'] }, status: { type: 'integer', description: '201, 200, or the status the single write would have answered' }, record, problem: ref('Problem') },
          required: ['index', 'op', 'status'],
        },
      },
      summary: { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' }, failed: { type: 'integer' } }, required: ['created', 'updated', 'failed'] },
    },
    required: ['items', 'summary'],
  };
}

interface ObjectContext {
  readonly name: string;
  readonly access: ObjectAccess;
  readonly schemaName: (kind: string) => string;
}

function generic(kind: ObjectBody): JsonSchema {
  const map: Record<ObjectBody, JsonSchema> = {
    record: ref('Record'),
    create: ref('RecordInput'),
    patch: ref('RecordInput'),
    list: ref('RecordList'),
    related: ref('RelatedList'),
    history: ref('History'),
    aggregate: ref('Aggregate'),
    batch: ref('BatchRequest'),
    batchAnswer: ref('BatchAnswer'),
    csv: { type: 'string' },
  };
  return map[kind];
}

/** Bodies with a schema of their own per object; the others are the same for every object. */
const TYPED = new Set<ObjectBody>(['record', 'create', 'patch', 'list', 'batch', 'batchAnswer']);
const typed = (kind: ObjectBody, o: ObjectContext): JsonSchema => (TYPED.has(kind) ? ref(o.schemaName(kind)) : generic(kind));

const resolveBody = (body: RouteDoc['body'], o: ObjectContext | null): JsonSchema | undefined =>
  body === undefined ? undefined : 'object' in body && typeof body.object === 'string' ? (o ? typed(body.object as ObjectBody, o) : generic(body.object as ObjectBody)) : (body as JsonSchema);

function pathParams(path: string): Json[] {
  const schemaOf: Record<string, JsonSchema> = {
    object: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' },
    id: SYSTEM_PROPERTIES.id!,
    version: { type: 'integer', minimum: 1 },
  };
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const { readOnly: _r, description: _d, ...schema } = (schemaOf[name!] ?? { type: 'string' }) as Json;
    return { name, in: 'path', required: true, schema, description: name === 'relation' ? '`<object>` or `<object>.<lookup field>`' : `The ${name}` };
  });
}

const queryParam = (p: ParamDoc): Json => ({
  name: p.name,
  in: 'query',
  description: p.description,
  required: p.required ?? false,
  schema: p.schema,
  ...(p.deepObject ? { style: 'deepObject', explode: true } : {}),
});

/** Shared parameters go to `components.parameters` once and are referenced: every object's paths reuse them. */
interface Shared {
  readonly statuses: Set<number>;
  readonly parameters: Record<string, Json>;
}

function shared(store: Shared, name: string, parameter: Json): Json {
  store.parameters[name] ??= parameter;
  return { $ref: `#/components/parameters/${name}` };
}

function operation(key: string, doc: RouteDoc, path: string, o: ObjectContext | null, store: Shared): Json {
  const parameters = [
    ...pathParams(path).map((p) => shared(store, `path.${String(p.name)}`, p)),
    ...(doc.query ?? []).map((p) => shared(store, `${doc.operationId}.${p.name}`, queryParam(p))),
    ...(doc.ifMatch ? [shared(store, `ifMatch.${doc.ifMatch}`, { name: 'If-Match', in: 'header', required: doc.ifMatch === 'required', description: 'The version you are changing', schema: { type: 'string', pattern: '^(W/)?"?\\d+"?$' } })] : []),
  ];
  const request = resolveBody(doc.body, o);
  const okBody = resolveBody(doc.ok.body, o);
  const okMedia = doc.ok.body && 'object' in doc.ok.body && doc.ok.body.object === 'csv' ? 'text/csv' : 'application/json';
  const headers: Json = {
    ...(doc.ok.etag ? { ETag: { description: 'The version, for If-Match', schema: { type: 'string' } } } : {}),
    ...(doc.ok.location ? { Location: { description: 'The new record', schema: { type: 'string' } } } : {}),
  };
  const errors = [...new Set([...(doc.auth ? [401] : []), ...doc.errors])].sort((a, b) => a - b);
  for (const s of errors) store.statuses.add(s);
  const responses: Json = {
    [String(doc.ok.status)]: {
      description: doc.ok.description,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(okBody ? { content: { [okMedia]: { schema: okBody } } } : {}),
    },
    ...Object.fromEntries(errors.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }])),
  };
  const label = o ? ` — ${o.name}` : '';
  return {
    operationId: o ? `${doc.operationId}_${o.name}` : doc.operationId,
    summary: o ? `${doc.summary.split(':')[0]}${label}` : doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [o ? o.schemaName('tag') : TAGS[doc.tag]],
    ...(doc.auth ? {} : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(request ? { requestBody: { required: !doc.bodyOptional, content: { 'application/json': { schema: request } } } } : {}),
    responses,
    'x-tessera-route': key,
  };
}

/** Whether the caller may use a route on one object's own path. */
function allowed(doc: RouteDoc, access: Access, object: ObjectAccess): boolean {
  const needs = doc.needs;
  if (needs === undefined || needs === 'read') return object.can.read;
  if (needs === 'createOrUpdate') return object.can.create || object.can.update;
  if ((ADMIN_PERMISSIONS as readonly string[]).includes(needs)) return object.can.read && access.can(needs as AdminPermission);
  return object.can[needs as keyof ObjectAccess['can']];
}

export interface OpenApiOptions {
  /** The tenant's display name, for the title. */
  readonly tenantName: string;
  /** The published version the document describes (0: nothing published yet). */
  readonly version: number;
  /** The API's base URL as the caller reached it. @default '/' */
  readonly serverUrl?: string;
}

export function buildOpenApi(bundle: CompiledBundle | null, access: Access, options: OpenApiOptions): Json {
  const schemas: Record<string, JsonSchema> = commonSchemas();
  const paths: Record<string, Json> = {};
  const tags: Json[] = Object.values(TAGS).map((name) => ({ name, description: name }));
  const store: Shared = { statuses: new Set<number>(), parameters: {} };
  const add = (path: string, method: string, op: Json) => {
    paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: op };
  };

  for (const [key, doc] of Object.entries(ROUTE_DOCS)) {
    const [method, path] = key.split(' ') as [string, string];
    add(path, method, operation(key, doc, path, null, store));
  }

  const readable = (bundle?.bundle.objects ?? []).filter((o) => access.object(o.name).can.read);
  for (const def of readable) {
    const object = bundle!.object(def.name);
    const objectAccess = access.object(def.name);
    const o: ObjectContext = { name: def.name, access: objectAccess, schemaName: (kind) => (kind === 'tag' ? `object: ${def.name}` : `${def.name}.${kind}`) };
    tags.push({ name: o.schemaName('tag'), description: `${def.label.en ?? def.name}${def.label['zh-CN'] ? ` · ${def.label['zh-CN']}` : ''}`, 'x-object': def.name });
    const built = objectSchemas(object, objectAccess);
    const ops: Array<'create' | 'update'> = [...(objectAccess.can.create ? (['create'] as const) : []), ...(objectAccess.can.update ? (['update'] as const) : [])];
    schemas[o.schemaName('record')] = built.record;
    schemas[o.schemaName('list')] = { type: 'object', properties: { items: { type: 'array', items: ref(o.schemaName('record')) }, nextCursor: CURSOR, meta: PAGE_META }, required: ['items', 'nextCursor'] };
    if (objectAccess.can.create) schemas[o.schemaName('create')] = built.create;
    if (objectAccess.can.update) schemas[o.schemaName('patch')] = built.patch;
    if (ops.length > 0) {
      const values = (op: 'create' | 'update') => ref(o.schemaName(op === 'create' ? 'create' : 'patch'));
      const variants = ops.map((op) => ({
        type: 'object',
        title: op === 'create' ? 'Create' : 'Update',
        properties: { op: { const: op }, ref: { type: 'string', maxLength: 100 }, ...(op === 'update' ? { id: SYSTEM_PROPERTIES.id, version: { type: 'integer', minimum: 1 } } : {}), values: values(op) },
        required: op === 'update' ? ['op', 'id', 'version', 'values'] : ['op', 'values'],
        additionalProperties: false,
      }));
      schemas[o.schemaName('batch')] = batchSchema(variants.length === 1 ? variants[0]! : { oneOf: variants });
      schemas[o.schemaName('batchAnswer')] = batchAnswerSchema(ref(o.schemaName('record')));
    }
    for (const [key, doc] of Object.entries(ROUTE_DOCS)) {
      const [method, path] = key.split(' ') as [string, string];
      if (!path.startsWith(OBJECT_PATH) || !allowed(doc, access, objectAccess)) continue;
      const concrete = path.replace('{object}', def.name);
      add(concrete, method, operation(key, doc, concrete, o, store));
    }
  }

  const responses = Object.fromEntries(
    [...store.statuses].sort((a, b) => a - b).map((s) => [`Problem${s}`, { description: STATUS_TEXT[s] ?? 'A problem', content: { 'application/problem+json': { schema: ref('Problem') } } }]),
  );
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: `Tessera API — ${options.tenantName}`,
      version: `metadata-v${options.version}`,
      summary: 'Every route, and every object you may read with the fields you may see',
      description:
        'Generated from the tenant’s published metadata for the caller: objects you may not read and fields hidden from you are absent. ' +
        'Sign in for a bearer token, or send an API key as `Authorization: Bearer tsk_…`. Errors are `application/problem+json`; `Accept-Language: zh-CN` gives Chinese titles.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: 'This API' }],
    security: [{ bearer: [] }],
    tags,
    paths,
    components: {
      schemas,
      parameters: store.parameters,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A user’s token (from /auth/login or Cognito) or an API key (`tsk_…`)' } },
    },
  };
}
