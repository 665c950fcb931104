/**
 * What the OpenAPI document says about the report and dashboard routes (functions/api/routes/reports.ts),
 * kept beside the main table in routeDocs.ts and merged into it.
 */
import type { RouteDoc } from './routeDocs';

const STR = { type: 'string' };
const LABELS = { type: 'object', properties: { en: STR, 'zh-CN': STR } };

const REPORT = {
  type: 'object',
  properties: {
    name: STR,
    label: LABELS,
    description: LABELS,
    object: STR,
    filters: { type: 'array', items: { type: 'object', properties: { field: STR, op: STR, value: STR }, required: ['field', 'op', 'value'] } },
    groupings: { type: 'array', items: { type: 'object', properties: { field: STR, unit: { type: 'string', enum: ['day', 'week', 'month', 'quarter', 'year'] } }, required: ['field'] } },
    measures: { type: 'array', items: { type: 'object', properties: { fn: { type: 'string', enum: ['count', 'sum', 'avg', 'min', 'max'] }, field: STR }, required: ['fn'] } },
    chart: { type: 'string', enum: ['bar', 'column', 'line', 'pie', 'funnel', 'table'] },
    runnable: { type: 'boolean', description: 'False when the report uses a field hidden from you: running it answers 403' },
  },
  required: ['name', 'label', 'object', 'filters', 'groupings', 'measures', 'chart', 'runnable'],
};

const DASHBOARD = {
  type: 'object',
  properties: {
    name: STR,
    label: LABELS,
    description: LABELS,
    tiles: { type: 'array', items: { type: 'object', properties: { report: REPORT, title: LABELS, width: { type: 'string', enum: ['half', 'full'] } }, required: ['report', 'title', 'width'] } },
  },
  required: ['name', 'label', 'tiles'],
};

const FILTERS = {
  name: 'filter',
  description: 'Extra filters, `filter[field][op]=value` as lists take them; one for a field and operator the report filters on replaces the report’s',
  schema: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] } },
  deepObject: true,
} as const;

export const REPORT_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /api/reports': {
    summary: 'Reports on objects you may read, each saying whether you may run it',
    auth: true,
    tag: 'reports',
    operationId: 'listReports',
    ok: { status: 200, description: 'Reports, in metadata order', body: { type: 'object', properties: { items: { type: 'array', items: REPORT } }, required: ['items'] } },
    errors: [],
  },
  'GET /api/reports/{name}/run': {
    summary: 'Run a report with your permissions, optionally with extra filter[…]: its groups, counts and measures',
    auth: true,
    tag: 'reports',
    operationId: 'runReport',
    description: 'Runs as `GET /api/objects/{object}/aggregate` does, as you: records outside your scope are not counted. A report on an object you cannot read is 404; one that groups, measures or filters by a field hidden from you is 403 `access.denied`.',
    query: [FILTERS],
    ok: { status: 200, description: 'The report and its result', body: { type: 'object', properties: { report: REPORT, result: { $ref: '#/components/schemas/Aggregate' } }, required: ['report', 'result'] } },
    errors: [400, 403, 404],
  },
  'GET /api/dashboards': {
    summary: 'Dashboards shown to your roles, with the report tiles you may see',
    auth: true,
    tag: 'reports',
    operationId: 'listDashboards',
    ok: { status: 200, description: 'Dashboards, in metadata order', body: { type: 'object', properties: { items: { type: 'array', items: DASHBOARD } }, required: ['items'] } },
    errors: [],
  },
  'GET /api/dashboards/{name}': {
    summary: 'A dashboard shown to your roles, with the report tiles you may see',
    auth: true,
    tag: 'reports',
    operationId: 'getDashboard',
    ok: { status: 200, description: 'The dashboard; each tile runs with `GET /api/reports/{name}/run`', body: DASHBOARD },
    errors: [404],
  },
};
