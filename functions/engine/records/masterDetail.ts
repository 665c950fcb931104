import type { CompiledObject } from '../compile/compileObject';
import { indexEntries } from './indexEntries';
import type { Guard, HistoryEntry, WritePlan } from './types';

/*
 * Master-detail, as write-plan facts. A detail record's owner is always its primary master's
 * owner, so every access check — scopes are owner-based and lists are served by the by-owner
 * and field indexes — treats it exactly like its master, and nothing has to scan:
 *
 * - create and re-parent: the plan names the master (`ownerFrom`); the store reads the
 *   master's owner, writes it as the record's owner, and commits under a ConditionCheck that
 *   the master still has that owner (a concurrent change of the master's owner retries);
 * - a master's owner change: after it commits, its details follow in bounded batches
 *   (`planOwnerFollow`), and their own details after them.
 * An owner sent for a detail record is ignored: it is not the caller's to choose.
 */

/** The master a new or re-parented detail record takes its owner from, or undefined. */
export function ownerSource(object: CompiledObject, values: Readonly<Record<string, unknown>>, changed: ReadonlySet<string> | null): WritePlan['ownerFrom'] {
  const master = object.primaryMaster;
  if (!master || (changed !== null && !changed.has(master.name))) return undefined;
  const id = values[master.name];
  return typeof id === 'string' ? { path: `/${master.name}`, object: master.target, id } : undefined;
}

/**
 * The plan with the record owned by `owner` (its master's owner). History records the change
 * of owner like any other; the caller's `/owner` reference, if any, is dropped.
 */
export function followMaster(plan: WritePlan, owner: string): WritePlan {
  if (!plan.record || plan.record.owner === owner) return plan;
  const creating = plan.op === 'create';
  const previous = creating ? null : plan.record.owner;
  const changes = { ...(plan.history?.changes ?? {}) };
  if (creating && owner === plan.record.createdBy) delete changes.owner;
  else changes.owner = { old: previous, new: owner };
  const history: HistoryEntry | null = plan.history ? { ...plan.history, owner, changes } : null;
  return { ...plan, record: { ...plan.record, owner }, history, references: plan.references.filter((r) => r.path !== '/owner') };
}

/** An update giving a detail record its master's new owner: the record and a history entry, nothing else. */
export function planOwnerFollow(object: CompiledObject, record: NonNullable<WritePlan['record']>, owner: string, ctx: { userId: string; now: Date; newId: () => string }): WritePlan {
  const version = record.version + 1;
  const next = { ...record, version, owner, updatedAt: ctx.now.toISOString(), updatedBy: ctx.userId };
  return {
    op: 'update',
    object: object.name,
    id: record.id,
    record: next,
    expectedVersion: record.version,
    indexEntries: indexEntries(object, record.values, record.id),
    guardsToAdd: [],
    guardsToRemove: [],
    references: [],
    history: object.def.trackHistory === false ? null : { id: ctx.newId(), at: next.updatedAt, by: ctx.userId, op: 'update', version, owner, changes: { owner: { old: record.owner, new: owner } } },
    rollupDeltas: [],
    rollupRecompute: [],
    ...(object.details.length > 0 ? { ownerBefore: record.owner } : {}),
  };
}

/** Key of a junction pair's guard: a pair of records is linked at most once. */
export const pairKey = (left: string, right: string) => `pair:${left}:${right}`;

/** The guard of a junction record's pair (held under the second lookup's name), or none when either side is blank. */
export function pairGuards(object: CompiledObject, values: Readonly<Record<string, unknown>> | null): Guard[] {
  if (!object.junction || !values) return [];
  const [l, r] = [values[object.junction.left.name], values[object.junction.right.name]];
  return typeof l === 'string' && typeof r === 'string' ? [{ field: object.junction.right.name, key: pairKey(l, r) }] : [];
}
