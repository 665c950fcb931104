import { EngineError } from '../../engine/errors';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import type { ObjectAccess } from '../../engine/permissions/access';
import { authorizeWrite, seesInClear, viewHistory, viewRecord, visibleProblems } from '../../engine/permissions/recordView';
import { matchesAll } from '../../engine/query/matchesFilter';
import { parseListRequest, planList } from '../../engine/query/listQuery';
import { planDelete, planPatch } from '../../engine/records/planWrites';
import type { WriteContext } from '../../engine/records/planWrites';
import type { HistoryEntry, StoredRecord, WritePlan } from '../../engine/records/types';
import { mergeRollups } from '../../engine/records/rollups';
import type { RuleRun } from '../../store/automationStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { commitPlan } from './commitPlan';
import { recomputeRollup } from './rollupRecompute';
import { saveCreate, saveUpdate } from './save';
import type { SaveContext, SaveReport } from './save';
import { currentBundle } from './currentBundle';
import { enrichRecords } from './enrich';
import { reachableOwners } from './directory';
import { objectWorkflow } from '../../engine/workflows/compileWorkflow';
import { slaMark } from '../../engine/workflows/slaStatus';
import { assertCurrentVersion, checkIfMatch } from './ifMatch';

/*
 * Record operations, free of HTTP: each takes the verified caller and plain input and
 * returns what this caller may see, or throws an EngineError. Access is decided here, on
 * every path: an object the caller may not read does not exist for them (404), a record
 * outside their scope does not exist for them (404), a permission they lack is 403.
 */

/** A record as the API shows it to one caller. */
export type ApiRecord = Record<string, unknown> & { id: string; version: number };

export interface Target {
  readonly bundle: CompiledBundle;
  readonly object: CompiledObject;
  readonly access: ObjectAccess;
}

export async function target(services: Services, user: UserContext, objectName: string): Promise<Target> {
  const bundle = await currentBundle(services, user.tenantId);
  const object = bundle.hasObject(objectName) ? bundle.object(objectName) : null;
  const access = object ? bundle.access(user.roles).object(object.name) : null;
  if (!object || !access?.can.read) throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  return { bundle, object, access };
}

const shown = (t: Target, record: StoredRecord) => viewRecord(t.object, t.access, record) as ApiRecord;

/** Records with their roll-up values and the parent values their formulas read (see enrich.ts). */
const withRollups = (services: Services, user: UserContext, t: Target, records: StoredRecord[]): Promise<StoredRecord[]> => enrichRecords(services, user.tenantId, t.bundle, t.object, records);

export const showOne = async (services: Services, user: UserContext, t: Target, record: StoredRecord) => shown(t, (await withRollups(services, user, t, [record]))[0]!);

/** Commits a plan, then recomputes the min/max roll-ups it touched. */
const commit = (services: Services, user: UserContext, t: Target, plan: WritePlan) => commitPlan(services, user.tenantId, t.bundle, plan);

export const saveContext = (services: Services, user: UserContext, t: Target): SaveContext => ({ services, actor: user, bundle: t.bundle, object: t.object });
const writeContext = (services: Services, user: UserContext): WriteContext => ({ userId: user.userId, now: services.now(), newId: services.newId });
const denied = (what: string) => new EngineError('access.denied', `You may not ${what}`);
const notFound = (object: string, id: string) => new EngineError('record.notFound', `There is no ${object} record ${id}`, [], { object, id });

/**
 * The record if the caller reaches it for reading (otherwise it does not exist for them),
 * with the owners the caller reaches (null: all), which write checks reuse.
 */
export async function reachable(services: Services, user: UserContext, t: Target, id: string): Promise<{ record: StoredRecord; owners: string[] | null }> {
  const record = await services.records.get(user.tenantId, t.object.name, id);
  if (!record) throw notFound(t.object.name, id);
  const owners = await reachableOwners(services, t.bundle, user, t.access);
  if (owners !== null && !owners.includes(record.owner)) throw notFound(t.object.name, id);
  return { record, owners };
}

