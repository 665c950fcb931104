import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { MetadataBundle, ObjectDef, ReportDef } from '../metadata/types';
import { BUILT_IN_ADMIN } from '../metadata/types';
import { GROUPABLE_TYPES, NUMERIC_TYPES, TIME_TYPES } from './groupedAggregate';

/*
 * Semantic checks of reports and dashboards (their shape is `metadata/schema/report.schema.json`):
 * the object and fields a report names, whether each grouping, measure and filter fits its
 * field's type, charts that need one grouping, and the reports and roles dashboards name.
 * Problems at JSON pointers into the bundle.
 */

/** Charts that draw one series of slices or stages: a second grouping has nowhere to go. */
const ONE_GROUPING_CHARTS = new Set(['pie', 'funnel']);

function duplicates(names: readonly string[], kind: string, what: string): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  names.forEach((name, i) => {
    if (seen.has(name)) out.push({ path: pointer(kind, i, 'name'), code: 'duplicate', message: `${what} name "${name}" is already used`, params: { name } });
    seen.add(name);
  });
  return out;
}

function reportProblems(report: ReportDef, object: ObjectDef, at: (...rest: Array<string | number>) => string): Problem[] {
  const problems: Problem[] = [];
  const fields = new Map(object.fields.map((f) => [f.name, f] as const));
  const unknown = (path: string, field: string): Problem => ({ path, code: 'unknownField', message: `"${field}" is not a field of ${object.name}`, params: { field, object: object.name } });
  const grouped = new Set<string>();
  report.groupings.forEach((g, i) => {
    const f = fields.get(g.field);
    if (grouped.has(g.field)) problems.push({ path: at('groupings', i, 'field'), code: 'duplicate', message: `${g.field} is grouped by twice`, params: { field: g.field } });
    grouped.add(g.field);
    if (g.field === 'owner' && !f) {
      if (g.unit) problems.push({ path: at('groupings', i, 'unit'), code: 'notTimeField', message: 'the owner has no time unit', params: { field: g.field } });
    } else if (!f) problems.push(unknown(at('groupings', i, 'field'), g.field));
    else if (TIME_TYPES.has(f.type)) {
      if (!g.unit) problems.push({ path: at('groupings', i), code: 'timeUnitRequired', message: `group the ${f.type} field ${g.field} by a unit: day, week, month, quarter or year`, params: { field: g.field } });
    } else if (!GROUPABLE_TYPES.has(f.type)) problems.push({ path: at('groupings', i, 'field'), code: 'notGroupable', message: `a ${f.type} field cannot be grouped by`, params: { field: g.field, type: f.type } });
    else if (g.unit) problems.push({ path: at('groupings', i, 'unit'), code: 'notTimeField', message: `only date and datetime fields take a time unit, not ${f.type}`, params: { field: g.field, type: f.type } });
  });
  report.measures.forEach((m, i) => {
    if (m.fn === 'count') return;
    const f = fields.get(m.field);
    if (!f) problems.push(unknown(at('measures', i, 'field'), m.field));
    else if (!NUMERIC_TYPES.has(f.type)) problems.push({ path: at('measures', i, 'field'), code: 'notNumeric', message: `${m.fn} needs a number, currency or percent field, not ${f.type}`, params: { field: m.field, type: f.type } });
  });
  (report.filters ?? []).forEach((filter, i) => {
    const f = fields.get(filter.field);
    const ops: readonly string[] = filter.field === 'owner' && !f ? ['eq'] : f ? fieldType(f).operators : [];
    if (!f && filter.field !== 'owner') problems.push(unknown(at('filters', i, 'field'), filter.field));
    else if (!ops.includes(filter.op)) problems.push({ path: at('filters', i, 'op'), code: 'operatorNotSupported', message: `${filter.op} is not available for ${f?.type ?? filter.field}`, params: { op: filter.op, allowed: ops } });
  });
  if (ONE_GROUPING_CHARTS.has(report.chart) && report.groupings.length > 1) {
    problems.push({ path: at('chart'), code: 'oneGroupingChart', message: `a ${report.chart} chart draws one grouping`, params: { chart: report.chart } });
  }
  return problems;
}

export function reportsProblems(bundle: MetadataBundle): Problem[] {
  const reports = bundle.reports ?? [];
  const dashboards = bundle.dashboards ?? [];
  const problems: Problem[] = [...duplicates(reports.map((r) => r.name), 'reports', 'report'), ...duplicates(dashboards.map((d) => d.name), 'dashboards', 'dashboard')];
  reports.forEach((report, i) => {
    const at = (...rest: Array<string | number>) => pointer('reports', i, ...rest);
    const object = bundle.objects.find((o) => o.name === report.object);
    if (!object) problems.push({ path: at('object'), code: 'unknownObject', message: `there is no object "${report.object}"`, params: { object: report.object } });
    else problems.push(...reportProblems(report, object, at));
  });
  const names = new Set(reports.map((r) => r.name));
  const roles = new Set([BUILT_IN_ADMIN, ...(bundle.roles ?? []).map((r) => r.name)]);
  dashboards.forEach((dashboard, i) => {
    dashboard.tiles.forEach((tile, j) => {
      if (!names.has(tile.report)) problems.push({ path: pointer('dashboards', i, 'tiles', j, 'report'), code: 'unknownReport', message: `there is no report "${tile.report}"`, params: { report: tile.report } });
    });
    (dashboard.roles ?? []).forEach((role, j) => {
      if (!roles.has(role)) problems.push({ path: pointer('dashboards', i, 'roles', j), code: 'unknownRole', message: `there is no role "${role}"`, params: { role } });
    });
  });
  return problems;
}
