import type { CompiledBundle } from '../../engine/compile/compileBundle';
import { redefinedFields } from '../../engine/metadata/diffMetadata';
import type { FormulaField, MetadataBundle } from '../../engine/metadata/types';
import { EngineError, match } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { migrationChanges } from '../../engine/metadata/migrations';
import type { Migration } from '../../engine/metadata/migrations';
import { planList } from '../../engine/query/listQuery';
import { planPatch } from '../../engine/records/planWrites';
import type { WriteContext } from '../../engine/records/planWrites';
import { mergeRollups } from '../../engine/records/rollups';
import type { StoredRecord, WritePlan } from '../../engine/records/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { recomputeRollup } from './rollupRecompute';

/*
 * Running a publish's data migrations. Each record's change is an ordinary patch planned
 * under the version being published — validated, formulas recomputed, guards and roll-ups
 * kept, history written as the publishing user's change — committed in batched transactions.
 * Migrations are idempotent (a migrated record has nothing left to change), so running them
 * again, or publishing the same draft again after an interruption, finishes the job.
 */

const writeContext = (services: Services, user: UserContext): WriteContext => ({ userId: user.userId, now: services.now(), newId: services.newId });

/** The patch one migration run makes to a record under the next version, or null when nothing applies. Throws the engine's refusal. */
export function migrationPlan(services: Services, user: UserContext, next: CompiledBundle, migrations: readonly Migration[], record: StoredRecord): WritePlan | null {
  const changes = migrationChanges(migrations, record.object, record.values);
  if (Object.keys(changes).length === 0) return null;
  return planPatch(next.object(record.object), record, changes, record.version, writeContext(services, user));
}

/** Lookup and user values to backfill must exist; checked once, before any record is touched. */
export async function referenceProblems(services: Services, tenant: string, next: CompiledBundle, migrations: readonly Migration[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const [i, m] of migrations.entries()) {
    if (!('backfill' in m)) continue;
    const def = next.object(m.object).fields.get(m.field)?.def;
    const id = String(m.backfill);
    const exists = def?.type === 'lookup' ? (await services.records.get(tenant, def.target, id)) !== null : def?.type === 'user' ? (await services.identity.user(tenant, id)) !== null : true;
    if (!exists) problems.push({ path: `/migrations/${i}/backfill`, code: 'notFound', message: `${m.object}.${m.field} would refer to a record that does not exist`, params: { field: m.field } });
  }
  return problems;
}

/** A record's rewrite under the version being published, or null when it has nothing to change. */
type Rewrite = (record: StoredRecord) => WritePlan | null;

/**
 * Applies the migrations to every record of the objects they name, page by page through the
 * by-object index. Returns how many records changed per `object.field`.
 */
export async function applyMigrations(services: Services, user: UserContext, next: CompiledBundle, migrations: readonly Migration[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(migrations.map((m) => [`${m.object}.${m.field}`, 0]));
  const rewrite = (r: StoredRecord) => migrationPlan(services, user, next, migrations, r);
  await rewriteRecords(services, user, next, new Set(migrations.map((m) => m.object)), rewrite, (r) => {
    for (const field of Object.keys(migrationChanges(migrations, r.object, r.values))) counts[`${r.object}.${field}`]! += 1;
  });
  return counts;
}

/** The stored formulas of `next` (object → fields) that `previous` did not have with the same result type, expression and scale. */
export function changedFormulas(previous: MetadataBundle | null, next: CompiledBundle): Map<string, string[]> {
  const changed = new Map<string, string[]>();
  for (const { object, field } of redefinedFields(previous, next.bundle, 'formula', formulaDefinition)) {
    // Formulas computed on read (TODAY(), parent fields) have no stored value to recompute.
    if (!next.object(object).storedFormulas.some((f) => f.field.name === field.name)) continue;
    changed.set(object, [...(changed.get(object) ?? []), field.name]);
  }
  return changed;
}

const formulaDefinition = (f: FormulaField) => JSON.stringify([f.returnType, f.expression, f.scale ?? null]);

/**
 * Stored formulas new or redefined in the version being published (`changed`: object → fields),
 * computed for the records that exist: an ordinary patch that changes nothing else, so the
 * formula's new value is written, indexed and kept in history like any change of it. Returns
 * how many records changed per `object.field`.
 */
export async function recomputeFormulas(services: Services, user: UserContext, next: CompiledBundle, changed: ReadonlyMap<string, readonly string[]>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [object, fields] of changed) for (const field of fields) counts[`${object}.${field}`] = 0;
  const rewrite = (r: StoredRecord) => planPatch(next.object(r.object), r, {}, r.version, writeContext(services, user));
  await rewriteRecords(services, user, next, new Set(changed.keys()), rewrite, (r, plan) => {
    for (const field of changed.get(r.object) ?? []) if (plan.history && field in plan.history.changes) counts[`${r.object}.${field}`]! += 1;
  });
  return counts;
}

/**
 * Every record of `objects`, page by page through the by-object index, rewritten as `rewrite`
 * says; `tally` sees each record's rewrite once (not its retries after a concurrent write).
 */
async function rewriteRecords(services: Services, user: UserContext, next: CompiledBundle, objects: ReadonlySet<string>, rewrite: Rewrite, tally: (record: StoredRecord, plan: WritePlan) => void): Promise<void> {
  for (const objectName of objects) {
    const list = planList(next.object(objectName), { filters: [], sort: null, limit: 200, cursor: null });
    let cursor: string | null = null;
    do {
      const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(user.tenantId, list, cursor, () => true);
      const plans = page.records.flatMap((r) => {
        const plan = rewrite(r);
        if (plan) tally(r, plan);
        return plan ?? [];
      });
      await commitBatches(services, user, next, plans, rewrite);
      cursor = page.nextCursor;
    } while (cursor);
  }
}

/** Whole plans per transaction (≤ 90 items), roll-up deltas merged; a batch that meets a concurrent write goes record by record, read again. */
async function commitBatches(services: Services, user: UserContext, next: CompiledBundle, plans: WritePlan[], rewrite: Rewrite): Promise<void> {
  const batches: WritePlan[][] = [];
  let current: WritePlan[] = [];
  let items = 0;
  for (const plan of plans) {
    const n = services.records.transactionSize(user.tenantId, plan) + plan.rollupDeltas.length;
    if (current.length > 0 && items + n > 90) {
      batches.push(current);
      current = [];
      items = 0;
    }
    current.push(plan);
    items += n;
  }
  if (current.length) batches.push(current);
  for (const batch of batches) {
    try {
      const merged = mergeRollups(batch);
      await services.records.commitMany(user.tenantId, merged);
      for (const job of merged[0]!.rollupRecompute) await recomputeRollup(services, user.tenantId, next, job);
    } catch (error) {
      if (!match(error, 'record.versionConflict') && !match(error, 'record.notFound')) throw error;
      for (const plan of batch) await commitOne(services, user, next, plan, rewrite);
    }
  }
}

async function commitOne(services: Services, user: UserContext, next: CompiledBundle, plan: WritePlan, rewrite: Rewrite): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const fresh = await services.records.get(user.tenantId, plan.object, plan.id);
    const again = fresh && rewrite(fresh);
    if (!again) return;
    try {
      await services.records.commit(user.tenantId, again);
      for (const job of again.rollupRecompute) await recomputeRollup(services, user.tenantId, next, job);
      return;
    } catch (error) {
      if (!match(error, 'record.versionConflict')) throw error;
    }
  }
  throw new EngineError('metadata.conflict', `Record ${plan.object}/${plan.id} kept changing while it was rewritten for the new version; publish again to finish`);
}