/** Update and delete reach: the permission itself, then all records or the caller's scope. */
export function assertWriteReach(t: Target, record: StoredRecord, owners: string[] | null, op: 'update' | 'delete'): void {
  if (!t.access.can[op]) throw denied(`${op} ${t.object.name} records`);
  if (op === 'update' ? t.access.updateAll : t.access.deleteAll) return;
  if (owners !== null && !owners.includes(record.owner)) throw denied(`${op} this ${t.object.name} record`);
}

/** Errors shown to the caller never name a field hidden from them. */
export async function guarded<T>(t: Target, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw visibleProblems(error, t.access);
  }
}

/**
 * Changing the owner hands a record to someone else: allowed to the current owner and to
 * holders of `modifyAll`; on create, naming another owner needs `modifyAll`.
 */
function assertOwnerChange(t: Target, user: UserContext, input: unknown, currentOwner: string | null): void {
  const owner = (input as { owner?: unknown } | null)?.owner;
  if (owner === undefined || owner === (currentOwner ?? user.userId)) return;
  if (t.access.can.modifyAll) return;
  if (currentOwner !== null && currentOwner === user.userId) return;
  throw new EngineError('access.denied', 'You may not assign this record to someone else', [{ path: '/owner', code: 'readOnly', message: 'changing the owner needs modifyAll or owning the record', params: { field: 'owner' } }]);
}

/**
 * How a channel other than a person's request writes through the same checks (an import):
 * the pipeline's switches, items for the write's own transaction, and what the write found.
 */
export interface WriteOptions extends Pick<SaveContext, 'automation' | 'origin' | 'recordId' | 'duplicates'> {
  /** Items committed with the write, given the record before it (null on create); made after the write's checks, so `report` is filled. */
  readonly alongside?: (current: StoredRecord | null) => ReadonlyArray<Record<string, unknown>>;
  /** Filled by the write: duplicate warnings, and whether an update changed anything. */
  readonly report?: SaveReport & { changed?: boolean };
}

const optionsContext = (options: WriteOptions, current: StoredRecord | null, report: SaveReport): Partial<SaveContext> => ({
  ...(options.automation !== undefined ? { automation: options.automation } : {}),
  ...(options.origin ? { origin: options.origin } : {}),
  ...(options.recordId ? { recordId: options.recordId } : {}),
  ...(options.duplicates ? { duplicates: options.duplicates } : {}),
  ...(options.alongside ? { alongside: () => options.alongside!(current) } : {}),
  report,
});

/** The record as answered, naming the records a warn rule found alike (`_duplicates`: never a field name). */
const withWarnings = (record: ApiRecord, report: SaveReport): ApiRecord => (report.duplicates.length ? { ...record, _duplicates: report.duplicates } : record);

export async function createRecord(services: Services, user: UserContext, objectName: string, input: unknown, options: WriteOptions = {}): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  if (!t.access.can.create) throw denied(`create ${t.object.name} records`);
  const body = authorizeWrite(t.object, t.access, input, null);
  assertOwnerChange(t, user, body, null);
  const report = options.report ?? { duplicates: [] };
  return guarded(t, async () => withWarnings(await showOne(services, user, t, await saveCreate({ ...saveContext(services, user, t), ...optionsContext(options, null, report) }, body as Record<string, unknown>)), report));
}

export async function getRecord(services: Services, user: UserContext, objectName: string, id: string): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  return showOne(services, user, t, (await reachable(services, user, t, id)).record);
}

export async function patchRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, input: unknown, options: WriteOptions = {}): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, true, 'record');
  const { record: current, owners } = await reachable(services, user, t, id);
  assertWriteReach(t, current, owners, 'update');
  assertCurrentVersion(current.version, version, 'record');
  const body = authorizeWrite(t.object, t.access, input, current);
  assertOwnerChange(t, user, body, current.owner);
  const report = options.report ?? { duplicates: [] };
  return guarded(t, async () => {
    const saved = await saveUpdate({ ...saveContext(services, user, t), ...optionsContext(options, current, report) }, current, body as Record<string, unknown>, version!);
    if (options.report) options.report.changed = saved !== null;
    return withWarnings(await showOne(services, user, t, saved ?? current), report);
  });
}

