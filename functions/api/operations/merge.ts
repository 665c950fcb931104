import { EngineError, pointer } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import { servesEquality } from '../../engine/metadata/indexes';
import { planList } from '../../engine/query/listQuery';
import { matchesAll } from '../../engine/query/matchesFilter';
import { indexEntries } from '../../engine/records/indexEntries';
import { planDelete, planPatch } from '../../engine/records/planWrites';
import type { WriteContext } from '../../engine/records/planWrites';
import { mergeRollups } from '../../engine/records/rollups';
import type { StoredRecord, WritePlan } from '../../engine/records/types';
import { RECORD_ID } from '../../engine/ids';
import { DryRunRecordStore } from '../../store/dryRunRecordStore';
import { keys } from '../../store/keys';
import type { Locale } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { recomputeRollup } from './rollupRecompute';
import { currentBundle } from './currentBundle';
import { deleteRecord, getRecord, patchRecord } from './records';
import type { ApiRecord } from './records';

/*
 * Merging two or three records of an object into one. The caller picks the survivor and,
 * per field, whose value survives (by default the survivor's, or the first merged record's
 * where the survivor's is blank). Then, in one transaction when it fits in DynamoDB's 100
 * items: every record that looks up to a merged record points at the survivor instead
 * (with its own history entry), the survivor takes the chosen values (its history entry names
 * the merged records), and the merged records are deleted (their history names the
 * survivor). Otherwise the re-pointing goes first in bounded batches — idempotent, so an
 * interrupted merge is finished by asking again — and the survivor and the deletes last, together.
 *
 * Access is the caller's: the survivor's update and each merged record's delete are checked
 * exactly as those single writes would be (they are planned through them, without
 * committing). Re-pointing is a consequence the platform carries out, like delete rules.
 */

/** Records re-pointed by one merge; beyond it the merge is refused (as deletes are, for the same reason). */
export const MAX_MERGE_REPOINTS = 1000;
const TRANSACTION_ITEMS = 95;

interface MergeBody {
  survivor: { id: string; version: number };
  merged: Array<{ id: string; version: number }>;
  values: Record<string, string>;
  skipUnindexed: boolean;
  /** Answer what the merge would do (the survivor's values, records re-pointed per lookup) and write nothing. */
  preview: boolean;
}

function parseBody(raw: unknown): MergeBody {
  const problems: Problem[] = [];
  const body = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const ref = (v: unknown, path: string) => {
    const r = v as { id?: unknown; version?: unknown } | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || !RECORD_ID.test(r.id) || !Number.isInteger(r.version) || (r.version as number) < 1) {
      problems.push({ path, code: 'type', message: 'must be {"id": <record id>, "version": <version>}' });
    }
  };
  ref(body.survivor, '/survivor');
  if (!Array.isArray(body.merged) || body.merged.length < 1 || body.merged.length > 2) problems.push({ path: '/merged', code: 'length', message: 'merge one or two records into the survivor', params: { min: 1, max: 2 } });
  else body.merged.forEach((m, i) => ref(m, pointer('merged', i)));
  if (body.values !== undefined && (typeof body.values !== 'object' || body.values === null || Array.isArray(body.values) || Object.values(body.values).some((v) => typeof v !== 'string'))) problems.push({ path: '/values', code: 'type', message: 'values maps a field to the id of the record whose value survives' });
  for (const flag of ['skipUnindexed', 'preview']) if (body[flag] !== undefined && typeof body[flag] !== 'boolean') problems.push({ path: `/${flag}`, code: 'type', message: 'must be true or false' });
  for (const k of Object.keys(body)) if (!['survivor', 'merged', 'values', 'skipUnindexed', 'preview'].includes(k)) problems.push({ path: `/${k}`, code: 'unknownField', message: `unknown member "${k}"` });
  if (problems.length) throw new EngineError('request.invalid', 'The merge is not valid; nothing was changed', problems);
  const ids = [(body.survivor as { id: string }).id, ...(body.merged as Array<{ id: string }>).map((m) => m.id)];
  if (new Set(ids).size !== ids.length) throw new EngineError('request.invalid', 'A record is named twice', [{ path: '/merged', code: 'duplicate', message: 'the survivor and the merged records must be different records' }]);
  return { survivor: body.survivor as MergeBody['survivor'], merged: body.merged as MergeBody['merged'], values: (body.values as Record<string, string> | undefined) ?? {}, skipUnindexed: body.skipUnindexed === true, preview: body.preview === true };
}

/** Lookups (anywhere) that point at the object: through each, the records to re-point are found by Query. */
function lookupsTo(bundle: CompiledBundle, object: string) {
  return bundle.bundle.objects.flatMap((o) => o.fields.filter((f) => f.type === 'lookup' && f.target === object).map((f) => ({ child: o.name, field: f.name, indexed: servesEquality(o, f.name) })));
}

