/** A record's timeline: its history (field changes) and the rule runs on it, newest first. */
import type { ObjectDef } from '../types';
import { indexesOf } from './listQuery';
import type { HistoryEntry, RuleRun } from './staffApi';

export type TimelineEvent =
  | { readonly kind: 'change'; readonly at: string; readonly by: string; readonly op: string; readonly version: number; readonly changes: ReadonlyArray<{ field: string; old: unknown; new: unknown }> }
  | { readonly kind: 'run'; readonly at: string; readonly rule: string; readonly ruleKind: string; readonly trigger: string; readonly outcome: string; readonly actions: RuleRun['actions']; readonly error?: string };

export function timeline(history: readonly HistoryEntry[], runs: readonly RuleRun[]): TimelineEvent[] {
  const events: TimelineEvent[] = [
    ...history.map((h) => ({ kind: 'change' as const, at: h.at, by: h.by, op: h.op, version: h.version, changes: Object.entries(h.changes ?? {}).map(([field, c]) => ({ field, old: c.old, new: c.new })) })),
    ...runs.map((r) => ({ kind: 'run' as const, at: r.at ?? r.changedAt ?? '', rule: r.rule, ruleKind: r.kind, trigger: r.trigger, outcome: r.outcome, actions: r.actions, ...(r.error ? { error: r.error } : {}) })),
  ];
  // ISO instants sort as text; a run at the same instant as the change that fired it comes after it.
  return events.sort((a, b) => b.at.localeCompare(a.at) || (a.kind === b.kind ? 0 : a.kind === 'run' ? -1 : 1));
}

export interface Relation {
  /** `<object>.<field>`, as the related-records route takes it. */
  readonly relation: string;
  readonly object: string;
  readonly field: string;
  readonly columns?: readonly string[];
}

/**
 * The related lists of a record page: the layout's, or else every readable object with a
 * lookup to this one that an index serves (the related list is then one Query).
 */
export function relationsOf(objectName: string, objects: readonly ObjectDef[], layout?: ReadonlyArray<{ relation: string; fields?: string[] }>): Relation[] {
  const byName = new Map(objects.map((o) => [o.name, o] as const));
  if (layout && layout.length) {
    return layout.flatMap((r) => {
      const [child, via] = r.relation.split('.') as [string, string | undefined];
      const def = byName.get(child);
      const field = via ?? def?.fields.find((f) => f.type === 'lookup' && f.target === objectName)?.name;
      return def && field ? [{ relation: `${child}.${field}`, object: child, field, ...(r.fields ? { columns: r.fields } : {}) }] : [];
    });
  }
  const out: Relation[] = [];
  for (const o of objects) {
    for (const f of o.fields) {
      if (f.type !== 'lookup' || f.target !== objectName) continue;
      const served = indexesOf(o).some((i) => (i.equals.length === 1 && i.equals[0] === f.name) || (i.equals.length === 0 && i.sort === f.name));
      if (served) out.push({ relation: `${o.name}.${f.name}`, object: o.name, field: f.name });
    }
  }
  return out;
}