/**
 * Deletes a record under its delete rules. `origin` marks every write of the delete (an
 * import's undo): with `automation: false` the stream consumer runs no rule for them.
 */
export async function deleteRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, options: Pick<WriteOptions, 'origin'> = {}): Promise<void> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, false, 'record');
  const { record: current, owners } = await reachable(services, user, t, id);
  assertWriteReach(t, current, owners, 'delete');
  assertCurrentVersion(current.version, version, 'record');
  // A record waiting for approval is locked against deletion too (administrators excepted), like every edit.
  if (current.workflow?.approval?.lock && !user.roles.includes(BUILT_IN_ADMIN)) throw new EngineError('record.locked', `This ${t.object.name} record is locked while it waits for approval`, [{ path: '', code: 'locked', message: 'the record is waiting for approval' }], { request: current.workflow.approval.request });
  const plans = await deletePlans(services, user, t.bundle, t.object, current, 0, { count: 0 });
  await commitInBatches(services, user, t, options.origin ? plans.map((p) => ({ ...p, origin: options.origin })) : plans);
}

/** Records one delete may clear or cascade to; beyond it the delete is refused and the caller deletes in parts. */
export const MAX_DELETE_EFFECTS = 1000;
/** Cascades deeper than this are refused: a delete rule chain is a data model, not a loop. */
const MAX_CASCADE_DEPTH = 5;

/** Every record of `child` whose lookup `field` points at `id` (through the child's index on it). */
async function childrenOf(services: Services, tenant: string, bundle: CompiledBundle, child: string, field: string, id: string): Promise<StoredRecord[]> {
  const object = bundle.object(child);
  const plan = planList(object, { filters: [{ field, op: 'eq', values: [id] }], sort: null, limit: 200, cursor: null });
  const out: StoredRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(tenant, plan, cursor, (r) => matchesAll(object, r, plan.residual));
    out.push(...page.records);
    cursor = page.nextCursor;
    if (out.length > MAX_DELETE_EFFECTS) break;
  } while (cursor);
  return out;
}

/**
 * The plans a delete takes under the lookups' delete rules, children first and the record
 * itself last: `restrict` refuses (409) while any record points here, `clear` empties the
 * pointing field, `cascade` deletes the pointing records with their own rules applied.
 * These are consequences the platform carries out, whatever the caller's rights on the children.
 */
async function deletePlans(services: Services, user: UserContext, bundle: CompiledBundle, object: CompiledObject, record: StoredRecord, depth: number, effects: { count: number }): Promise<WritePlan[]> {
  if (depth > MAX_CASCADE_DEPTH) throw new EngineError('record.referenced', `Delete rules cascade deeper than ${MAX_CASCADE_DEPTH} levels`);
  const plans: WritePlan[] = [];
  const ctx = writeContext(services, user);
  for (const rule of object.referencedBy) {
    const children = (await childrenOf(services, user.tenantId, bundle, rule.child, rule.field, record.id)).filter((c) => !(c.object === record.object && c.id === record.id));
    if (children.length === 0) continue;
    if (rule.onDelete === 'restrict') {
      throw new EngineError('record.referenced', `${children.length} ${rule.child} record(s) still point at this ${object.name}`, [
        { path: `/${rule.child}/${rule.field}`, code: 'restrict', message: `${rule.child}.${rule.field} refers to this record`, params: { object: rule.child, field: rule.field, count: children.length } },
      ]);
    }
    effects.count += children.length;
    if (effects.count > MAX_DELETE_EFFECTS) {
      throw new EngineError('record.referenced', `Deleting this record would change more than ${MAX_DELETE_EFFECTS} other records; delete or reassign them in parts first`, [], { limit: MAX_DELETE_EFFECTS });
    }
    const childObject = bundle.object(rule.child);
    for (const child of children) {
      if (rule.onDelete === 'clear') {
        const plan = planPatch(childObject, child, { [rule.field]: null }, child.version, ctx);
        if (plan) plans.push(plan);
      } else {
        plans.push(...(await deletePlans(services, user, bundle, childObject, child, depth + 1, effects)));
      }
    }
  }
  plans.push(planDelete(object, record, record.version, ctx));
  return plans;
}