async function pointingAt(services: Services, tenant: string, bundle: CompiledBundle, child: string, field: string, id: string): Promise<StoredRecord[]> {
  const object = bundle.object(child);
  const plan = planList(object, { filters: [{ field, op: 'eq', values: [id] }], sort: null, limit: 200, cursor: null });
  const out: StoredRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(tenant, plan, cursor, (r) => matchesAll(object, r, plan.residual));
    out.push(...page.records);
    cursor = page.nextCursor;
    if (out.length > MAX_MERGE_REPOINTS) throw new EngineError('record.referenced', `More than ${MAX_MERGE_REPOINTS} records point at the merged records; re-point some of them first`, [], { limit: MAX_MERGE_REPOINTS });
  } while (cursor);
  return out;
}

export async function mergeRecords(services: Services, user: UserContext, objectName: string, raw: unknown, locale: Locale): Promise<ApiRecord & { _merged: string[]; _repointed: Record<string, number>; _notRepointed?: string[]; _preview?: true }> {
  void locale;
  const body = parseBody(raw);
  const tenant = user.tenantId;
  const bundle = await currentBundle(services, tenant);
  // Reading each record as the caller (404 for one they cannot reach), then the versions they named.
  const all = [body.survivor, ...body.merged];
  for (const r of all) await getRecord(services, user, objectName, r.id);
  const object = bundle.object(objectName);
  const stored = await services.records.getMany(tenant, objectName, all.map((r) => r.id), true);
  for (const [i, r] of all.entries()) {
    const current = stored.get(r.id)!;
    if (current.version !== r.version) throw new EngineError('record.versionConflict', `Record ${r.id} is at version ${current.version}, not ${r.version}`, [{ path: i === 0 ? '/survivor/version' : pointer('merged', i - 1, 'version'), code: 'versionConflict', message: `the record is at version ${current.version}` }], { currentVersion: current.version, id: r.id });
  }
  const survivor = stored.get(body.survivor.id)!;
  const losers = body.merged.map((m) => stored.get(m.id)!);
  const loserIds = new Set(losers.map((l) => l.id));

  // The values that survive: chosen per field, else the survivor's, else the first merged record's.
  const access = bundle.access(user.roles).object(objectName);
  const editable = (f: string) => object.fields.get(f)?.type.writable === true && access.fields.get(f)?.value === 'edit';
  const problems: Problem[] = [];
  const patch: Record<string, unknown> = {};
  for (const [field, from] of Object.entries(body.values)) {
    if (!editable(field)) problems.push({ path: pointer('values', field), code: 'unknownField', message: `${field} is not a field you may edit`, params: { field } });
    else if (from !== survivor.id && !loserIds.has(from)) problems.push({ path: pointer('values', field), code: 'notInMerge', message: `${from} is not one of the merged records`, params: { id: from } });
    else if (from !== survivor.id) patch[field] = stored.get(from)!.values[field] ?? null;
  }
  if (problems.length) throw new EngineError('request.invalid', 'The merge is not valid; nothing was changed', problems);
  for (const { def } of object.fields.values()) {
    if (def.name in body.values || !editable(def.name) || survivor.values[def.name] !== undefined) continue;
    const donor = losers.find((l) => l.values[def.name] !== undefined);
    if (donor) patch[def.name] = donor.values[def.name];
  }
  // A self-lookup of the survivor to a merged record would point at a deleted record.
  for (const [field, value] of Object.entries({ ...survivor.values, ...patch })) if (typeof value === 'string' && loserIds.has(value) && object.fields.get(field)?.def.type === 'lookup') patch[field] = null;

  const lookups = lookupsTo(bundle, objectName);
  const unindexed = lookups.filter((l) => !l.indexed).map((l) => `${l.child}.${l.field}`);
  if (unindexed.length && !body.skipUnindexed) {
    throw new EngineError('validation.failed', `Records that point at ${objectName} through ${unindexed.join(', ')} cannot be found without an index`, unindexed.map((l) => ({ path: '/skipUnindexed', code: 'unindexedLookup', message: `${l} is not indexed: index it, or merge with skipUnindexed (those references keep pointing at the deleted records)`, params: { lookup: l } })));
  }

  // The survivor's change and each delete, planned through the caller's own writes without committing: the same checks.
  const dry = new DryRunRecordStore(services.doc, services.tableName);
  for (const id of loserIds) dry.releasing.add(id);
  const dryServices = { ...services, records: dry };
  await patchRecord(dryServices, user, objectName, survivor.id, survivor.version, patch, { duplicates: 'skip' });
  const survivorPlan = dry.lastPlan;
  for (const loser of losers) {
    try {
      await deleteRecord(dryServices, user, objectName, loser.id, loser.version);
    } catch (error) {
      // Records still pointing at it are re-pointed below; any other refusal is the caller's answer.
      if (!(error instanceof EngineError && error.code === 'record.referenced')) throw error;
    }
  }

  const ctx: WriteContext = { userId: user.userId, now: services.now(), newId: services.newId };
  const repointed: Record<string, number> = {};
  const childPlans: WritePlan[] = [];
  for (const lookup of lookups.filter((l) => l.indexed)) {
    const child = bundle.object(lookup.child);
    for (const loser of losers) {
      for (const record of await pointingAt(services, tenant, bundle, lookup.child, lookup.field, loser.id)) {
        if (lookup.child === objectName && (record.id === survivor.id || loserIds.has(record.id))) continue;
        let plan = planPatch(child, record, { [lookup.field]: survivor.id }, record.version, ctx);
        if (!plan) continue;
        // A junction row whose pair the survivor already has is a duplicate link: it goes instead.
        if (child.junction && plan.guardsToAdd.length) {
          const held = await Promise.all(plan.guardsToAdd.map((g) => services.records.guardHolder(tenant, child.name, g.field, g.key)));
          if (held.some((h) => h !== null && h !== record.id)) plan = planDelete(child, record, record.version, ctx);
        }
        // The survivor is written in the same transaction under its version: no separate check that it exists.
        const references = plan.references.filter((r) => !(r.object === objectName && r.id === survivor.id));
        childPlans.push({ ...plan, references, ...(plan.history ? { history: { ...plan.history, merge: { into: survivor.id } } } : {}) });
        repointed[`${lookup.child}.${lookup.field}`] = (repointed[`${lookup.child}.${lookup.field}`] ?? 0) + 1;
      }
    }
  }

  const merged = losers.map((l) => l.id);
  if (body.preview) {
    const shown = await getRecord(services, user, objectName, survivor.id);
    return { ...shown, ...patch, _merged: merged, _repointed: repointed, ...(unindexed.length ? { _notRepointed: unindexed } : {}), _preview: true };
  }
  const at = ctx.now.toISOString();
  const base: WritePlan = survivorPlan ?? {
    // Nothing of the survivor changes: it still gets a version and the history entry of the merge.
    op: 'update',
    object: objectName,
    id: survivor.id,
    record: { ...survivor, version: survivor.version + 1, updatedAt: at, updatedBy: user.userId },
    expectedVersion: survivor.version,
    indexEntries: indexEntries(object, survivor.values, survivor.id),
    guardsToAdd: [],
    guardsToRemove: [],
    references: [],
    history: { id: services.newId(), at, by: user.userId, op: 'update', version: survivor.version + 1, owner: survivor.owner, changes: {} },
    rollupDeltas: [],
    rollupRecompute: [],
  };
  // A unique value moving from a merged record to the survivor: the guard changes hands in place (one transaction may not touch it twice).
  const moving = base.guardsToAdd.filter((g) =>
    losers.some((l) => l.values[g.field] !== undefined && object.uniqueFields.some((f) => f.name === g.field) && object.fields.get(g.field)!.type.uniqueKey!(l.values[g.field], object.fields.get(g.field)!.def as never) === g.key),
  );
  const isMoving = (g: { field: string; key: string }) => moving.some((m) => m.field === g.field && m.key === g.key);
  const survivorFinal: WritePlan = {
    ...base,
    guardsToAdd: base.guardsToAdd.filter((g) => !isMoving(g)),
    history: base.history ? { ...base.history, merge: { merged } } : null,
    alongside: [...(base.alongside ?? []), ...moving.map((g) => ({ ...keys.guard(tenant, objectName, g.field, g.key), kind: 'guard', tenant, recordId: survivor.id }))],
  };
  const loserPlans = losers.map((l) => {
    const p = planDelete(object, l, l.version, ctx);
    return { ...p, guardsToRemove: p.guardsToRemove.filter((g) => !isMoving(g)), history: p.history ? { ...p.history, merge: { into: survivor.id } } : null };
  });

  const finalPlans = [...childPlans, survivorFinal, ...loserPlans];
  const size = (p: WritePlan) => services.records.transactionSize(tenant, p) + p.rollupDeltas.length;
  const total = finalPlans.reduce((n, p) => n + size(p), 0);
  const batches: WritePlan[][] = [];
  if (total <= TRANSACTION_ITEMS) batches.push(finalPlans);
  else {
    let current: WritePlan[] = [];
    let items = 0;
    for (const plan of childPlans) {
      if (current.length && items + size(plan) > TRANSACTION_ITEMS) {
        batches.push(current);
        current = [];
        items = 0;
      }
      current.push(plan);
      items += size(plan);
    }
    if (current.length) batches.push(current);
    batches.push([survivorFinal, ...loserPlans]);
  }
  for (const batch of batches) {
    const plans = mergeRollups(batch);
    await services.records.commitMany(tenant, plans);
    for (const plan of plans) for (const job of plan.rollupRecompute) if (!loserIds.has(job.id)) await recomputeRollup(services, tenant, bundle, job);
  }
  const result = await getRecord(services, user, objectName, survivor.id);
  return { ...result, _merged: merged, _repointed: repointed, ...(unindexed.length ? { _notRepointed: unindexed } : {}) };
}
