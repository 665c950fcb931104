import { EngineError } from '../../engine/errors';
import type { DashboardDef, Labels, MetadataBundle, ReportDef } from '../../engine/metadata/types';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import { seesInClear } from '../../engine/permissions/recordView';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { aggregateRecords } from './aggregate';
import type { AggregateAnswer } from './aggregate';
import { currentBundle } from './currentBundle';
import type { CompiledBundle } from '../../engine/compile/compileBundle';

/*
 * Reports and dashboards, free of HTTP. A report runs as the aggregate API does, as the
 * caller: through the list path (index, scope, field access), so records they cannot see are
 * not counted. A report on an object they cannot read does not exist for them (404); one that
 * groups, measures or filters by a field hidden (or masked) from them is refused (403) without
 * naming the field. Dashboards are shown to their audience roles; their tiles are the
 * reports the viewer may run.
 */

/** A report as listed to one caller. */
export interface ReportView extends ReportDef {
  /** False when the report uses a field hidden from the caller: running it answers 403. */
  readonly runnable: boolean;
}

const notFound = (what: 'report' | 'dashboard', name: string) => new EngineError('report.notFound', `There is no ${what} "${name}"`, [], { [what]: name });

/** Every field a report reads: its groupings (but the owner), measures and filters. */
const fieldsOf = (r: ReportDef): string[] => [
  ...r.groupings.map((g) => g.field),
  ...r.measures.flatMap((m) => (m.fn === 'count' ? [] : [m.field])),
  ...(r.filters ?? []).map((f) => f.field),
].filter((f) => f !== 'owner');

/** The report as this caller may know it, or null when its object is unreadable to them. */
function viewOf(bundle: CompiledBundle, user: UserContext, report: ReportDef): ReportView | null {
  if (!bundle.hasObject(report.object)) return null;
  const access = bundle.access(user.roles).object(report.object);
  if (!access.can.read) return null;
  const object = bundle.object(report.object);
  return { ...report, filters: report.filters ?? [], runnable: fieldsOf(report).every((f) => seesInClear(object, access, f)) };
}

const reportsOf = (bundle: MetadataBundle): readonly ReportDef[] => bundle.reports ?? [];

export async function listReports(services: Services, user: UserContext): Promise<{ items: ReportView[] }> {
  const bundle = await currentBundle(services, user.tenantId);
  return { items: reportsOf(bundle.bundle).map((r) => viewOf(bundle, user, r)).filter((r): r is ReportView => r !== null) };
}

/** The aggregate query a report stands for, with the caller's extra filters (one per field and operator: the caller's replaces the report's). */
export function reportQuery(report: ReportDef, extra: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const f of report.filters ?? []) query[`filter[${f.field}][${f.op}]`] = f.value;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) query[/^filter\[[^\]]+\]$/.test(k) ? `${k}[eq]` : k] = v;
  query.groupBy = report.groupings.map((g) => (g.unit ? `${g.field}:${g.unit}` : g.field)).join(',');
  for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
    const fields = [...new Set(report.measures.flatMap((m) => (m.fn === fn ? [m.field] : [])))];
    if (fields.length) query[fn] = fields.join(',');
  }
  return query;
}

export async function runReport(services: Services, user: UserContext, name: string, query: Readonly<Record<string, string | undefined>>): Promise<{ report: ReportView; result: AggregateAnswer }> {
  const bundle = await currentBundle(services, user.tenantId);
  const def = reportsOf(bundle.bundle).find((r) => r.name === name);
  const report = def ? viewOf(bundle, user, def) : null;
  if (!report) throw notFound('report', name);
  if (!report.runnable) throw new EngineError('access.denied', 'This report uses fields you may not see', [], { report: name });
  const unknown = Object.keys(query).filter((k) => !k.startsWith('filter['));
  if (unknown.length) throw new EngineError('query.invalid', 'A report takes extra filters only', unknown.map((k) => ({ path: `/${k}`, code: 'unknownParameter', message: `unknown query parameter "${k}"`, params: { parameter: k } })));
  return { report, result: await aggregateRecords(services, user, report.object, reportQuery(report, query)) };
}

export interface DashboardView {
  readonly name: string;
  readonly label: Labels;
  readonly description?: Labels;
  readonly tiles: ReadonlyArray<{ readonly report: ReportView; readonly title: Labels; readonly width: 'half' | 'full' }>;
}

const inAudience = (d: DashboardDef, user: UserContext) => !d.roles?.length || user.roles.includes(BUILT_IN_ADMIN) || d.roles.some((r) => user.roles.includes(r));

function dashboardView(bundle: CompiledBundle, user: UserContext, d: DashboardDef): DashboardView {
  const reports = new Map(reportsOf(bundle.bundle).map((r) => [r.name, r] as const));
  const tiles = d.tiles.flatMap((tile) => {
    const def = reports.get(tile.report);
    const report = def ? viewOf(bundle, user, def) : null;
    return report ? [{ report, title: tile.title ?? report.label, width: tile.width ?? 'half' }] : [];
  });
  return { name: d.name, label: d.label, ...(d.description ? { description: d.description } : {}), tiles };
}

/** Dashboards shown to the caller (their audience roles; administrators see all), in metadata order, with the tiles the caller may see. */
export async function listDashboards(services: Services, user: UserContext): Promise<{ items: DashboardView[] }> {
  const bundle = await currentBundle(services, user.tenantId);
  return { items: (bundle.bundle.dashboards ?? []).filter((d) => inAudience(d, user)).map((d) => dashboardView(bundle, user, d)) };
}

export async function getDashboard(services: Services, user: UserContext, name: string): Promise<DashboardView> {
  const bundle = await currentBundle(services, user.tenantId);
  const d = (bundle.bundle.dashboards ?? []).find((x) => x.name === name);
  if (!d || !inAudience(d, user)) throw notFound('dashboard', name);
  return dashboardView(bundle, user, d);
}
