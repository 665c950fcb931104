/**
 * What the OpenAPI document says about each route, keyed `METHOD path` exactly as in `ROUTES`.
 *
 * The document cannot import `ROUTES` itself: that would pull every route group's handlers
 * into the function that serves the document. So the routes are described here, as data, and
 * `test/integration/openapi.int.test.ts` proves that this table and the router hold the same
 * routes with the same summaries and authentication — a route added without its entry here
 * fails that test, naming it.
 */
import type { JsonSchema } from '../../engine/fields';
import type { AdminPermission, ObjectPermission } from '../../engine/metadata/types';
import type { Method } from '../http';
import { WORKFLOW_ROUTE_DOCS } from './workflowDocs';
import { IMPORT_ROUTE_DOCS } from './importDocs';
import { CONVERSION_ROUTE_DOCS } from './conversionDocs';
import { REPORT_ROUTE_DOCS } from './reportDocs';

export const TAGS = {
  system: 'Liveness',
  auth: 'Signing in and who you are',
  metadata: 'Metadata: drafts, versions, publishing',
  templates: 'Templates',
  records: 'Records of any object (the typed, per-object paths are under the object tags)',
  data: 'Search and export',
  users: 'Users, teams, access and audit',
  apiKeys: 'API keys for integrations',
  webhooks: 'Webhooks: signing secrets and dead deliveries',
  automation: 'Automation: rule runs, assignment, notifications',
  workflows: 'Workflows and approvals: transitions, approval requests, the inbox, funnels',
  imports: 'CSV import, duplicate groups and merges',
  reports: 'Reports and dashboards: grouped aggregates run with your permissions',
} as const;
export type Tag = keyof typeof TAGS;

/** A request or response body bound to the object in the path: resolved per object (typed) or generically. */
export type ObjectBody = 'record' | 'create' | 'patch' | 'list' | 'related' | 'history' | 'aggregate' | 'batch' | 'batchAnswer' | 'csv';

export interface ParamDoc {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly required?: boolean;
  /** `filter[field][op]=value`: an object serialised as nested brackets. */
  readonly deepObject?: boolean;
}

export interface RouteDoc {
  readonly summary: string;
  readonly auth: boolean;
  readonly tag: Tag;
  readonly operationId: string;
  readonly description?: string;
  readonly query?: readonly ParamDoc[];
  /** `If-Match: <version>`: required (428 without it) or honoured when sent. */
  readonly ifMatch?: 'required' | 'optional';
  readonly body?: JsonSchema | { readonly object: ObjectBody };
  /** The body may be left out (every member is optional). */
  readonly bodyOptional?: boolean;
  readonly ok: { readonly status: number; readonly description: string; readonly body?: JsonSchema | { readonly object: ObjectBody }; readonly etag?: boolean; readonly location?: boolean };
  /** Problem statuses the route answers besides 401 (authenticated routes) and 5xx. */
  readonly errors: readonly number[];
  /** What a caller needs to see this route on an object's own path: an object permission, or an admin permission. */
  readonly needs?: ObjectPermission | 'createOrUpdate' | AdminPermission;
}

const ID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'A ULID' };
const text = (maxLength = 200) => ({ type: 'string', maxLength });
const items = (of: JsonSchema) => ({ type: 'object', properties: { items: { type: 'array', items: of } }, required: ['items'] });
const loose = (description: string) => ({ type: 'object', description, additionalProperties: true });

const LIST_QUERY: readonly ParamDoc[] = [
  {
    name: 'filter',
    description: '`filter[field]=value` or `filter[field][op]=value`; op is eq, ne, in (comma-separated), lt, lte, gt, gte, between (`low,high`), startsWith or isBlank (`true`/`false`)',
    schema: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] } },
    deepObject: true,
  },
  { name: 'sort', description: '`field` or `-field` (descending); only fields an index serves', schema: { type: 'string', pattern: '^-?[a-z][a-z0-9_]{0,39}$' } },
  { name: 'limit', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  { name: 'cursor', description: 'Opaque, from `nextCursor` of the previous page', schema: { type: 'string' } },
];

const SLA_PARAM: ParamDoc = { name: 'sla', description: '`true`: each record carries `_sla`, where it stands against its workflow state’s service levels', schema: { type: 'boolean' } };

