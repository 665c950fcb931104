import type { CompiledObject } from '../compile/compileObject';
import type { Problem } from '../errors';
import type { FieldType } from '../metadata/types';
import type { TimeUnit } from './timeBuckets';
import { bucketFilters, bucketOf, bucketRange, isTimeUnit, TIME_UNITS } from './timeBuckets';

/*
 * Grouped aggregates over records as a caller sees them: one or two dimensions (a picklist,
 * boolean, user, lookup, text field or the owner; a date or datetime field per time unit),
 * count and the sum, average, minimum and maximum of numeric fields. Pure: the caller feeds
 * the records it read (through the list path, so scope and field access are already applied).
 */

/** Field types a dimension groups by as they are; dates and datetimes group by a time unit. */
export const GROUPABLE_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['picklist', 'boolean', 'user', 'lookup', 'text', 'auto-number']);
export const TIME_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['date', 'datetime']);
/** Roll-ups are numbers whatever they summarise (count, sum, average, minimum, maximum). */
export const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['number', 'currency', 'percent', 'rollup']);
/** Two dimensions are enough for a trend per category (month × stage); more is a pivot table, not a chart. */
export const MAX_DIMENSIONS = 2;
/** Buckets listed between the first and the last value; a wider range lists only the buckets that have records. */
export const MAX_TIME_BUCKETS = 1000;

export interface Dimension {
  readonly field: string;
  readonly type: FieldType | 'owner';
  readonly unit: TimeUnit | null;
}

export interface Measures {
  readonly sum: readonly string[];
  readonly avg: readonly string[];
  readonly min: readonly string[];
  readonly max: readonly string[];
}

export type Key = string | null;

export interface AggregateGroup {
  /** The first dimension's key (null: records without a value). */
  readonly key: Key;
  /** Every dimension's key, when there are two. */
  readonly keys?: readonly Key[];
  readonly count: number;
  readonly sum: Record<string, number>;
  readonly avg: Record<string, number | null>;
  readonly min?: Record<string, number | null>;
  readonly max?: Record<string, number | null>;
  /** With `sla`: how many of the group's records are near or past their state's service level. */
  readonly sla?: { readonly near: number; readonly breached: number };
}

export interface DimensionAnswer {
  readonly field: string;
  readonly unit: TimeUnit | null;
  /** The dimension's keys in order: option order, time order (empty buckets inside the range included), null last. */
  readonly keys: readonly Key[];
  /** For a time dimension: the list filters that select each bucket's records (drill-down). */
  readonly filters?: Readonly<Record<string, ReadonlyArray<{ field: string; op: string; value: string }>>>;
}

/**
 * Reads `groupBy` — `field`, `field:unit` or two of them comma-separated — against the
 * object as the caller may see it. Problems are at `/groupBy`, each with a stable code.
 */