/**
 * One transaction when everything fits DynamoDB's 100 items; otherwise batches of whole
 * plans, children first and the record last, so a delete interrupted halfway is finished by
 * asking again (what was done is not done twice: cleared fields stay clear, deleted records stay gone).
 */
async function commitInBatches(services: Services, user: UserContext, t: Target, plans: WritePlan[]): Promise<void> {
  if (plans.length === 1) {
    await commit(services, user, t, plans[0]!);
    return;
  }
  const size = (p: WritePlan) => services.records.transactionSize(user.tenantId, p) + p.rollupDeltas.length;
  const batches: WritePlan[][] = [];
  let current: WritePlan[] = [];
  let items = 0;
  for (const plan of plans) {
    const n = size(plan);
    if (current.length > 0 && items + n > 90) {
      batches.push(current);
      current = [];
      items = 0;
    }
    current.push(plan);
    items += n;
  }
  batches.push(current);
  for (const batch of batches) {
    const merged = mergeRollups(batch);
    await services.records.commitMany(user.tenantId, merged);
    for (const job of merged[0]!.rollupRecompute) await recomputeRollup(services, user.tenantId, t.bundle, job);
  }
}

export interface RecordList {
  readonly records: ApiRecord[];
  readonly nextCursor: string | null;
  readonly servedBy: string;
  readonly examined: number;
  readonly residualFilters: string[];
}

export async function listRecords(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>): Promise<RecordList> {
  const t = await target(services, user, objectName);
  // Hidden fields cannot be filtered or sorted by; masked ones neither, or a filter would reveal them.
  // Formulas with TODAY() or NOW() are computed on read: there is nothing stored to filter on.
  const usable = (field: string) =>
    seesInClear(t.object, t.access, field) && !t.object.volatileFormulas.some((f) => f.field.name === field);
  const { sla, ...listQuery } = query;
  const request = parseListRequest(t.object, listQuery, usable);
  if (sla !== undefined && sla !== 'true' && sla !== 'false') throw new EngineError('query.invalid', 'The list query is not valid', [{ path: '/sla', code: 'type', message: 'sla takes true or false' }]);
  const owners = await reachableOwners(services, t.bundle, user, t.access);
  const plan = planList(t.object, request, owners);
  const page = await services.records.list(user.tenantId, plan, request.cursor, (r) => matchesAll(t.object, r, plan.residual));
  const records = (await withRollups(services, user, t, page.records)).map((r) => shown(t, r));
  if (sla === 'true') await markSla(services, t, page.records, records);
  return {
    records,
    nextCursor: page.nextCursor,
    servedBy: plan.servedBy,
    examined: page.examined,
    residualFilters: [...new Set(plan.residual.map((f) => f.field))],
  };
}

/**
 * `sla=true`: each record gets `_sla` (never a field name): when it entered its workflow state
 * and when the state's service levels are due, with `ok`, `near` or `breached` — null without
 * one, or when the state field is hidden from the caller.
 */
async function markSla(services: Services, t: Target, stored: readonly StoredRecord[], records: ApiRecord[]): Promise<void> {
  const wf = objectWorkflow(t.bundle.bundle, t.object.name);
  const visible = wf !== null && (t.access.fields.get(wf.field)?.value ?? 'hidden') !== 'hidden';
  const now = services.now();
  for (let i = 0; i < records.length; i++) records[i] = { ...records[i]!, _sla: visible ? await slaMark(t.bundle.bundle, t.object.name, stored[i]!, now) : null };
}

