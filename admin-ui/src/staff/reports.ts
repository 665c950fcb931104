/** Dashboards from the aggregate API: which charts an object offers, and where a bar drills down to. */
import type { ObjectDef } from '../types';
import { boardField } from './board';
import { isClosedValue } from './home';
import type { ViewFilter } from './listQuery';
import { searchFromState, sumFields } from './listQuery';

export interface ChartSpec {
  readonly id: string;
  readonly object: string;
  readonly groupBy: string;
  /** A numeric field summed per group (bars show it when set, counts otherwise). */
  readonly sum: string | null;
  readonly filters: ViewFilter[];
  /** `funnel`: groups in the field's option order, as stages; `bars`: largest first. */
  readonly kind: 'funnel' | 'bars';
}

/**
 * The charts a CRM dashboard shows, from the metadata: for an object with stages and an amount,
 * the funnel by stage and the open pipeline by owner; for one with a status, records by status.
 */
export function dashboardCharts(objects: readonly ObjectDef[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const o of objects) {
    const field = boardField(o);
    if (!field) continue;
    const sum = sumFields(o)[0] ?? null;
    if (field.name === 'stage' && sum) {
      out.push({ id: `${o.name}-funnel`, object: o.name, groupBy: field.name, sum, filters: [], kind: 'funnel' });
      const open = field.options.filter((x) => !x.inactive && !isClosedValue(x.value)).map((x) => x.value);
      out.push({ id: `${o.name}-owner`, object: o.name, groupBy: 'owner', sum, filters: open.length ? [{ field: field.name, op: 'in', value: open.join(',') }] : [], kind: 'bars' });
    } else if (['lead', 'service_request', 'campaign', 'activity'].includes(o.name) || (field.name === 'status' && !sum)) {
      out.push({ id: `${o.name}-${field.name}`, object: o.name, groupBy: field.name, sum: null, filters: [], kind: 'bars' });
    }
  }
  return out;
}

/** The list a bar stands for: the chart's filters plus the bar's group (blank for the group of records without a value). */
export function drillDown(chart: Pick<ChartSpec, 'object' | 'groupBy' | 'filters'>, key: string | null): string {
  const filters: ViewFilter[] = [...chart.filters.filter((f) => f.field !== chart.groupBy), key === null ? { field: chart.groupBy, op: 'isBlank', value: 'true' } : { field: chart.groupBy, op: 'eq', value: key }];
  return `/app/o/${chart.object}?${searchFromState({ filters, sort: null })}`;
}