export function parseGroupBy(object: CompiledObject, raw: string | undefined, visible: (field: string) => boolean): { dimensions: Dimension[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const dimensions: Dimension[] = [];
  if (raw === undefined || raw === '') return { dimensions, problems };
  const parts = raw.split(',');
  if (parts.length > MAX_DIMENSIONS) {
    problems.push({ path: '/groupBy', code: 'tooManyGroupings', message: `group by at most ${MAX_DIMENSIONS} fields`, params: { max: MAX_DIMENSIONS } });
    return { dimensions, problems };
  }
  for (const part of parts) {
    const [field = '', unit, ...rest] = part.split(':');
    const def = object.fields.get(field)?.def;
    if (field === 'owner' && unit === undefined) {
      dimensions.push({ field, type: 'owner', unit: null });
    } else if (!def || !visible(field) || rest.length > 0 || (!GROUPABLE_TYPES.has(def.type) && !TIME_TYPES.has(def.type))) {
      problems.push({ path: '/groupBy', code: 'notGroupable', message: `${field || part} is not a visible field to group by (picklist, boolean, user, lookup, text, date or datetime) nor owner`, params: { field: field || part } });
    } else if (TIME_TYPES.has(def.type)) {
      if (unit === undefined) problems.push({ path: '/groupBy', code: 'timeUnitRequired', message: `group ${field} by a time unit: ${field}:${TIME_UNITS.join('|')}`, params: { field, units: TIME_UNITS } });
      else if (!isTimeUnit(unit)) problems.push({ path: '/groupBy', code: 'unknownTimeUnit', message: `"${unit}" is not one of ${TIME_UNITS.join(', ')}`, params: { field, unit, units: TIME_UNITS } });
      else dimensions.push({ field, type: def.type, unit });
    } else if (unit !== undefined) {
      problems.push({ path: '/groupBy', code: 'notTimeField', message: `${field} is a ${def.type} field: only date and datetime fields group by a time unit`, params: { field, unit } });
    } else dimensions.push({ field, type: def.type, unit: null });
  }
  if (dimensions.length === 2 && dimensions[0]!.field === dimensions[1]!.field) problems.push({ path: '/groupBy', code: 'duplicate', message: 'group by two different fields', params: { field: dimensions[0]!.field } });
  return { dimensions, problems };
}

interface Cell {
  readonly keys: Key[];
  count: number;
  sum: Record<string, number>;
  n: Record<string, number>;
  min: Record<string, number>;
  max: Record<string, number>;
  near: number;
  breached: number;
}

/** Accumulates records into groups, then answers them in order. One per aggregate request. */
export class GroupedAggregate {
  private readonly cells = new Map<string, Cell>();
  private readonly numeric: readonly string[];

  constructor(
    private readonly object: CompiledObject,
    private readonly dimensions: readonly Dimension[],
    private readonly measures: Measures,
    /** IANA zone the time buckets are read in. */
    private readonly timeZone: string,
    /** Count the records near or past their service level (records carry `_sla`, see `slaMark`). */
    private readonly sla = false,
  ) {
    this.numeric = [...new Set([...measures.sum, ...measures.avg, ...measures.min, ...measures.max])];
  }

  private keyOf(d: Dimension, record: Readonly<Record<string, unknown>>): Key {
    const raw = record[d.field];
    if (d.unit) return bucketOf(raw, d.type as 'date' | 'datetime', d.unit, this.timeZone);
    return raw === undefined || raw === null || raw === '' ? null : String(raw);
  }

  add(record: Readonly<Record<string, unknown>>): void {
    const keys = this.dimensions.map((d) => this.keyOf(d, record));
    const id = JSON.stringify(keys);
    let cell = this.cells.get(id);
    if (!cell) this.cells.set(id, (cell = { keys, count: 0, sum: {}, n: {}, min: {}, max: {}, near: 0, breached: 0 }));
    cell.count++;
    const status = (record._sla as { status?: string } | null | undefined)?.status;
    if (status === 'near') cell.near++;
    else if (status === 'breached') cell.breached++;
    for (const f of this.numeric) {
      const v = record[f];
      if (typeof v !== 'number') continue;
      cell.sum[f] = (cell.sum[f] ?? 0) + v;
      cell.n[f] = (cell.n[f] ?? 0) + 1;
      cell.min[f] = Math.min(cell.min[f] ?? Infinity, v);
      cell.max[f] = Math.max(cell.max[f] ?? -Infinity, v);
    }
  }

  /** The keys of one dimension in order; a time dimension lists every bucket from its first to its last. */
  private dimensionKeys(i: number): DimensionAnswer {
    const d = this.dimensions[i]!;
    const present = [...new Set([...this.cells.values()].map((c) => c.keys[i] ?? null))];
    const blank: Key[] = present.includes(null) ? [null] : [];
    const values = present.filter((k): k is string => k !== null);
    if (d.unit) {
      values.sort();
      const range = values.length ? bucketRange(values[0]!, values[values.length - 1]!, d.unit, MAX_TIME_BUCKETS + 1) : [];
      const keys = range.length <= MAX_TIME_BUCKETS ? range : values;
      const filters = Object.fromEntries(keys.map((k) => [k, bucketFilters(d.field, d.type as 'date' | 'datetime', k, d.unit!, this.timeZone)]));
      return { field: d.field, unit: d.unit, keys: [...keys, ...blank], filters };
    }
    const def = this.object.fields.get(d.field)?.def;
    const order = def?.type === 'picklist' ? def.options.map((o) => o.value) : [];
    const rank = (k: string) => order.indexOf(k) + 1 || 1e9;
    values.sort((a, b) => rank(a) - rank(b) || (def?.type === 'boolean' ? b.localeCompare(a) : a.localeCompare(b)));
    return { field: d.field, unit: null, keys: [...values, ...blank] };
  }

  result(): { dimensions: DimensionAnswer[]; groups: AggregateGroup[] } {
    const dimensions = this.dimensions.map((_, i) => this.dimensionKeys(i));
    const group = (c: Cell): AggregateGroup => ({
      key: c.keys[0] ?? null,
      ...(this.dimensions.length > 1 ? { keys: c.keys } : {}),
      count: c.count,
      sum: Object.fromEntries(this.measures.sum.map((f) => [f, c.sum[f] ?? 0])),
      avg: Object.fromEntries(this.measures.avg.map((f) => [f, c.n[f] ? c.sum[f]! / c.n[f]! : null])),
      // Minimums and maximums only when asked for: answers to older clients keep their shape.
      ...(this.measures.min.length ? { min: Object.fromEntries(this.measures.min.map((f) => [f, c.min[f] ?? null])) } : {}),
      ...(this.measures.max.length ? { max: Object.fromEntries(this.measures.max.map((f) => [f, c.max[f] ?? null])) } : {}),
      ...(this.sla ? { sla: { near: c.near, breached: c.breached } } : {}),
    });
    const empty = (keys: Key[]): Cell => ({ keys, count: 0, sum: {}, n: {}, min: {}, max: {}, near: 0, breached: 0 });
    if (this.dimensions.length === 0) return { dimensions, groups: [...this.cells.values()].map(group) };
    if (this.dimensions.length === 1) {
      // One dimension: every key of it is a group, the empty time buckets with zero counts.
      return { dimensions, groups: dimensions[0]!.keys.map((k) => group(this.cells.get(JSON.stringify([k])) ?? empty([k]))) };
    }
    const [first, second] = dimensions as [DimensionAnswer, DimensionAnswer];
    const groups: AggregateGroup[] = [];
    for (const a of first.keys) for (const b of second.keys) {
      const cell = this.cells.get(JSON.stringify([a, b]));
      if (cell) groups.push(group(cell));
    }
    return { dimensions, groups };
  }
}
