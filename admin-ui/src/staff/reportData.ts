/**
 * Reports in the staff app, without React: the shapes the reports API answers, what a chart
 * draws from a result (rows per group, a series per measure or per second grouping), how a
 * time bucket reads in the user's language, the list a data point drills down to, and the
 * API calls (kept here, out of the staff shell's `staffApi` chunk: only the Reports page runs reports).
 */
import type { AggregateGroup, Key } from '../../../functions/engine/reports/groupedAggregate';
import type { TimeUnit } from '../../../functions/engine/reports/timeBuckets';
import { api } from '../api';
import type { ViewFilter } from './listQuery';
import { listParams, searchFromState } from './listQuery';

export type ChartType = 'bar' | 'column' | 'line' | 'pie' | 'funnel' | 'table';
export type Measure = { fn: 'count' } | { fn: 'sum' | 'avg' | 'min' | 'max'; field: string };
type Labels = { en?: string; 'zh-CN'?: string };

export interface ReportView {
  readonly name: string;
  readonly label: Labels;
  readonly description?: Labels;
  readonly object: string;
  readonly filters: readonly ViewFilter[];
  readonly groupings: ReadonlyArray<{ field: string; unit?: TimeUnit }>;
  readonly measures: readonly Measure[];
  readonly chart: ChartType;
  readonly runnable: boolean;
}

export interface DashboardView {
  readonly name: string;
  readonly label: Labels;
  readonly description?: Labels;
  readonly tiles: ReadonlyArray<{ report: ReportView; title: Labels; width: 'half' | 'full' }>;
}

export type { Key, TimeUnit };
/** One group of a result, as the aggregate engine answers it (every member is JSON as it is). */
export type ResultGroup = AggregateGroup;

export interface ReportResult {
  readonly dimensions: ReadonlyArray<{ field: string; unit: TimeUnit | null; keys: readonly Key[]; filters?: Readonly<Record<string, readonly ViewFilter[]>> }>;
  readonly groups: readonly ResultGroup[];
  readonly total: number;
  readonly complete: boolean;
}

/** `count`, `sum:amount`: a measure's column name in rows. */
export const measureId = (m: Measure): string => (m.fn === 'count' ? 'count' : `${m.fn}:${m.field}`);

export function measureValue(g: ResultGroup, m: Measure): number | null {
  if (m.fn === 'count') return g.count;
  const v = g[m.fn]?.[m.field];
  return v === undefined ? null : v;
}

/**
 * What a chart draws: the measures of the same kind as the first (a count beside an amount
 * would share no axis), or — with two groupings — the first measure split by the second grouping.
 */
export function seriesOf(report: Pick<ReportView, 'groupings' | 'measures'>, result: ReportResult): Array<{ id: string; measure: Measure; key?: Key }> {
  const first = report.measures[0];
  if (!first) return [];
  if (report.groupings.length > 1) return (result.dimensions[1]?.keys ?? []).map((k) => ({ id: `s:${String(k)}`, measure: first, key: k }));
  const counting = first.fn === 'count';
  return report.measures.filter((m) => (m.fn === 'count') === counting).map((m) => ({ id: measureId(m), measure: m }));
}

export interface ChartRow {
  /** The first grouping's key. */
  readonly key: Key;
  readonly [series: string]: number | Key;
}

/** One row per key of the first grouping, in the API's order, with a column per series (0 where a second-grouping cell is empty). */
export function chartRows(report: Pick<ReportView, 'groupings' | 'measures'>, result: ReportResult): ChartRow[] {
  const series = seriesOf(report, result);
  const keys = result.dimensions[0]?.keys ?? result.groups.map((g) => g.key);
  return keys.map((key) => {
    const row: Record<string, number | Key> = { key };
    for (const s of series) {
      const group = result.groups.find((g) => g.key === key && (s.key === undefined || g.keys?.[1] === s.key));
      row[s.id] = group ? (measureValue(group, s.measure) ?? 0) : 0;
    }
    return row as ChartRow;
  });
}

/** A time bucket as people read it: `Mar 2026`, `2026年3月`, `Q1 2026`, `2026年第1季度`. */
export function timeKeyLabel(key: string, unit: TimeUnit, language: 'en' | 'zh-CN'): string {
  const zh = language === 'zh-CN';
  if (unit === 'month') {
    const [y, m] = key.split('-');
    return zh ? `${y}年${Number(m)}月` : `${new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${y}`;
  }
  if (unit === 'quarter') {
    const [y, q] = key.split('-Q');
    return zh ? `${y}年第${q}季度` : `Q${q} ${y}`;
  }
  if (unit === 'week') {
    const [y, w] = key.split('-W');
    return zh ? `${y}年第${Number(w)}周` : `W${Number(w)} ${y}`;
  }
  if (unit === 'year') return zh ? `${key}年` : key;
  return key;
}

/**
 * The list filters behind one data point: the report's filters, then per grouping its key —
 * a time bucket's range (from the API), a value, or blank. A report filter on a grouped
 * field gives way to the point's own (the list shows one filter per field and operator).
 */
export function drillFilters(report: Pick<ReportView, 'filters' | 'groupings'>, result: Pick<ReportResult, 'dimensions'>, keys: readonly Key[]): ViewFilter[] {
  const own: ViewFilter[] = [];
  report.groupings.forEach((g, i) => {
    const key = keys[i];
    if (key === undefined) return;
    if (key === null) own.push({ field: g.field, op: 'isBlank', value: 'true' });
    else if (g.unit) own.push(...(result.dimensions[i]?.filters?.[key] ?? []));
    else own.push({ field: g.field, op: 'eq', value: key });
  });
  const grouped = new Set(report.groupings.filter((g) => !g.unit).map((g) => g.field));
  const kept = report.filters.filter((f) => !grouped.has(f.field) && !own.some((o) => o.field === f.field && o.op === f.op));
  return [...kept, ...own];
}

/** The staff app's list of an object under filters. */
export const listUrl = (object: string, filters: readonly ViewFilter[]): string => `/app/o/${object}?${searchFromState({ filters, sort: null })}`;

/** The aggregate query string a report of the user's own choosing runs as (`groupBy`, measures, filters). */
export function adHocQuery(report: Pick<ReportView, 'filters' | 'groupings' | 'measures'>): Record<string, string> {
  const out: Record<string, string> = { groupBy: report.groupings.map((g) => (g.unit ? `${g.field}:${g.unit}` : g.field)).join(',') };
  for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
    const fields = report.measures.flatMap((m) => (m.fn === fn ? [m.field] : []));
    if (fields.length) out[fn] = [...new Set(fields)].join(',');
  }
  return out;
}

/** Reports and dashboards (`GET /api/dashboards`, `GET /api/reports/{name}/run`), run with the caller's permissions. */
export const listDashboards = async () => (await api<{ items: DashboardView[] }>('/api/dashboards')).data.items;
export const runReport = async (name: string, filters: readonly ViewFilter[] = []) =>
  (await api<{ report: ReportView; result: ReportResult }>(`/api/reports/${encodeURIComponent(name)}/run${filters.length ? `?${listParams({ filters, sort: null })}` : ''}`)).data;
/** A report of the user's own choosing, through the aggregate API. */
export const runAdHoc = async (object: string, filters: readonly ViewFilter[], query: Readonly<Record<string, string>>) =>
  (await api<ReportResult>(`/api/objects/${encodeURIComponent(object)}/aggregate?${listParams({ filters, sort: null }, query)}`)).data;

