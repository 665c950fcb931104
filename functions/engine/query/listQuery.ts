import type { CompiledIndex, CompiledObject } from '../compile/compileObject';
import { EngineError } from '../errors';
import type { Problem } from '../errors';
import { FILTER_OPS } from '../fields';
import type { FilterOp } from '../fields';
import type { FieldDef } from '../metadata/types';
import { BLANK, KEY_END, KEY_SEP, PRESENT, equalityPart, valueKey } from '../records/indexEntries';
import { RECORD_ID } from '../ids';
import { TEXT_KEY_MAX } from '../fields/encoding';

/** Lists return at most this many records per page; the README publishes it. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/**
 * Filters no index serves are applied to what the chosen index returns, reading at most
 * this many items per request; a page may then come back short, with a cursor to go on.
 */
export const MAX_EXAMINED = 1000;

export interface Filter {
  readonly field: string;
  readonly op: FilterOp;
  /** Typed values: one for most operators, several for `in`, two for `between`, none for `isBlank`. */
  readonly values: readonly unknown[];
}

export interface ListRequest {
  readonly filters: readonly Filter[];
  readonly sort: { readonly field: string; readonly descending: boolean } | null;
  readonly limit: number;
  readonly cursor: string | null;
}

/** A key condition on an index's sort key: between two strings, or a prefix. */
export type SortCondition =
  | { readonly kind: 'between'; readonly low: string; readonly high: string }
  | { readonly kind: 'prefix'; readonly prefix: string };

export type IndexChoice =
  | { readonly kind: 'object' }
  | { readonly kind: 'owner'; readonly owner: string }
  /** Several owners' by-owner partitions merged newest first: how a restricted scope lists without reading others' records. */
  | { readonly kind: 'owners'; readonly owners: readonly string[] }
  | { readonly kind: 'slot'; readonly slot: number; readonly name: string; readonly partition: string };

export interface ListPlan {
  readonly object: string;
  readonly index: IndexChoice;
  readonly sortCondition: SortCondition | null;
  readonly descending: boolean;
  /** Filters the key condition does not fully decide, checked on each item read. */
  readonly residual: readonly Filter[];
  readonly limit: number;
  /** Binds a cursor to the query it came from: a cursor is refused under different filters. */
  readonly signature: string;
  /** Human-readable name of what served the list, returned to the caller. */
  readonly servedBy: string;
}

const SYSTEM_FILTERS: Record<string, readonly FilterOp[]> = { owner: ['eq'] };
const SYSTEM_SORTS = new Set(['created_at']);

/**
 * Parses `filter[field]=v`, `filter[field][op]=v`, `sort=-field`, `limit`, `cursor` from a
 * query string map. Every problem is reported at once, at `/filter/<field>/<op>`, `/sort`, `/limit`.
 */
export function parseListRequest(
  object: CompiledObject,
  params: Readonly<Record<string, string | undefined>>,
  /** Fields this caller may filter and sort by; others are answered as unknown. @default all */
  usable: (field: string) => boolean = () => true,
): ListRequest {
  const problems: Problem[] = [];
  const filters: Filter[] = [];
  let sort: ListRequest['sort'] = null;
  let limit = DEFAULT_PAGE_SIZE;
  let cursor: string | null = null;

  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const m = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(key);
    if (m) {
      const field = m[1]!;
      const op = (m[2] ?? 'eq') as FilterOp;
      const path = `/filter/${field}/${op}`;
      const parsed = usable(field) || SYSTEM_FILTERS[field]
        ? parseFilter(object, field, op, raw, path)
        : { problem: { path, code: 'unknownField', message: `cannot filter by unknown field "${field}"`, params: { field } } };
      if ('problem' in parsed) problems.push(parsed.problem);
      else filters.push(parsed.filter);
    } else if (key === 'sort') {
      const descending = raw.startsWith('-');
      const field = descending ? raw.slice(1) : raw;
      if (!SYSTEM_SORTS.has(field) && (!object.fields.has(field) || !usable(field))) {
        problems.push({ path: '/sort', code: 'unknownField', message: `cannot sort by unknown field "${field}"`, params: { field } });
      } else sort = { field, descending };
    } else if (key === 'limit') {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE_SIZE) {
        problems.push({ path: '/limit', code: 'range', message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, params: { max: MAX_PAGE_SIZE } });
      } else limit = n;
    } else if (key === 'cursor') {
      cursor = raw;
    } else {
      problems.push({ path: `/${key}`, code: 'unknownParameter', message: `unknown query parameter "${key}"`, params: { parameter: key } });
    }
  }
  if (problems.length > 0) throw new EngineError('query.invalid', 'The list query is not valid', problems);
  return { filters, sort, limit, cursor };
}

