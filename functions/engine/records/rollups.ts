import type { RollupField } from '../metadata/types';

/** A roll-up field of `parent` that summarises the object being written. */
export interface RollupTarget {
  readonly parent: string;
  readonly field: RollupField;
}

/** Additions to a parent's roll-up counters: per roll-up field, matched children (c), their value sum (s) and how many had a value (n). */
export interface RollupDelta {
  readonly object: string;
  readonly id: string;
  readonly adds: Readonly<Record<string, { readonly c: number; readonly s: number; readonly n: number }>>;
}

/** A parent's min or max roll-up to recompute from its children after the write. */
export interface RollupRecompute {
  readonly object: string;
  readonly id: string;
  readonly field: RollupField;
}

type Values = Readonly<Record<string, unknown>> | null;

/** What one child adds to its parent's roll-up: the parent, the child itself (c), its value (s, v) and whether it had one (n). */
export function contribution(field: RollupField, values: Values): { parent: string; c: number; s: number; n: number; v: number | null } | null {
  if (!values) return null;
  const parent = values[field.via];
  if (typeof parent !== 'string') return null;
  for (const [key, wanted] of Object.entries(field.where ?? {})) if (values[key] !== wanted) return null;
  const raw = field.field === undefined ? null : values[field.field];
  const v = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
  return { parent, c: 1, s: v ?? 0, n: v === null ? 0 : 1, v };
}

/**
 * What a child write does to its parents' roll-ups: counter deltas to apply in the same
 * transaction (count, sum, avg), and min/max to recompute after. A change of parent moves
 * the child's contribution from the old parent to the new one.
 */
export function rollupEffects(targets: readonly RollupTarget[], before: Values, after: Values): { deltas: RollupDelta[]; recompute: RollupRecompute[] } {
  const deltas = new Map<string, { object: string; id: string; adds: Record<string, { c: number; s: number; n: number }> }>();
  const recompute: RollupRecompute[] = [];
  // Parents whose counters item must be touched even with nothing to add: its sequence number
  // is how a min/max recomputation knows a newer child write happened meanwhile.
  const touched = new Set<string>();
  const add = (object: string, id: string, name: string, c: number, s: number, n: number, touch = false) => {
    const key = `${object}/${id}`;
    if (touch) touched.add(key);
    if (c === 0 && s === 0 && n === 0) {
      if (touch && !deltas.has(key)) deltas.set(key, { object, id, adds: {} });
      return;
    }
    const entry = deltas.get(key) ?? { object, id, adds: {} };
    const was = entry.adds[name] ?? { c: 0, s: 0, n: 0 };
    entry.adds[name] = { c: was.c + c, s: was.s + s, n: was.n + n };
    deltas.set(key, entry);
  };
  for (const { parent, field } of targets) {
    const [old, next] = [contribution(field, before), contribution(field, after)];
    if (field.function === 'min' || field.function === 'max') {
      const changed = old?.parent !== next?.parent || old?.v !== next?.v;
      if (changed) {
        for (const p of new Set([old?.parent, next?.parent])) {
          if (!p) continue;
          recompute.push({ object: parent, id: p, field });
          add(parent, p, field.name, 0, 0, 0, true);
        }
      }
      continue;
    }
    if (old) add(parent, old.parent, field.name, -old.c, -old.s, -old.n);
    if (next) add(parent, next.parent, field.name, next.c, next.s, next.n);
  }
  // Deltas that cancel out (same parent, same contribution) leave nothing to write.
  const effective = [...deltas.entries()]
    .map(([key, d]) => ({ key, object: d.object, id: d.id, adds: Object.fromEntries(Object.entries(d.adds).filter(([, a]) => a.c !== 0 || a.s !== 0 || a.n !== 0)) }))
    .filter((d) => Object.keys(d.adds).length > 0 || touched.has(d.key))
    .map(({ key: _key, ...d }) => d);
  return { deltas: effective, recompute };
}

/** A roll-up's value from the counters kept beside the parent record. */
export function rollupValue(field: RollupField, raw: Readonly<Record<string, unknown>>): number | undefined {
  const num = (k: string) => (typeof raw[k] === 'number' ? (raw[k] as number) : 0);
  switch (field.function) {
    case 'count':
      return num(`c_${field.name}`);
    case 'sum':
      return num(`s_${field.name}`);
    case 'avg':
      return num(`n_${field.name}`) > 0 ? num(`s_${field.name}`) / num(`n_${field.name}`) : undefined;
    default:
      return typeof raw[`m_${field.name}`] === 'number' ? (raw[`m_${field.name}`] as number) : undefined;
  }
}

/**
 * Several plans committed as one transaction: a transaction may touch an item once, so all
 * roll-up deltas on one parent are summed into a single update (carried by the first plan),
 * and deltas and recomputations for records deleted in the same batch are dropped.
 */
export function mergeRollups<P extends { readonly op: string; readonly object: string; readonly id: string; readonly rollupDeltas: readonly RollupDelta[]; readonly rollupRecompute: readonly RollupRecompute[] }>(plans: readonly P[]): P[] {
  const deleted = new Set(plans.filter((p) => p.op === 'delete').map((p) => `${p.object}/${p.id}`));
  const merged = new Map<string, { object: string; id: string; adds: Record<string, { c: number; s: number; n: number }> }>();
  const recompute = new Map<string, RollupRecompute>();
  for (const plan of plans) {
    for (const d of plan.rollupDeltas) {
      const key = `${d.object}/${d.id}`;
      if (deleted.has(key)) continue;
      const entry = merged.get(key) ?? { object: d.object, id: d.id, adds: {} };
      for (const [field, a] of Object.entries(d.adds)) {
        const was = entry.adds[field] ?? { c: 0, s: 0, n: 0 };
        entry.adds[field] = { c: was.c + a.c, s: was.s + a.s, n: was.n + a.n };
      }
      merged.set(key, entry);
    }
    for (const r of plan.rollupRecompute) if (!deleted.has(`${r.object}/${r.id}`)) recompute.set(`${r.object}/${r.id}/${r.field.name}`, r);
  }
  return plans.map((plan, i) => ({ ...plan, rollupDeltas: i === 0 ? [...merged.values()] : [], rollupRecompute: i === 0 ? [...recompute.values()] : [] }));
}
