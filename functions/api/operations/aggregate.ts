import { EngineError } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { seesInClear } from '../../engine/permissions/recordView';
import { GroupedAggregate, NUMERIC_TYPES, parseGroupBy } from '../../engine/reports/groupedAggregate';
import type { AggregateGroup, DimensionAnswer } from '../../engine/reports/groupedAggregate';
import { tenantTimeZone } from '../../engine/time/tenantDay';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { listRecords, target } from './records';
import type { RecordList } from './records';

/** Aggregates read at most this many records; beyond it the answer says it is partial. */
export const MAX_AGGREGATE_RECORDS = 10_000;

export interface AggregateAnswer {
  /** The `groupBy` asked for, as given (null: one group of everything). */
  readonly groupBy: string | null;
  readonly dimensions: DimensionAnswer[];
  readonly groups: AggregateGroup[];
  readonly total: number;
  readonly complete: boolean;
  readonly servedBy: string;
  readonly timeZone: string;
}

const MEASURES = ['sum', 'avg', 'min', 'max'] as const;

/**
 * Count, and sum, average, minimum and maximum of numeric fields, grouped by one or two
 * dimensions (a picklist, boolean, user, lookup or text field, the owner, or a date or
 * datetime field per day, week, month, quarter or year in the tenant's zone) over a
 * filtered list. It reads the list as the caller may see it (same index choice, scope and
 * field access), page by page, up to MAX_AGGREGATE_RECORDS, and says whether it saw everything.
 * With `sla=true` each group also counts its records near or past their state's service level (board columns).
 */
export async function aggregateRecords(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>): Promise<AggregateAnswer> {
  const t = await target(services, user, objectName);
  const { groupBy, sum, avg, min, max, sla, ...listQuery } = query;
  const visible = (f: string) => seesInClear(t.object, t.access, f);
  const { dimensions, problems } = parseGroupBy(t.object, groupBy, visible);
  const numericList = (raw: string | undefined, name: string): string[] => {
    const fields = raw ? raw.split(',') : [];
    for (const f of fields) {
      const def = t.object.fields.get(f)?.def;
      if (!(def && visible(f) && NUMERIC_TYPES.has(def.type))) problems.push({ path: `/${name}`, code: 'notNumeric', message: `${f} is not a visible number, currency or percent field`, params: { field: f } } satisfies Problem);
    }
    return fields;
  };
  const measures = Object.fromEntries(MEASURES.map((m) => [m, numericList({ sum, avg, min, max }[m], m)])) as Record<(typeof MEASURES)[number], string[]>;
  if (listQuery.cursor !== undefined || listQuery.limit !== undefined || listQuery.sort !== undefined) problems.push({ path: '/cursor', code: 'unknownParameter', message: 'aggregates take filters only' });
  if (sla !== undefined && sla !== 'true' && sla !== 'false') problems.push({ path: '/sla', code: 'type', message: 'sla takes true or false' });
  if (problems.length) throw new EngineError('query.invalid', 'The aggregate query is not valid', problems);

  const timeZone = tenantTimeZone(t.bundle.bundle);
  const aggregate = new GroupedAggregate(t.object, dimensions, measures, timeZone, sla === 'true');
  let seen = 0;
  let cursor: string | null = null;
  let servedBy = '';
  do {
    const page: RecordList = await listRecords(services, user, objectName, { ...listQuery, limit: '200', ...(sla === 'true' ? { sla } : {}), ...(cursor ? { cursor } : {}) });
    servedBy = page.servedBy;
    for (const r of page.records) aggregate.add(r);
    seen += page.records.length;
    cursor = page.nextCursor;
  } while (cursor && seen < MAX_AGGREGATE_RECORDS);
  return { groupBy: groupBy ?? null, ...aggregate.result(), total: seen, complete: cursor === null, servedBy, timeZone };
}