function parseFilter(object: CompiledObject, name: string, op: FilterOp, raw: string, path: string): { filter: Filter } | { problem: Problem } {
  const systemOps = SYSTEM_FILTERS[name];
  const field = object.fields.get(name);
  if (!field && !systemOps) return { problem: { path, code: 'unknownField', message: `cannot filter by unknown field "${name}"`, params: { field: name } } };
  if (!(FILTER_OPS as readonly string[]).includes(op)) return { problem: { path, code: 'unknownOperator', message: `unknown operator "${op}"`, params: { op } } };
  const allowed = systemOps ?? field!.type.operators;
  if (!allowed.includes(op)) {
    return { problem: { path, code: 'operatorNotSupported', message: `${op} is not available for ${field?.def.type ?? name}`, params: { op, allowed } } };
  }
  if (op === 'isBlank') {
    if (raw !== 'true' && raw !== 'false') return { problem: { path, code: 'type', message: 'isBlank takes true or false' } };
    return { filter: { field: name, op, values: [raw === 'true'] } };
  }
  const parts = op === 'in' || op === 'between' ? raw.split(',') : [raw];
  if (op === 'between' && parts.length !== 2) return { problem: { path, code: 'type', message: 'between takes two values: low,high' } };
  if (op === 'in' && (parts.length < 1 || parts.length > 50)) return { problem: { path, code: 'range', message: 'in takes 1 to 50 values' } };
  const values: unknown[] = [];
  for (const part of parts) {
    const value = field ? coerce(field.def, part) : RECORD_ID.test(part) ? part : undefined;
    if (value === undefined) return { problem: { path, code: 'type', message: `"${part}" is not a valid ${field?.def.type ?? 'id'}`, params: { value: part } } };
    values.push(value);
  }
  return { filter: { field: name, op, values } };
}

/** A query-string value as the field's type, or undefined when it is not one. */
function coerce(field: FieldDef, raw: string): unknown {
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : undefined;
    case 'datetime':
      return Number.isNaN(Date.parse(raw)) ? undefined : new Date(raw).toISOString();
    case 'lookup':
    case 'user':
      return RECORD_ID.test(raw) ? raw : undefined;
    default:
      return raw.length <= 1000 ? raw : undefined;
  }
}

