/**
 * Pure helpers of the reports and dashboards editors: which fields a report may group by,
 * sum or filter on (asked of the engine's own sets and field registry, so the editor offers
 * what publishing accepts), form values ↔ `ReportDef`/`DashboardDef` keeping what the editor
 * does not show, filter values as typed ↔ as the query string carries them, and renaming a
 * report in the dashboards that show it.
 */
import { fieldType } from '../../../functions/engine/fields';
import type { FilterOp } from '../../../functions/engine/fields';
import { GROUPABLE_TYPES, MAX_DIMENSIONS, NUMERIC_TYPES, TIME_TYPES } from '../../../functions/engine/reports/groupedAggregate';
import { TIME_UNITS } from '../../../functions/engine/reports/timeBuckets';
import type { PlacedProblem } from '../placedProblems';
import { inputOf } from '../rules/facts';
import type { InputKind } from '../rules/facts';
import type { ChartType, DashboardDef, DashboardTileDef, FieldDef, Labels, MetadataBundle, ObjectDef, ReportDef, ReportFilterDef, ReportGroupingDef, ReportMeasureDef } from '../types';

export { MAX_DIMENSIONS, TIME_UNITS };
export const CHART_TYPES = ['bar', 'column', 'line', 'pie', 'funnel', 'table'] as const satisfies readonly ChartType[];
export const MEASURE_FNS = ['count', 'sum', 'avg', 'min', 'max'] as const satisfies ReadonlyArray<ReportMeasureDef['fn']>;
/** `report.schema.json`: at most four measures, ten filters, twenty tiles. */
export const MAX_MEASURES = 4;
export const MAX_FILTERS = 10;
export const MAX_TILES = 20;

/** The owner is a system field: groupable and filterable (by `eq`) though no object lists it. */
export const OWNER = 'owner';

/** Fields a report may group by: as they are, or (dates and datetimes) by a time unit; the owner first. */
export function groupableFields(object: ObjectDef | undefined): Array<{ name: string; field?: FieldDef; time: boolean }> {
  const own = (object?.fields ?? []).filter((f) => GROUPABLE_TYPES.has(f.type) || TIME_TYPES.has(f.type)).map((f) => ({ name: f.name, field: f, time: TIME_TYPES.has(f.type) }));
  return object ? [{ name: OWNER, time: false }, ...own.filter((f) => f.name !== OWNER)] : [];
}

/** Whether grouping by this field needs a time unit. */
export function needsUnit(object: ObjectDef | undefined, field: string | undefined): boolean {
  const f = object?.fields.find((x) => x.name === field);
  return Boolean(f && TIME_TYPES.has(f.type));
}

/** Fields a sum, average, minimum or maximum reads: numbers, currencies, percents, roll-ups. */
export function measurableFields(object: ObjectDef | undefined): FieldDef[] {
  return (object?.fields ?? []).filter((f) => NUMERIC_TYPES.has(f.type));
}

/** Operators a filter on the field may use, as the list API serves them (the owner: `eq`). */
export function filterOps(object: ObjectDef | undefined, field: string | undefined): readonly FilterOp[] {
  const f = object?.fields.find((x) => x.name === field);
  if (f) return fieldType(f).operators;
  return field === OWNER ? ['eq'] : [];
}

/** Fields a report may filter on: those with any operator, and the owner. */
export function filterableFields(object: ObjectDef | undefined): Array<{ name: string; field?: FieldDef }> {
  if (!object) return [];
  return [{ name: OWNER }, ...object.fields.filter((f) => f.name !== OWNER && fieldType(f).operators.length > 0).map((f) => ({ name: f.name, field: f }))];
}

/** The input a filter's value needs: several values for `in` and `between`, yes/no for `isBlank`. */
export function filterInput(object: ObjectDef | undefined, field: string | undefined, op: FilterOp | undefined): { input: InputKind; multiple: boolean } {
  if (op === 'isBlank') return { input: 'boolean', multiple: false };
  const f = object?.fields.find((x) => x.name === field);
  const input: InputKind = f ? inputOf(f) : field === OWNER ? 'user' : 'text';
  // A picklist's `in` picks several options; other lists are typed.
  return { input: op === 'in' && input === 'option' ? 'options' : input, multiple: op === 'in' || op === 'between' };
}

/** A filter value as the input holds it: numbers as numbers, `a,b` as a list, `true` as true. */
export function decodeFilterValue(value: string, input: InputKind, op: FilterOp): unknown {
  const one = (v: string): unknown => (input === 'number' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  if (op === 'isBlank') return value === 'true' ? true : value === 'false' ? false : undefined;
  if (op === 'in' || op === 'between') return value === '' ? [] : value.split(',').map(one);
  if (input === 'boolean') return value === 'true' ? true : value === 'false' ? false : undefined;
  return one(value);
}

/** A filter value as the query string carries it (`ReportFilterDef.value`). */
export function encodeFilterValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(encodeFilterValue).join(',');
  return value === null || value === undefined ? '' : String(value);
}

/** What the report form holds: the definition, with filter values as their inputs hold them. */
export interface ReportForm {
  name: string;
  label?: Labels;
  description?: Labels;
  object: string;
  groupings: Array<{ field?: string; unit?: ReportGroupingDef['unit'] }>;
  measures: Array<{ fn: ReportMeasureDef['fn']; field?: string }>;
  filters: Array<{ field?: string; op?: FilterOp; value?: unknown }>;
  chart: ChartType;
}

