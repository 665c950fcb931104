/**
 * What a list view may offer, from the object's metadata alone: the filters and sorts the
 * list API serves (the planner in `functions/engine/query/listQuery.ts` decides; this mirrors
 * its rules, and `test/unit/staffList.test.ts` checks every offer against the planner), and
 * the query string of a view.
 */
import type { FieldDef, FieldType, ObjectDef } from '../types';

export type FilterOp = 'eq' | 'ne' | 'in' | 'lt' | 'lte' | 'gt' | 'gte' | 'between' | 'startsWith' | 'isBlank';

const TEXT_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'isBlank'];
const ORDERED_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'isBlank'];
const EQUALITY_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'isBlank'];

/** The operators the API accepts per field type (the engine's field registry; a unit test keeps them equal). */
export const OPERATORS: Readonly<Record<FieldType, readonly FilterOp[]>> = {
  text: TEXT_OPS,
  textarea: ['isBlank'],
  number: ORDERED_OPS,
  currency: ORDERED_OPS,
  percent: ORDERED_OPS,
  date: ORDERED_OPS,
  datetime: ORDERED_OPS,
  boolean: ['eq', 'ne', 'isBlank'],
  email: TEXT_OPS,
  phone: [...EQUALITY_OPS, 'startsWith'],
  url: EQUALITY_OPS,
  picklist: EQUALITY_OPS,
  'multi-picklist': ['isBlank'],
  lookup: EQUALITY_OPS,
  user: EQUALITY_OPS,
  'auto-number': TEXT_OPS,
  formula: [...new Set([...ORDERED_OPS, ...TEXT_OPS])],
  rollup: [],
};

export interface ViewFilter {
  readonly field: string;
  readonly op: FilterOp;
  /** As the query string carries it: `a,b` for `in` and `between`, `true`/`false` for `isBlank`. */
  readonly value: string;
}

export interface ListState {
  readonly filters: readonly ViewFilter[];
  /** `field` or `-field`; null: the list's own order (newest first). */
  readonly sort: string | null;
  readonly limit?: number;
  readonly cursor?: string | null;
}

type Indexable = Pick<ObjectDef, 'fields' | 'indexes'>;

/** The object's indexes as the engine compiles them: declared ones, and one per `indexed` field. */
export function indexesOf(object: Indexable): Array<{ name: string; equals: string[]; sort?: string }> {
  return [...(object.indexes ?? []), ...object.fields.filter((f) => f.indexed).map((f) => ({ name: f.name, equals: [], sort: f.name }))];
}