const RANGE_OPS = new Set<FilterOp>(['lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'eq', 'isBlank']);

interface Candidate {
  readonly index: CompiledIndex;
  readonly served: Filter[];
  readonly sortCondition: SortCondition | null;
  readonly servesSort: boolean;
}

/**
 * Chooses the index that serves the most of a list request. Equality fields must all be
 * pinned by `eq` (or `isBlank`) filters; the sort field may carry one range. A requested
 * sort must be served by an index — lists are never sorted in memory.
 */
/** Most owners merged per list; a wider restricted scope reads the object index with a bounded owner filter. */
export const MAX_MERGED_OWNERS = 50;

/**
 * @param owners the owners whose records the caller may read, or null for all records.
 */
export function planList(object: CompiledObject, request: ListRequest, owners: readonly string[] | null = null): ListPlan {
  const sortField = request.sort?.field ?? null;
  const candidates: Candidate[] = [];
  for (const index of object.indexes) {
    const c = candidate(index, request.filters, sortField);
    if (c) candidates.push(c);
  }
  candidates.sort((a, b) => Number(b.servesSort) - Number(a.servesSort) || b.served.length - a.served.length);
  const best = candidates[0];

  const ownerFilter = request.filters.find((f) => f.field === 'owner' && f.op === 'eq');
  const bySystem = sortField === null || sortField === 'created_at';
  let index: IndexChoice;
  let served: Filter[] = [];
  let sortCondition: SortCondition | null = null;
  let servedBy: string;

  if (best && (sortField !== null || best.served.length > 0)) {
    index = { kind: 'slot', slot: best.index.slot, name: best.index.name, partition: partitionFor(best.index, request.filters) };
    served = best.served;
    sortCondition = best.sortCondition;
    servedBy = `index:${best.index.name}`;
  } else if (bySystem && ownerFilter) {
    index = { kind: 'owner', owner: String(ownerFilter.values[0]) };
    served = [ownerFilter];
    servedBy = 'owner';
  } else if (bySystem && owners !== null && owners.length <= MAX_MERGED_OWNERS && request.sort?.descending !== false) {
    index = { kind: 'owners', owners: [...owners].sort() };
    servedBy = 'owners';
  } else if (bySystem) {
    index = { kind: 'object' };
    servedBy = 'object';
  } else {
    const sortable = [...SYSTEM_SORTS, ...object.indexes.filter((i) => i.equals.length === 0 && i.sort).map((i) => i.sort!.name)];
    throw new EngineError('query.invalid', `No index serves sorting by ${sortField}`, [
      { path: '/sort', code: 'notSortable', message: `sorting by ${sortField} needs an index; sortable: ${sortable.join(', ')}`, params: { field: sortField, sortable } },
    ]);
  }
  // A served filter is re-checked in memory only where its key can over-match: text keys are cut at
  // TEXT_KEY_MAX characters, so long values may share a key. Exact keys (numbers, dates, picklists) need no check.
  const truncated = (f: Filter) => f.values.some((v) => typeof v === 'string' && v.length >= TEXT_KEY_MAX);
  const residual = request.filters.filter((f) => !served.includes(f) || truncated(f));
  // Scope: records of other owners are never returned. The merged owner index needs no check; every other index does.
  if (owners !== null && index.kind !== 'owners') residual.push({ field: 'owner', op: 'in', values: owners });
  // Without a sort, object and owner lists show the newest first; an index shows its own order.
  const descending = index.kind === 'owners' ? true : request.sort ? request.sort.descending : index.kind !== 'slot';
  const plan = { object: object.name, index, sortCondition, descending, residual, limit: request.limit };
  return { ...plan, servedBy, signature: JSON.stringify([plan.object, index, sortCondition, descending, request.filters]) };
}

function candidate(index: CompiledIndex, filters: readonly Filter[], sortField: string | null): Candidate | null {
  const served: Filter[] = [];
  for (const eqField of index.equals) {
    const f = filters.find((x) => x.field === eqField.name && (x.op === 'eq' || (x.op === 'isBlank' && x.values[0] === true)));
    if (!f) return null;
    served.push(f);
  }
  const servesSort = sortField !== null && index.sort?.name === sortField;
  if (sortField !== null && !servesSort) return null;
  let sortCondition: SortCondition | null = null;
  if (index.sort) {
    const sortFieldDef = index.sort;
    const ranges = filters.filter((x) => x.field === sortFieldDef.name && RANGE_OPS.has(x.op) && !(x.op === 'isBlank' && x.values[0] === false));
    const combined = combineRanges(sortFieldDef, ranges);
    if (combined) {
      sortCondition = combined.condition;
      served.push(...combined.filters);
    }
  }
  if (served.length === 0 && !servesSort) return null;
  return { index, served, sortCondition, servesSort };
}

/** Turns range filters on one field into one key condition (DynamoDB allows one per query). */
function combineRanges(field: FieldDef, filters: readonly Filter[]): { condition: SortCondition; filters: Filter[] } | null {
  const key = (f: Filter, i = 0) => PRESENT + valueKey(field, f.values[i])!;
  for (const f of filters) {
    if (f.op === 'eq') return { condition: { kind: 'prefix', prefix: key(f) + KEY_SEP }, filters: [f] };
    if (f.op === 'isBlank') return { condition: { kind: 'prefix', prefix: BLANK + KEY_SEP }, filters: [f] };
    if (f.op === 'startsWith') return { condition: { kind: 'prefix', prefix: key(f) }, filters: [f] };
  }
  let low = PRESENT;
  let high = PRESENT + '\uffff';
  const used: Filter[] = [];
  for (const f of filters) {
    const candidates: Array<['low' | 'high', string]> =
      f.op === 'gt' ? [['low', key(f) + KEY_END]]
      : f.op === 'gte' ? [['low', key(f)]]
      : f.op === 'lt' ? [['high', key(f)]]
      : f.op === 'lte' ? [['high', key(f) + KEY_END]]
      : f.op === 'between' ? [['low', key(f, 0)], ['high', key(f, 1) + KEY_END]]
      : [];
    for (const [side, bound] of candidates) {
      if (side === 'low' && bound > low) low = bound;
      if (side === 'high' && bound < high) high = bound;
    }
    if (candidates.length > 0) used.push(f);
  }
  if (used.length === 0) return null;
  return { condition: { kind: 'between', low, high: high < low ? low : high }, filters: used };
}

function partitionFor(index: CompiledIndex, filters: readonly Filter[]): string {
  return [
    index.name,
    ...index.equals.map((f) => {
      const filter = filters.find((x) => x.field === f.name && (x.op === 'eq' || x.op === 'isBlank'))!;
      return equalityPart(filter.op === 'isBlank' ? null : valueKey(f, filter.values[0]));
    }),
  ].join(KEY_SEP);
}