/** A new report: the object's first groupable field (by month when it is a date), its count, a bar chart. */
export function emptyReport(object: ObjectDef | undefined): ReportDef {
  const first = groupableFields(object).find((f) => f.name !== OWNER) ?? groupableFields(object)[0];
  return {
    name: '', label: {}, object: object?.name ?? '',
    groupings: first ? [{ field: first.name, ...(first.time ? { unit: 'month' as const } : {}) }] : [],
    measures: [{ fn: 'count' }], chart: 'bar',
  };
}

export function toReportForm(report: ReportDef, objects: readonly ObjectDef[]): ReportForm {
  const object = objects.find((o) => o.name === report.object);
  return {
    name: report.name, label: report.label, ...(report.description ? { description: report.description } : {}), object: report.object,
    groupings: report.groupings.map((g) => ({ ...g })),
    measures: report.measures.map((m) => ({ ...m })),
    filters: (report.filters ?? []).map((f) => ({ field: f.field, op: f.op, value: decodeFilterValue(f.value, filterInput(object, f.field, f.op).input, f.op) })),
    chart: report.chart,
  };
}

const hasText = (labels: Labels | undefined): labels is Labels => Boolean(labels && Object.values(labels).some((v) => v));

/**
 * The report the form describes, on top of `original` so what the editor does not show stays.
 * Empty rows (no field picked yet) are left out; a unit only where the field takes one.
 */
export function fromReportForm(form: ReportForm, objects: readonly ObjectDef[], original?: ReportDef): ReportDef {
  const object = objects.find((o) => o.name === form.object);
  const { description: _d, filters: _f, ...kept } = original ?? ({} as Partial<ReportDef>);
  const groupings: ReportGroupingDef[] = form.groupings.flatMap((g) => (g.field ? [needsUnit(object, g.field) ? { field: g.field, unit: g.unit ?? 'month' } : { field: g.field }] : []));
  const measures: ReportMeasureDef[] = form.measures.flatMap((m): ReportMeasureDef[] => (m.fn === 'count' ? [{ fn: 'count' }] : m.field ? [{ fn: m.fn, field: m.field }] : []));
  const filters: ReportFilterDef[] = form.filters.flatMap((f) => (f.field && f.op ? [{ field: f.field, op: f.op, value: encodeFilterValue(f.value) }] : []));
  return {
    ...kept,
    name: form.name, label: form.label ?? {},
    ...(hasText(form.description) ? { description: form.description } : {}),
    object: form.object,
    ...(filters.length ? { filters } : {}),
    groupings, measures, chart: form.chart,
  };
}

/** A dashboard as its form holds it; tiles are edited as they are. */
export interface DashboardForm {
  name: string;
  label?: Labels;
  description?: Labels;
  roles: string[];
  tiles: DashboardTileDef[];
}

export const emptyDashboard = (): DashboardDef => ({ name: '', label: {}, tiles: [] });

export function toDashboardForm(dashboard: DashboardDef): DashboardForm {
  return {
    name: dashboard.name, label: dashboard.label, ...(dashboard.description ? { description: dashboard.description } : {}),
    roles: [...(dashboard.roles ?? [])], tiles: dashboard.tiles.map((t) => ({ ...t })),
  };
}

/** The dashboard the form describes, on top of `original`: no roles means everyone (the key is left out), a blank title the report's label. */
export function fromDashboardForm(form: DashboardForm, original?: DashboardDef): DashboardDef {
  const { description: _d, roles: _r, ...kept } = original ?? ({} as Partial<DashboardDef>);
  return {
    ...kept,
    name: form.name, label: form.label ?? {},
    ...(hasText(form.description) ? { description: form.description } : {}),
    ...(form.roles.length ? { roles: form.roles } : {}),
    tiles: form.tiles.map(({ title, ...tile }) => ({ ...tile, ...(hasText(title) ? { title } : {}) })),
  };
}

/** Dashboards that show a report. */
export function dashboardsShowing(bundle: MetadataBundle, report: string): DashboardDef[] {
  return (bundle.dashboards ?? []).filter((d) => d.tiles.some((t) => t.report === report));
}

/** The bundle with `report` saved at `index` (appended at -1); a renamed report is renamed in the tiles that show it. */
export function saveReport(bundle: MetadataBundle, report: ReportDef, index: number): MetadataBundle {
  const reports = [...(bundle.reports ?? [])];
  const previous = index >= 0 ? reports[index]?.name : undefined;
  if (index >= 0) reports[index] = report;
  else reports.push(report);
  const renamed = previous !== undefined && previous !== report.name;
  const dashboards = renamed && bundle.dashboards
    ? bundle.dashboards.map((d) => ({ ...d, tiles: d.tiles.map((t) => (t.report === previous ? { ...t, report: report.name } : t)) }))
    : bundle.dashboards;
  return { ...bundle, reports, ...(dashboards ? { dashboards } : {}) };
}

/**
 * A form item's status from problems at exactly these places (`groupings/0` and
 * `groupings/0/unit`: the unit a date grouping lacks shows at its unit).
 */
export function statusExactly(problems: readonly PlacedProblem[], ...rests: string[]): { validateStatus?: 'error'; help?: string } {
  const messages = problems.filter((p) => rests.includes(p.rest)).map((p) => p.message);
  return messages.length ? { validateStatus: 'error', help: messages.join('; ') } : {};
}
