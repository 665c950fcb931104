import type { FieldOf, FieldType, MetadataBundle } from './types';

export interface MetadataChange {
  readonly op: 'add' | 'remove' | 'change';
  /** Name-based path: `/objects/account`, `/objects/account/fields/industry`, `/objects/account/label`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

type Named = { name: string };
const KINDS = ['objects', 'roles', 'templates'] as const satisfies ReadonlyArray<keyof MetadataBundle>;
/** Lists whose items have names are compared by name, so reordering is one change, not many. */
const NAMED_LISTS = new Set(['fields', 'indexes', 'recordTypes', 'layouts']);

/**
 * Every difference between two bundles, addressed by name rather than by position:
 * objects and fields are matched by API name, other values compared as JSON.
 */
export function diffMetadata(from: MetadataBundle, to: MetadataBundle): MetadataChange[] {
  const changes: MetadataChange[] = [];
  for (const kind of KINDS) diffNamed(`/${kind}`, from[kind] ?? [], to[kind] ?? [], changes);
  return changes;
}

function diffNamed(path: string, before: readonly Named[], after: readonly Named[], out: MetadataChange[]): void {
  const old = new Map(before.map((x) => [x.name, x] as const));
  const next = new Map(after.map((x) => [x.name, x] as const));
  for (const [name, value] of old) if (!next.has(name)) out.push({ op: 'remove', path: `${path}/${name}`, before: value });
  for (const [name, value] of next) {
    const was = old.get(name);
    if (!was) out.push({ op: 'add', path: `${path}/${name}`, after: value });
    else diffValue(`${path}/${name}`, was, value, out);
  }
  const order = (xs: readonly Named[], keep: Map<string, Named>) => xs.map((x) => x.name).filter((n) => keep.has(n));
  const beforeOrder = order(before, next);
  const afterOrder = order(after, old);
  if (JSON.stringify(beforeOrder) !== JSON.stringify(afterOrder)) out.push({ op: 'change', path: `${path}/$order`, before: beforeOrder, after: afterOrder });
}

function diffValue(path: string, before: unknown, after: unknown, out: MetadataChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const b = before[key];
      const a = after[key];
      const at = `${path}/${key}`;
      if (b === undefined) out.push({ op: 'add', path: at, after: a });
      else if (a === undefined) out.push({ op: 'remove', path: at, before: b });
      else if (NAMED_LISTS.has(key) && isNamedList(b) && isNamedList(a)) diffNamed(at, b, a, out);
      else diffValue(at, b, a, out);
    }
    return;
  }
  out.push({ op: 'change', path, before, after });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNamedList = (v: unknown): v is Named[] => Array.isArray(v) && v.every((x) => isRecord(x) && typeof x.name === 'string');

/**
 * Fields of `type` in `next` that `previous` did not have with the same definition (`definition`
 * says which settings count: a label change is not a redefinition). New fields count too.
 */
export function redefinedFields<T extends FieldType>(previous: MetadataBundle | null, next: MetadataBundle, type: T, definition: (field: FieldOf<T>) => string): Array<{ object: string; field: FieldOf<T> }> {
  const before = new Map<string, string>();
  for (const o of previous?.objects ?? []) for (const f of o.fields) if (f.type === type) before.set(`${o.name}.${f.name}`, definition(f as FieldOf<T>));
  const out: Array<{ object: string; field: FieldOf<T> }> = [];
  for (const o of next.objects) for (const f of o.fields) if (f.type === type && before.get(`${o.name}.${f.name}`) !== definition(f as FieldOf<T>)) out.push({ object: o.name, field: f as FieldOf<T> });
  return out;
}