/** A formula that calls TODAY() or NOW() is computed on read: nothing is stored to filter or sort on. */
const volatile = (f: FieldDef) => f.type === 'formula' && /\b(TODAY|NOW)\s*\(/i.test(f.expression);

/** Whether the list API lets anyone filter on the field at all (sensitive fields never: a filter would reveal them). */
const usable = (f: FieldDef) => !f.sensitive && !volatile(f) && OPERATORS[f.type].length > 0;

export interface FilterOffer {
  readonly field: string;
  readonly ops: readonly FilterOp[];
  /** Operators an index serves on its own (equality on an equality field, ranges on a sort field); the rest are bounded filters over what an index returns. */
  readonly indexedOps: readonly FilterOp[];
}

const RANGE: readonly FilterOp[] = ['eq', 'lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'isBlank'];

/**
 * Filters offered in list views: fields some index of the object reads (an equality field of
 * a declared index, or an index's sort field), and the owner. A filter on any other field
 * would read through records no index narrows down, so it is not offered.
 */
export function filterOffers(object: Indexable): FilterOffer[] {
  const offers = new Map<string, Set<FilterOp>>();
  for (const index of indexesOf(object)) {
    for (const name of index.equals) (offers.get(name) ?? offers.set(name, new Set()).get(name)!).add('eq');
    if (index.sort) for (const op of RANGE) (offers.get(index.sort) ?? offers.set(index.sort, new Set()).get(index.sort)!).add(op);
  }
  const out: FilterOffer[] = [];
  for (const f of object.fields) {
    const indexed = offers.get(f.name);
    if (!indexed || !usable(f)) continue;
    const ops = OPERATORS[f.type];
    out.push({ field: f.name, ops, indexedOps: ops.filter((op) => indexed.has(op)) });
  }
  out.push({ field: 'owner', ops: ['eq'], indexedOps: ['eq'] });
  return out;
}

/**
 * Sorts the list API serves under these filters: creation time, any single-field index, and
 * the sort field of a declared index whose equality fields the filters all pin with `eq`
 * (DynamoDB reads one partition of it, in order). Anything else is refused with 400.
 */
export function sortOptions(object: Indexable, filters: readonly ViewFilter[]): string[] {
  const fields = new Map(object.fields.map((f) => [f.name, f] as const));
  const pinned = (name: string) => filters.some((f) => f.field === name && (f.op === 'eq' || (f.op === 'isBlank' && f.value === 'true')));
  const out = ['created_at'];
  for (const index of indexesOf(object)) {
    if (!index.sort || out.includes(index.sort)) continue;
    const field = fields.get(index.sort);
    if (!field || !usable(field)) continue;
    if (index.equals.every(pinned)) out.push(index.sort);
  }
  return out;
}

/** Drops a sort the filters no longer allow (after a filter is removed). */
export function validSort(object: Indexable, filters: readonly ViewFilter[], sort: string | null): string | null {
  if (sort === null) return null;
  return sortOptions(object, filters).includes(sort.replace(/^-/, '')) ? sort : null;
}

/** `filter[field][op]=value&sort=…&limit=…&cursor=…` (URL-encoded). */
export function listParams(state: ListState, extra: Readonly<Record<string, string>> = {}): string {
  const params = new URLSearchParams();
  for (const f of state.filters) params.append(`filter[${f.field}][${f.op}]`, f.value);
  if (state.sort) params.set('sort', state.sort);
  if (state.limit) params.set('limit', String(state.limit));
  if (state.cursor) params.set('cursor', state.cursor);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** A list's state in the page URL (`?f=field.op.value&s=-field&v=viewId`), so a view can be bookmarked and shared. */
export function stateFromSearch(search: URLSearchParams): { filters: ViewFilter[]; sort: string | null; view: string | null } {
  const filters: ViewFilter[] = [];
  for (const raw of search.getAll('f')) {
    const m = /^([a-z][a-z0-9_]*)\.([a-zA-Z]+)\.(.*)$/s.exec(raw);
    if (m) filters.push({ field: m[1]!, op: m[2] as FilterOp, value: m[3]! });
  }
  return { filters, sort: search.get('s'), view: search.get('v') };
}

export function searchFromState(state: { filters: readonly ViewFilter[]; sort: string | null; view?: string | null }): string {
  const params = new URLSearchParams();
  for (const f of state.filters) params.append('f', `${f.field}.${f.op}.${f.value}`);
  if (state.sort) params.set('s', state.sort);
  if (state.view) params.set('v', state.view);
  return params.toString();
}

/** Fields a list may group by (what the aggregate API groups by): picklist, boolean, user, lookup, and the owner. */
export function groupOptions(object: Pick<ObjectDef, 'fields'>): string[] {
  return [...object.fields.filter((f) => ['picklist', 'boolean', 'user', 'lookup'].includes(f.type) && !f.sensitive).map((f) => f.name), 'owner'];
}

/** Money fields a group header, a board column and a dashboard chart sum (counts of employees summed mean little). */
export function sumFields(object: Pick<ObjectDef, 'fields'>): string[] {
  return object.fields.filter((f) => f.type === 'currency' && !f.sensitive).map((f) => f.name);
}

/** Every field the aggregate API can sum (a report of the user's choosing may sum any of them). */
export function numericFields(object: Pick<ObjectDef, 'fields'>): string[] {
  return object.fields.filter((f) => ['number', 'currency', 'percent'].includes(f.type) && !f.sensitive).map((f) => f.name);
}