export async function recordHistory(
  services: Services,
  user: UserContext,
  objectName: string,
  id: string,
  limit: number,
  cursor: string | null,
): Promise<{ entries: HistoryEntry[]; nextCursor: string | null }> {
  const t = await target(services, user, objectName);
  const page = await services.records.history(user.tenantId, t.object.name, id, limit, cursor);
  // Every history entry carries the owner after its change, so the newest one names the record's
  // owner — also once the record is deleted, whose history stays readable to whoever reached that owner.
  const owner = cursor
    ? await services.records.lastOwner(user.tenantId, t.object.name, id)
    : (page.entries[0]?.owner ?? (await services.records.get(user.tenantId, t.object.name, id))?.owner ?? null);
  if (owner === null) throw notFound(t.object.name, id);
  const owners = await reachableOwners(services, t.bundle, user, t.access);
  if (owners !== null && !owners.includes(owner)) throw notFound(t.object.name, id);
  return { entries: viewHistory(t.object, t.access, page.entries), nextCursor: page.nextCursor };
}

/**
 * A related list: the records of `child` whose lookup `field` points at a parent record,
 * as the caller may see them. `relation` is `<child>` when the child has one lookup to the
 * parent's object, or `<child>.<field>`. The parent must be reachable by the caller; the
 * children are listed like any list (index, scope, cursor), filtered on the lookup.
 */
export async function relatedRecords(
  services: Services,
  user: UserContext,
  objectName: string,
  id: string,
  relation: string,
  query: Readonly<Record<string, string | undefined>>,
): Promise<RecordList & { object: string; field: string }> {
  const parent = await target(services, user, objectName);
  await reachable(services, user, parent, id);
  const [childName, fieldName] = relation.split('.', 2) as [string, string | undefined];
  const notARelation = () => new EngineError('route.notFound', `${objectName} has no related list "${relation}"`, [], { relation });
  if (!parent.bundle.hasObject(childName)) throw notARelation();
  const child = parent.bundle.object(childName);
  const lookups = child.def.fields.filter((f) => f.type === 'lookup' && f.target === parent.object.name && (fieldName === undefined || f.name === fieldName));
  if (lookups.length !== 1) throw notARelation();
  const field = lookups[0]!.name;
  const childAccess = parent.bundle.access(user.roles).object(childName);
  if (!childAccess.can.read || childAccess.fields.get(field)?.value === 'hidden') throw notARelation();
  const { [`filter[${field}]`]: _ignored, ...rest } = query;
  const list = await listRecords(services, user, childName, { ...rest, [`filter[${field}]`]: id });
  return { ...list, object: childName, field };
}

/**
 * Runs the object's assignment rules on one record now (the "reassign" action): the first
 * matching entry gives it its owner. Needs update access to the record. `retrying`: the failed
 * assignment run this reassign retries, which then records the outcome (not a new run).
 */
export async function reassignRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, retrying?: RuleRun): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, true, 'record');
  const { record: current, owners } = await reachable(services, user, t, id);
  assertWriteReach(t, current, owners, 'update');
  assertCurrentVersion(current.version, version, 'record');
  return guarded(t, async () => {
    const saved = await saveUpdate(saveContext(services, user, t), current, {}, version!, { reassign: true, ...(retrying ? { retrying } : {}) });
    return showOne(services, user, t, saved ?? current);
  });
}

/** A member of a queue takes a record waiting in it: the record becomes theirs. */
export async function takeRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, true, 'record');
  const { record: current } = await reachable(services, user, t, id);
  assertCurrentVersion(current.version, version, 'record');
  const queue = (await services.identity.team(user.tenantId, current.owner).catch(() => null)) ?? null;
  if (!queue) throw new EngineError('request.invalid', 'This record is not waiting in a queue', [{ path: '/owner', code: 'notAQueue', message: 'the record is owned by a user, not a queue', params: { field: 'owner' } }]);
  if (!queue.members.includes(user.userId)) throw denied(`take records from the ${queue.name} queue`);
  return guarded(t, async () => {
    const saved = await saveUpdate(saveContext(services, user, t), current, { owner: user.userId }, version!);
    return showOne(services, user, t, saved ?? current);
  });
}

/** The record as it is stored, once the caller is known to reach it (for operations beside records: rule runs, transitions). */
export async function reachableRecord(services: Services, user: UserContext, objectName: string, id: string): Promise<StoredRecord> {
  const t = await target(services, user, objectName);
  return (await reachable(services, user, t, id)).record;
}