const USER = {
  type: 'object',
  properties: { id: ID, email: { type: 'string', format: 'email' }, name: text(120), roles: { type: 'array', items: { type: 'string' } }, active: { type: 'boolean' }, manager: ID, version: { type: 'integer' }, createdAt: { type: 'string', format: 'date-time' } },
  required: ['id', 'name', 'active'],
};
const TEAM = { type: 'object', properties: { id: ID, name: text(120), members: { type: 'array', items: ID }, version: { type: 'integer' } }, required: ['id', 'name', 'members', 'version'] };
const API_KEY = {
  type: 'object',
  properties: {
    id: ID,
    name: text(120),
    role: { type: 'string' },
    hint: { type: 'string', description: 'The key’s prefix and last four characters' },
    status: { type: 'string', enum: ['active', 'expired', 'revoked'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: ID,
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time' },
    revokedBy: ID,
  },
  required: ['id', 'name', 'role', 'hint', 'status', 'createdAt', 'createdBy', 'expiresAt'],
};
const RULE_RUN = {
  type: 'object',
  properties: {
    id: ID,
    rule: { type: 'string' },
    kind: { type: 'string', enum: ['automation', 'assignment', 'validation'] },
    object: { type: 'string' },
    recordId: ID,
    trigger: { type: 'string', description: 'created, updated, deleted, timer' },
    eventId: { type: 'string' },
    changedAt: { type: 'string', format: 'date-time' },
    depth: { type: 'integer', description: 'Automation cascade depth of the change that fired the rule' },
    at: { type: 'string', format: 'date-time' },
    outcome: { type: 'string', enum: ['applied', 'failed', 'partial', 'depthLimit'] },
    actions: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, type: { type: 'string' }, status: { type: 'string', enum: ['applied', 'alreadyApplied', 'failed', 'skipped', 'pending'] }, detail: loose('What the action did'), error: { type: 'string' } }, required: ['index', 'type', 'status'] } },
    error: { type: 'string' },
    attempts: { type: 'integer' },
    actor: { type: 'string' },
  },
  required: ['id', 'rule', 'kind', 'object', 'recordId', 'trigger', 'outcome', 'actions', 'attempts'],
};
const NOTIFICATION = {
  type: 'object',
  properties: { id: ID, user: ID, at: { type: 'string', format: 'date-time' }, message: { type: 'object', properties: { en: { type: 'string' }, 'zh-CN': { type: 'string' } } }, object: { type: 'string' }, recordId: ID, rule: { type: 'string' }, read: { type: 'boolean' } },
  required: ['id', 'user', 'at', 'message', 'read'],
};
const VIEW_FILTER = { type: 'object', properties: { field: { type: 'string' }, op: { type: 'string', description: 'A list filter operator: eq, ne, in, lt, lte, gt, gte, between, startsWith, isBlank' }, value: { type: 'string', maxLength: 1000, description: 'As in the query string' } }, required: ['field', 'op', 'value'], additionalProperties: false };
const SAVED_VIEW_BODY = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    shared: { type: 'boolean', default: false, description: 'Offered to everyone who may read the object' },
    columns: { type: 'array', minItems: 1, maxItems: 40, uniqueItems: true, items: { type: 'string' } },
    filters: { type: 'array', maxItems: 10, items: VIEW_FILTER },
    sort: { type: ['string', 'null'], description: '`field` or `-field`' },
    groupBy: { type: ['string', 'null'], description: 'A picklist, boolean, user or lookup field, or `owner`' },
  },
  required: ['name', 'columns'],
  additionalProperties: false,
};
const SAVED_VIEW = {
  type: 'object',
  properties: {
    ...SAVED_VIEW_BODY.properties,
    id: ID,
    object: { type: 'string' },
    owner: ID,
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    mine: { type: 'boolean', description: 'Your own view: you may change and delete it' },
    adjusted: { type: 'boolean', description: 'Parts naming fields you cannot use were left out' },
  },
  required: ['id', 'object', 'owner', 'name', 'shared', 'columns', 'filters', 'sort', 'groupBy', 'version', 'mine', 'adjusted'],
};
const TEMPLATE_FLAGS = (flags: string[]) => ({ type: 'object', properties: Object.fromEntries(flags.map((f) => [f, { type: 'boolean', default: false }])) });
const NOTE = { note: { type: 'string', maxLength: 500 } };
const WEBHOOK_SECRET = {
  type: 'object',
  properties: { webhook: { type: 'string' }, secret: { type: 'string', pattern: '^whsec_' }, createdAt: { type: 'string', format: 'date-time' }, previousValidUntil: { type: 'string', format: 'date-time' } },
  required: ['webhook', 'secret', 'createdAt'],
};
const WEBHOOK_DELIVERY = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    webhook: { type: 'string' },
    object: { type: 'string' },
    recordId: { type: 'string' },
    event: { type: 'string', enum: ['created', 'updated', 'deleted'] },
    source: { type: 'object', properties: { rule: { type: 'string' }, action: { type: 'integer' } } },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
    attempts: { type: 'integer' },
    nextAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    lastAttemptAt: { type: 'string', format: 'date-time' },
    lastStatus: { type: 'integer', description: 'The receiver’s HTTP status' },
    lastError: { type: 'string' },
    lastUrl: { type: 'string' },
    deliveredAt: { type: 'string', format: 'date-time' },
    deadAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'webhook', 'object', 'event', 'status', 'attempts', 'createdAt'],
};
/** Data migrations a refused publish offered: backfill a value, or map removed picklist values to kept ones. */
const MIGRATIONS = {
  migrations: {
    type: 'array',
    maxItems: 100,
    items: {
      oneOf: [
        { type: 'object', properties: { object: { type: 'string' }, field: { type: 'string' }, backfill: {} }, required: ['object', 'field', 'backfill'], additionalProperties: false },
        { type: 'object', properties: { object: { type: 'string' }, field: { type: 'string' }, mapValues: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['object', 'field', 'mapValues'], additionalProperties: false },
      ],
    },
  },
};

const objectRoutes: Record<string, RouteDoc> = {
  'GET /api/objects/{object}/aggregate': {
    summary: 'Count, sum, average, minimum and maximum grouped by one or two fields (dates per day, week, month, quarter or year): groupBy, sum, avg, min, max, filter[…]',
    auth: true,
    tag: 'records',
    operationId: 'aggregateRecords',
    description: 'Time buckets are read in the tenant’s zone (`settings.timeZone`, else its business hours’ zone, else UTC); a time dimension lists every bucket from the first to the last, the empty ones included, with the filters that list each bucket’s records. A bad `groupBy` is 400 `query.invalid` with codes `notGroupable`, `timeUnitRequired`, `unknownTimeUnit`, `notTimeField`, `tooManyGroupings` or `duplicate`.',
    query: [
      { name: 'groupBy', description: 'One or two comma-separated dimensions: a picklist, boolean, user, lookup or text field, `owner`, or a date or datetime field with a unit (`close_date:month`; units day, week, month, quarter, year)', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]*(:[a-z]+)?(,[a-z][a-z0-9_]*(:[a-z]+)?)?$' } },
      { name: 'sum', description: 'Comma-separated numeric fields to sum', schema: { type: 'string' } },
      { name: 'avg', description: 'Comma-separated numeric fields to average', schema: { type: 'string' } },
      { name: 'min', description: 'Comma-separated numeric fields whose minimum to give', schema: { type: 'string' } },
      { name: 'max', description: 'Comma-separated numeric fields whose maximum to give', schema: { type: 'string' } },
      { name: 'sla', description: '`true`: each group also counts its records near or past their workflow state’s service level (`sla.near`, `sla.breached`)', schema: { type: 'boolean' } },
      LIST_QUERY[0]!,
    ],
    ok: { status: 200, description: 'Groups with their counts, sums and averages; `complete` says whether every record was read', body: { object: 'aggregate' } },
    errors: [400, 404],
    needs: 'read',
  },
  'GET /api/objects/{object}/records/{id}/related/{relation}': {
    summary: 'Records that look up to this one: relation is <object> or <object>.<field>; same filters, sort and cursor as lists',
    auth: true,
    tag: 'records',
    operationId: 'relatedRecords',
    query: LIST_QUERY,
    ok: { status: 200, description: 'A page of related records', body: { object: 'related' } },
    errors: [400, 404],
    needs: 'read',
  },
  'GET /api/objects/{object}/schema': {
    summary: "The record schema for forms (?recordType=): that type's picklist values and layout, hidden fields left out",
    auth: true,
    tag: 'records',
    operationId: 'recordSchema',
    query: [{ name: 'recordType', description: 'An active record type; the default type when left out', schema: { type: 'string' } }],
    ok: { status: 200, description: 'JSON Schema of a record, with `x-layout`, `x-recordTypes`, `x-when` and `x-dependsOn`', body: loose('A record schema') },
    errors: [400, 404],
    needs: 'read',
  },
  'GET /api/objects/{object}/views': {
    summary: "Your saved list views of the object and everyone's shared ones, without fields hidden from you",
    auth: true,
    tag: 'records',
    operationId: 'listSavedViews',
    description: 'Your own views first, then shared ones, by name. Parts of a shared view that name fields hidden from you are left out (`adjusted: true`).',
    ok: { status: 200, description: 'Saved views', body: items(SAVED_VIEW) },
    errors: [404],
    needs: 'read',
  },
  'POST /api/objects/{object}/views': {
    summary: 'Save a list view: name, shared, columns, filters, sort, groupBy (checked as the list API would serve it)',
    auth: true,
    tag: 'records',
    operationId: 'createSavedView',
    description: `Each filter is parsed as \`filter[field][op]=value\` would be, and the sort must be served by an index under the view's filters, so a saved view is a list the API serves. At most 50 views per user and object.`,
    body: SAVED_VIEW_BODY,
    ok: { status: 201, description: 'The saved view', body: SAVED_VIEW, etag: true, location: true },
    errors: [400, 404, 413, 415, 422],
    needs: 'read',
  },
  'PUT /api/objects/{object}/views/{id}': {
    summary: 'Replace one of your saved views (If-Match: its version)',
    auth: true,
    tag: 'records',
    operationId: 'replaceSavedView',
    ifMatch: 'required',
    body: SAVED_VIEW_BODY,
    ok: { status: 200, description: 'The saved view', body: SAVED_VIEW, etag: true },
    errors: [400, 403, 404, 412, 413, 415, 422, 428],
    needs: 'read',
  },
  'DELETE /api/objects/{object}/views/{id}': {
    summary: 'Delete one of your saved views (If-Match honoured when sent)',
    auth: true,
    tag: 'records',
    operationId: 'deleteSavedView',
    ifMatch: 'optional',
    ok: { status: 204, description: 'Deleted' },
    errors: [400, 403, 404, 412],
    needs: 'read',
  },
  'GET /api/objects/{object}/records/{id}/links/{junction}': {
    summary: 'Records linked through a junction object, from the other side, as you may see them (limit, cursor)',
    auth: true,
    tag: 'records',
    operationId: 'linkedRecords',
    query: [LIST_QUERY[2]!, LIST_QUERY[3]!],
    ok: {
      status: 200,
      description: 'The other side’s records you may see, with the junction record of each',
      body: { type: 'object', properties: { object: { type: 'string' }, junction: { type: 'string' }, items: { type: 'array', items: loose('A record') }, links: { type: 'array', items: { type: 'object', properties: { id: ID, record: ID } } }, nextCursor: { type: ['string', 'null'] } }, required: ['items', 'links'] },
    },
    errors: [400, 404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records/{id}/links/{junction}': {
    summary: 'Link this record to another through a junction object: {"to": id, "values": {…junction fields}}; a pair links once',
    auth: true,
    tag: 'records',
    operationId: 'linkRecords',
    body: { type: 'object', properties: { to: ID, values: loose('Fields of the junction record') }, required: ['to'], additionalProperties: false },
    ok: { status: 201, description: 'The junction record', body: loose('A record'), etag: true, location: true },
    errors: [400, 403, 404, 409, 413, 415, 422],
    needs: 'read',
  },
  'DELETE /api/objects/{object}/records/{id}/links/{junction}/{other}': {
    summary: 'Remove the link between this record and another (its junction record is deleted)',
    auth: true,
    tag: 'records',
    operationId: 'unlinkRecords',
    ok: { status: 204, description: 'Unlinked' },
    errors: [403, 404],
    needs: 'read',
  },
  'GET /api/objects/{object}/records': {
    summary: 'List records: filter[field][op]=value, sort=-field, limit, cursor',
    auth: true,
    tag: 'records',
    operationId: 'listRecords',
    description: 'Every list is one DynamoDB Query; `meta.servedBy` names the index that served it. With `sla=true` each record has `_sla`: when it entered its workflow state and when the state’s service levels are due (computed as the SLA timers are), with status `ok`, `near` (80% of the time allowed has passed) or `breached`; null without one.',
    query: [...LIST_QUERY, SLA_PARAM],
    ok: { status: 200, description: 'A page of records, newest first unless sorted', body: { object: 'list' } },
    errors: [400, 404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records': {
    summary: 'Create a record',
    auth: true,
    tag: 'records',
    operationId: 'createRecord',
    body: { object: 'create' },
    ok: { status: 201, description: 'The record as you may see it', body: { object: 'record' }, etag: true, location: true },
    errors: [400, 403, 404, 409, 413, 415, 422],
    needs: 'create',
  },
  'GET /api/objects/{object}/records/{id}': {
    summary: 'Get a record',
    auth: true,
    tag: 'records',
    operationId: 'getRecord',
    ok: { status: 200, description: 'The record as you may see it', body: { object: 'record' }, etag: true },
    errors: [404],
    needs: 'read',
  },
  'PATCH /api/objects/{object}/records/{id}': {
    summary: 'Change fields of a record (If-Match: version required)',
    auth: true,
    tag: 'records',
    operationId: 'patchRecord',
    description: '`null` clears a field. Sending a masked value back unchanged leaves it as it was.',
    ifMatch: 'required',
    body: { object: 'patch' },
    ok: { status: 200, description: 'The record after the change', body: { object: 'record' }, etag: true },
    errors: [400, 403, 404, 409, 412, 413, 415, 422, 428],
    needs: 'update',
  },
  'DELETE /api/objects/{object}/records/{id}': {
    summary: 'Delete a record (If-Match: version honoured when sent)',
    auth: true,
    tag: 'records',
    operationId: 'deleteRecord',
    ifMatch: 'optional',
    ok: { status: 204, description: 'Deleted, with what its delete rules cleared or cascaded' },
    errors: [400, 403, 404, 409, 412],
    needs: 'delete',
  },
  'GET /api/objects/{object}/records/{id}/history': {
    summary: "A record's history, newest first",
    auth: true,
    tag: 'records',
    operationId: 'recordHistory',
    query: [
      { name: 'limit', description: 'Entries per page', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Who changed what, newest first', body: { object: 'history' } },
    errors: [400, 404],
    needs: 'read',
  },
  'GET /api/objects/{object}/export': {
    summary: 'The list as CSV as you may see it (filters as for lists; header=labels|api); needs exportData',
    auth: true,
    tag: 'data',
    operationId: 'exportRecords',
    query: [
      LIST_QUERY[0]!,
      LIST_QUERY[1]!,
      { name: 'header', description: 'Column headers: field labels in your language, or API names', schema: { type: 'string', enum: ['labels', 'api'], default: 'labels' } },
      { name: 'columns', description: 'A list view’s columns, comma-separated, in order (fields you may see, id, owner, created_at, updated_at, created_by, updated_by); default: id, owner, the dates and every field you may see', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'CSV (UTF-8 with BOM), at most 10,000 rows; `x-tessera-truncated` says whether rows were left out', body: { object: 'csv' } },
    errors: [400, 403, 404],
    needs: 'exportData',
  },
  'POST /api/objects/{object}/batch': {
    summary: 'Create and change up to 200 records in order, each as its single write would, each with its own status',
    auth: true,
    tag: 'records',
    operationId: 'batchRecords',
    description:
      'Each item is the same write as `POST …/records` (op `create`) or `PATCH …/records/{id}` with `If-Match: version` (op `update`): the same validation, permissions and history. ' +
      'Items run in order and succeed or fail on their own; the answer reports each with its status and its record or problem (pointers relative to its `values`). ' +
      'A malformed batch (over 200 items, an unknown op, a missing id or version, one record changed twice) is refused whole with 400 and a pointer per problem, and nothing is written.',
    body: { object: 'batch' },
    ok: { status: 200, description: 'One result per item, in order', body: { object: 'batchAnswer' } },
    errors: [400, 404, 413, 415],
    needs: 'createOrUpdate',
  },
};

const otherRoutes: Record<string, RouteDoc> = {
  'GET /api/health': { summary: 'Liveness of the API', auth: false, tag: 'system', operationId: 'health', ok: { status: 200, description: 'The API answers', body: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] } }, errors: [400] },
  'POST /auth/login': {
    summary: 'Sign in with the local identity provider',
    auth: false,
    tag: 'auth',
    operationId: 'login',
    description: 'Only with the local identity provider; in AWS, Cognito issues the tokens.',
    body: { type: 'object', properties: { tenant: { type: 'string' }, email: { type: 'string', format: 'email' }, password: { type: 'string' } }, required: ['tenant', 'email', 'password'] },
    ok: { status: 200, description: 'A bearer token', body: { type: 'object', properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } }, required: ['token'] } },
    errors: [400, 401, 429],
  },
  'GET /api/me': {
    summary: 'The signed-in user',
    auth: true,
    tag: 'auth',
    operationId: 'me',
    ok: { status: 200, description: 'Who you are: tenant, user (or API key) id, roles', body: { type: 'object', properties: { tenantId: { type: 'string' }, userId: ID, roles: { type: 'array', items: { type: 'string' } }, apiKey: ID, name: { type: ['string', 'null'] }, tenantName: { type: 'string' }, locale: { type: 'string' } }, required: ['tenantId', 'userId', 'roles'] } },
    errors: [],
  },
  'GET /api/metadata': {
    summary: 'The published metadata (head, or ?version=n)',
    auth: true,
    tag: 'metadata',
    operationId: 'getMetadata',
    query: [{ name: 'version', description: 'An earlier version (manageMetadata)', schema: { type: 'integer', minimum: 1 } }],
    ok: { status: 200, description: 'Objects you may read with their visible fields (everything for metadata managers)', body: loose('A metadata bundle (metadata/schema/bundle.schema.json)'), etag: true },
    errors: [400, 403, 404],
  },
  'GET /api/metadata/versions': {
    summary: 'Published versions, newest first',
    auth: true,
    tag: 'metadata',
    operationId: 'listVersions',
    query: [
      { name: 'limit', description: 'At most 200', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'before', description: 'Versions before this one', schema: { type: 'integer', minimum: 1 } },
    ],
    ok: { status: 200, description: 'Versions with who published them and when', body: items(loose('A version')) },
    errors: [400, 403],
    needs: 'manageMetadata',
  },
  'GET /api/metadata/diff': {
    summary: 'Differences between two versions (from, to: number, head or draft)',
    auth: true,
    tag: 'metadata',
    operationId: 'diffMetadata',
    query: [
      { name: 'from', description: 'A version number, `head` or `draft`', schema: { type: 'string' }, required: true },
      { name: 'to', description: 'A version number, `head` or `draft`', schema: { type: 'string' }, required: true },
    ],
    ok: { status: 200, description: 'Changes by name', body: loose('Changes between the two') },
    errors: [400, 403, 404],
    needs: 'manageMetadata',
  },
  'GET /api/metadata/draft': { summary: 'The draft (or the head when there is no draft)', auth: true, tag: 'metadata', operationId: 'getDraft', ok: { status: 200, description: 'The draft with its revision', body: loose('A draft'), etag: true }, errors: [403], needs: 'manageMetadata' },
  'PUT /api/metadata/draft': {
    summary: 'Replace the whole draft',
    auth: true,
    tag: 'metadata',
    operationId: 'replaceDraft',
    ifMatch: 'optional',
    body: loose('A metadata bundle (metadata/schema/bundle.schema.json)'),
    ok: { status: 200, description: 'The draft', body: loose('A draft'), etag: true },
    errors: [400, 403, 409, 412, 413, 415, 422],
    needs: 'manageMetadata',
  },
  'DELETE /api/metadata/draft': { summary: 'Discard the draft', auth: true, tag: 'metadata', operationId: 'discardDraft', ok: { status: 204, description: 'Discarded' }, errors: [403], needs: 'manageMetadata' },
  'PUT /api/metadata/draft/objects/{name}': {
    summary: 'Add or replace an object in the draft',
    auth: true,
    tag: 'metadata',
    operationId: 'putDraftObject',
    ifMatch: 'optional',
    body: loose('An object definition (metadata/schema/object.schema.json)'),
    ok: { status: 200, description: 'The draft', body: loose('A draft'), etag: true },
    errors: [400, 403, 409, 412, 413, 415, 422],
    needs: 'manageMetadata',
  },
  'DELETE /api/metadata/draft/objects/{name}': {
    summary: 'Remove an object from the draft',
    auth: true,
    tag: 'metadata',
    operationId: 'deleteDraftObject',
    ifMatch: 'optional',
    ok: { status: 200, description: 'The draft', body: loose('A draft'), etag: true },
    errors: [400, 403, 404, 412],
    needs: 'manageMetadata',
  },
  'POST /api/metadata/validate': { summary: 'Validate the draft: every problem at once, each at a JSON Pointer', auth: true, tag: 'metadata', operationId: 'validateDraft', ok: { status: 200, description: 'Every problem, each at a JSON Pointer', body: loose('A validation report') }, errors: [403], needs: 'manageMetadata' },
  'POST /api/metadata/publish': {
    summary: 'Publish the draft as the next version; {"migrations": [...]} runs the data migrations a refusal offered',
    auth: true,
    tag: 'metadata',
    operationId: 'publish',
    body: { type: 'object', properties: { ...NOTE, ...MIGRATIONS } },
    bodyOptional: true,
    ok: { status: 201, description: 'The new version', body: loose('A published version') },
    errors: [400, 403, 409, 422],
    needs: 'manageMetadata',
  },
  'POST /api/metadata/rollback': {
    summary: "Publish an earlier version's content again",
    auth: true,
    tag: 'metadata',
    operationId: 'rollback',
    body: { type: 'object', properties: { version: { type: 'integer', minimum: 1 }, ...NOTE, ...MIGRATIONS }, required: ['version'] },
    ok: { status: 201, description: 'The new version', body: loose('A published version') },
    errors: [400, 403, 404, 409, 422],
    needs: 'manageMetadata',
  },
  'POST /api/metadata/purge': {
    summary: 'Erase the stored values of a removed field: {"object", "field"} (a removed field keeps its data until purged)',
    auth: true,
    tag: 'metadata',
    operationId: 'purgeField',
    body: { type: 'object', properties: { object: { type: 'string' }, field: { type: 'string' } }, required: ['object', 'field'] },
    ok: { status: 200, description: 'How many records and history entries were purged', body: loose('A purge report') },
    errors: [400, 403, 404, 422],
    needs: 'manageMetadata',
  },
  'GET /api/metadata/versions/{version}': { summary: 'One published version', auth: true, tag: 'metadata', operationId: 'getVersion', ok: { status: 200, description: 'The version', body: loose('A published version') }, errors: [400, 403, 404], needs: 'manageMetadata' },
  'GET /api/users': { summary: "The tenant's users", auth: true, tag: 'users', operationId: 'listUsers', description: 'E-mails, roles and managers only with manageUsers.', ok: { status: 200, description: 'The directory', body: items(USER) }, errors: [] },
  'POST /api/users': {
    summary: 'Create a user (manageUsers)',
    auth: true,
    tag: 'users',
    operationId: 'createUser',
    body: { type: 'object', properties: { email: { type: 'string', format: 'email' }, name: text(120), roles: { type: 'array', items: { type: 'string' } }, password: { type: 'string', minLength: 10 }, manager: ID }, required: ['email', 'name', 'roles'], additionalProperties: false },
    ok: { status: 201, description: 'The user', body: USER, etag: true },
    errors: [400, 403, 409, 422],
    needs: 'manageUsers',
  },
  'PATCH /api/users/{id}': {
    summary: 'Change a user: name, roles, manager, password, active (manageUsers; If-Match)',
    auth: true,
    tag: 'users',
    operationId: 'updateUser',
    ifMatch: 'required',
    body: { type: 'object', properties: { name: text(120), roles: { type: 'array', items: { type: 'string' } }, password: { type: 'string', minLength: 10 }, active: { type: 'boolean' }, manager: { anyOf: [ID, { type: 'null' }] } }, additionalProperties: false },
    ok: { status: 200, description: 'The user', body: USER, etag: true },
    errors: [400, 403, 404, 412, 422, 428],
    needs: 'manageUsers',
  },
  'GET /api/teams': { summary: "The tenant's teams", auth: true, tag: 'users', operationId: 'listTeams', ok: { status: 200, description: 'Teams and their members', body: items(TEAM) }, errors: [] },
  'POST /api/teams': {
    summary: 'Create a team (manageUsers)',
    auth: true,
    tag: 'users',
    operationId: 'createTeam',
    body: { type: 'object', properties: { name: text(120), members: { type: 'array', items: ID } }, required: ['name', 'members'], additionalProperties: false },
    ok: { status: 201, description: 'The team', body: TEAM, etag: true },
    errors: [400, 403, 422],
    needs: 'manageUsers',
  },
  'PATCH /api/teams/{id}': {
    summary: 'Rename a team or change its members (manageUsers; If-Match)',
    auth: true,
    tag: 'users',
    operationId: 'updateTeam',
    ifMatch: 'required',
    body: { type: 'object', properties: { name: text(120), members: { type: 'array', items: ID } }, additionalProperties: false },
    ok: { status: 200, description: 'The team', body: TEAM, etag: true },
    errors: [400, 403, 404, 412, 422, 428],
    needs: 'manageUsers',
  },
  'GET /api/access/explain': {
    summary: 'Why a user may or may not do something: ?user=&object=[&record=]',
    auth: true,
    tag: 'users',
    operationId: 'explainAccess',
    query: [
      { name: 'user', description: 'A user id', schema: ID, required: true },
      { name: 'object', description: 'An object name', schema: { type: 'string' }, required: true },
      { name: 'record', description: 'A record id', schema: ID },
    ],
    ok: { status: 200, description: 'Each permission and field level with every role’s part in it', body: loose('An explanation') },
    errors: [400, 403, 404],
  },
  'GET /api/audit': {
    summary: 'Audit trail of one day, newest first: ?day=YYYY-MM-DD&limit= (manageUsers)',
    auth: true,
    tag: 'users',
    operationId: 'audit',
    query: [
      { name: 'day', description: 'YYYY-MM-DD (UTC); today by default', schema: { type: 'string', format: 'date' } },
      { name: 'limit', description: 'At most 500', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
    ],
    ok: { status: 200, description: 'Entries of the day', body: { type: 'object', properties: { day: { type: 'string', format: 'date' }, items: { type: 'array', items: loose('An audit entry') } }, required: ['day', 'items'] } },
    errors: [400, 403],
    needs: 'manageUsers',
  },
  'GET /api/webhooks/{name}/secret': {
    summary: "A webhook's signing secret, made on first use (manageMetadata)",
    auth: true,
    tag: 'webhooks',
    operationId: 'getWebhookSecret',
    description: 'Deliveries carry `Tessera-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 with this secret over `<t>.<raw body>`. Showing the secret is audited.',
    ok: { status: 200, description: 'The secret', body: WEBHOOK_SECRET },
    errors: [403, 404],
    needs: 'manageMetadata',
  },
  'POST /api/webhooks/{name}/secret/rotate': {
    summary: 'A new signing secret; the old one keeps signing for 24 hours (manageMetadata)',
    auth: true,
    tag: 'webhooks',
    operationId: 'rotateWebhookSecret',
    ok: { status: 200, description: 'The new secret, and until when deliveries also carry a signature made with the old one', body: WEBHOOK_SECRET },
    errors: [403, 404],
    needs: 'manageMetadata',
  },
  'GET /api/webhook-deliveries': {
    summary: 'Dead webhook deliveries, newest first, with the last error: ?status=dead&limit=&cursor= (manageMetadata)',
    auth: true,
    tag: 'webhooks',
    operationId: 'listDeadWebhookDeliveries',
    query: [
      { name: 'status', description: 'Only `dead` deliveries are listed', schema: { type: 'string', enum: ['dead'], default: 'dead' } },
      { name: 'limit', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'cursor', description: 'Opaque, from `nextCursor` of the previous page', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Dead deliveries', body: { type: 'object', properties: { items: { type: 'array', items: WEBHOOK_DELIVERY }, nextCursor: { type: 'string' } }, required: ['items'] } },
    errors: [400, 403],
    needs: 'manageMetadata',
  },
  'GET /api/webhook-deliveries/{id}': {
    summary: 'One webhook delivery: status, attempts, last error, payload (manageMetadata)',
    auth: true,
    tag: 'webhooks',
    operationId: 'getWebhookDelivery',
    ok: { status: 200, description: 'The delivery with the payload it sends', body: { ...WEBHOOK_DELIVERY, properties: { ...WEBHOOK_DELIVERY.properties, payload: loose('The JSON body sent to the receiver') } } },
    errors: [403, 404],
    needs: 'manageMetadata',
  },
  'POST /api/webhook-deliveries/{id}/replay': {
    summary: 'Put a dead delivery back in the queue, due now (manageMetadata)',
    auth: true,
    tag: 'webhooks',
    operationId: 'replayWebhookDelivery',
    description: 'The same delivery id and body are sent again, with attempts counted afresh. Only a dead delivery is replayed (400 `notDead` otherwise).',
    ok: { status: 202, description: 'The delivery, pending', body: WEBHOOK_DELIVERY },
    errors: [400, 403, 404],
    needs: 'manageMetadata',
  },
  'POST /api/objects/{object}/records/{id}/reassign': {
    summary: "Run the object's assignment rules on the record now (If-Match: the record version)",
    auth: true,
    tag: 'automation',
    operationId: 'reassignRecord',
    ifMatch: 'required',
    ok: { status: 200, description: 'The record with the owner the first matching entry gave it', body: { object: 'record' }, etag: true },
    errors: [400, 403, 404, 412, 422, 428],
    needs: 'update',
  },
  'POST /api/objects/{object}/records/{id}/take': {
    summary: 'Take a record waiting in a queue you are a member of (If-Match: the record version)',
    auth: true,
    tag: 'automation',
    operationId: 'takeRecord',
    ifMatch: 'required',
    ok: { status: 200, description: 'The record, now yours', body: { object: 'record' }, etag: true },
    errors: [400, 403, 404, 412, 422, 428],
    needs: 'read',
  },
  'GET /api/objects/{object}/records/{id}/runs': {
    summary: 'Rule runs on the record, newest first: which rule, why, what each action did',
    auth: true,
    tag: 'automation',
    operationId: 'recordRuleRuns',
    query: [{ name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } }],
    ok: { status: 200, description: 'Runs, newest first', body: { type: 'object', properties: { items: { type: 'array', items: RULE_RUN }, nextCursor: { type: ['string', 'null'] } }, required: ['items'] } },
    errors: [400, 404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records/{id}/runs/{run}/retry': {
    summary: 'Retry a failed rule run from its failed action (manageMetadata)',
    auth: true,
    tag: 'automation',
    operationId: 'retryRuleRun',
    description: 'Actions that applied are not applied again: each keeps the effect key of the first attempt.',
    ok: { status: 200, description: 'The run after the retry', body: RULE_RUN },
    errors: [400, 403, 404, 409],
    needs: 'manageMetadata',
  },
  'GET /api/rules/{rule}/runs': {
    summary: "A rule's runs, newest first (manageMetadata)",
    auth: true,
    tag: 'automation',
    operationId: 'ruleRuns',
    query: [{ name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } }],
    ok: { status: 200, description: 'Runs, newest first', body: { type: 'object', properties: { items: { type: 'array', items: RULE_RUN }, nextCursor: { type: ['string', 'null'] } }, required: ['items'] } },
    errors: [400, 403],
    needs: 'manageMetadata',
  },
  'GET /api/notifications': {
    summary: 'Your in-app notifications, newest first',
    auth: true,
    tag: 'automation',
    operationId: 'myNotifications',
    query: [{ name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } }],
    ok: { status: 200, description: 'Notifications, newest first', body: { type: 'object', properties: { items: { type: 'array', items: NOTIFICATION }, nextCursor: { type: ['string', 'null'] } }, required: ['items'] } },
    errors: [400],
  },
  'POST /api/notifications/{id}/read': {
    summary: 'Mark one of your notifications read',
    auth: true,
    tag: 'automation',
    operationId: 'markNotificationRead',
    ok: { status: 204, description: 'Marked read' },
    errors: [404],
  },
  'GET /api/templates': { summary: 'The template gallery, with what is installed', auth: true, tag: 'templates', operationId: 'listTemplates', ok: { status: 200, description: 'Templates, with installed versions and upgrades', body: items(loose('A template')) }, errors: [] },
  'POST /api/templates/{name}/install': {
    summary: 'Install a template into the draft (and publish: {"publish": true}) (manageTemplates)',
    auth: true,
    tag: 'templates',
    operationId: 'installTemplate',
    body: TEMPLATE_FLAGS(['publish']),
    bodyOptional: true,
    ok: { status: 200, description: 'What was installed', body: loose('An install report') },
    errors: [400, 403, 404, 409, 422],
    needs: 'manageTemplates',
  },
  'POST /api/templates/{name}/upgrade': {
    summary: 'Upgrade a template with a three-way merge that keeps the tenant’s changes and reports conflicts',
    auth: true,
    tag: 'templates',
    operationId: 'upgradeTemplate',
    body: TEMPLATE_FLAGS(['publish']),
    bodyOptional: true,
    ok: { status: 200, description: 'What changed and every conflict', body: loose('An upgrade report') },
    errors: [400, 403, 404, 409, 422],
    needs: 'manageTemplates',
  },
  'POST /api/templates/{name}/uninstall': {
    summary: 'Uninstall a template; refused while its objects have records unless {"archive": true}',
    auth: true,
    tag: 'templates',
    operationId: 'uninstallTemplate',
    body: TEMPLATE_FLAGS(['archive', 'publish']),
    bodyOptional: true,
    ok: { status: 200, description: 'What was removed', body: loose('An uninstall report') },
    errors: [400, 403, 404, 409, 422],
    needs: 'manageTemplates',
  },
  'GET /api/search': {
    summary: 'Name-prefix search across the objects you may read: q, objects (comma-separated), limit per object',
    auth: true,
    tag: 'data',
    operationId: 'search',
    query: [
      { name: 'q', description: 'The start of a name', schema: { type: 'string', minLength: 1 }, required: true },
      { name: 'objects', description: 'Comma-separated object names; all you may read by default', schema: { type: 'string' } },
      { name: 'limit', description: 'Matches per object', schema: { type: 'integer', minimum: 1, maximum: 50 } },
    ],
    ok: { status: 200, description: 'Matches per object; objects without a name index are listed as unsearchable', body: loose('Search results') },
    errors: [400],
  },
  'GET /api/api-keys': { summary: "The tenant's API keys, without their secrets (manageUsers)", auth: true, tag: 'apiKeys', operationId: 'listApiKeys', ok: { status: 200, description: 'Keys, oldest first', body: items(API_KEY) }, errors: [403], needs: 'manageUsers' },
  'POST /api/api-keys': {
    summary: 'Create an API key acting with one role until it expires; the key is in this answer only (manageUsers)',
    auth: true,
    tag: 'apiKeys',
    operationId: 'createApiKey',
    description: 'Send the key as `Authorization: Bearer tsk_…`. Only its SHA-256 is stored: it cannot be shown again. API keys cannot manage API keys.',
    body: { type: 'object', properties: { name: text(120), role: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time', description: 'At most 366 days ahead; 90 days by default' } }, required: ['name', 'role'], additionalProperties: false },
    ok: { status: 201, description: 'The key, with its secret', body: { ...API_KEY, properties: { ...API_KEY.properties, key: { type: 'string', description: '`tsk_<tenant>_<id>_<secret>`: store it now' } }, required: [...API_KEY.required, 'key'] } },
    errors: [400, 403, 422],
    needs: 'manageUsers',
  },
  'POST /api/api-keys/{id}/revoke': {
    summary: 'Revoke an API key at once; it stays listed as revoked (manageUsers)',
    auth: true,
    tag: 'apiKeys',
    operationId: 'revokeApiKey',
    ok: { status: 200, description: 'The revoked key', body: API_KEY },
    errors: [403, 404],
    needs: 'manageUsers',
  },
  'GET /api/openapi.json': {
    summary: 'This OpenAPI 3.1 document: every route, and every object you may read with the fields you may see',
    auth: true,
    tag: 'system',
    operationId: 'openapi',
    ok: { status: 200, description: 'An OpenAPI 3.1 document', body: loose('An OpenAPI 3.1 document') },
    errors: [404],
  },
};

/** Every route's documentation, `METHOD path` → doc. */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = { ...otherRoutes, ...objectRoutes, ...WORKFLOW_ROUTE_DOCS, ...IMPORT_ROUTE_DOCS, ...CONVERSION_ROUTE_DOCS, ...REPORT_ROUTE_DOCS };

export const routeKey = (method: Method, path: string) => `${method} ${path}`;
