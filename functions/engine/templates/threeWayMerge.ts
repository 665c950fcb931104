import type { MetadataBundle } from '../metadata/types';

export interface MergeConflict {
  /** Name-based path, as in diffs: `/objects/lead/fields/source/label/en`. */
  readonly path: string;
  readonly base: unknown;
  readonly ours: unknown;
  readonly theirs: unknown;
}

type Named = { name: string } & Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNamedList = (v: unknown): v is Named[] => Array.isArray(v) && v.every((x) => isRecord(x) && typeof x.name === 'string');

/**
 * Three-way merge of metadata: `base` is what a template shipped before, `theirs` what it
 * ships now, `ours` the tenant's metadata with its customisations. What only one side
 * changed takes that side; what both changed alike is kept; what both changed differently
 * keeps the tenant's value and is reported as a conflict. Lists of named things (objects,
 * fields, options, roles, indexes) merge by name, so reordering or adding is never a conflict.
 * Things the tenant has that the template never had are untouched.
 */
export function threeWayMerge(base: MetadataBundle, ours: MetadataBundle, theirs: MetadataBundle): { merged: MetadataBundle; conflicts: MergeConflict[] } {
  const conflicts: MergeConflict[] = [];
  const merged = mergeValue('', base, ours, theirs, conflicts) as MetadataBundle;
  return { merged: { ...merged, objects: merged.objects ?? [] }, conflicts };
}

function mergeValue(path: string, b: unknown, o: unknown, t: unknown, conflicts: MergeConflict[]): unknown {
  if (same(o, t)) return o;
  if (same(o, b)) return t;
  if (same(t, b)) return o;
  const lists = [b, o, t].filter((x) => x !== undefined);
  if (lists.length > 0 && lists.every(isNamedList)) return mergeNamed(path, (b ?? []) as Named[], (o ?? []) as Named[], (t ?? []) as Named[], conflicts);
  if ([b, o, t].every((x) => x === undefined || isRecord(x)) && o !== undefined && t !== undefined) {
    const out: Record<string, unknown> = {};
    const bo = (b ?? {}) as Record<string, unknown>;
    const oo = o as Record<string, unknown>;
    const to = t as Record<string, unknown>;
    for (const key of new Set([...Object.keys(oo), ...Object.keys(to), ...Object.keys(bo)])) {
      const value = mergeValue(`${path}/${key}`, bo[key], oo[key], to[key], conflicts);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  conflicts.push({ path: path || '/', base: b, ours: o, theirs: t });
  return o;
}

function mergeNamed(path: string, b: Named[], o: Named[], t: Named[], conflicts: MergeConflict[]): Named[] {
  const byName = (xs: Named[]) => new Map(xs.map((x) => [x.name, x] as const));
  const [bm, om, tm] = [byName(b), byName(o), byName(t)];
  // Our order first, then what the template adds, in its order.
  const names = [...o.map((x) => x.name), ...t.map((x) => x.name).filter((n) => !om.has(n))];
  const out: Named[] = [];
  for (const name of new Set(names)) {
    const value = mergeValue(`${path}/${name}`, bm.get(name), om.get(name), tm.get(name), conflicts);
    if (value !== undefined) out.push(value as Named);
  }
  return out;
}
