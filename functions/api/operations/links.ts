import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { EngineError, match } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { RECORD_ID } from '../../engine/ids';
import type { LookupField } from '../../engine/metadata/types';
import { parseListRequest, planList } from '../../engine/query/listQuery';
import { matchesAll } from '../../engine/query/matchesFilter';
import { pairKey } from '../../engine/records/masterDetail';
import { viewRecord } from '../../engine/permissions/recordView';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';
import { reachableOwners } from './directory';
import { enrichRecords } from './enrich';
import { createRecord, deleteRecord, getRecord } from './records';
import type { ApiRecord } from './records';

/*
 * Many-to-many through a platform-managed junction object: links are junction records,
 * created and deleted through the ordinary record operations (so every check of a write
 * applies), found by the pair's guard item (one GetItem), and listed from either side as the
 * records on the other side — each one as the caller may see it.
 */

interface Junction {
  readonly bundle: CompiledBundle;
  readonly junction: CompiledObject;
  /** The junction's lookup to the record the request is about, and the one to the other side. */
  readonly here: LookupField;
  readonly there: LookupField;
}

async function junctionFor(services: Services, user: UserContext, objectName: string, junctionName: string): Promise<Junction> {
  const bundle = await currentBundle(services, user.tenantId);
  const none = () => new EngineError('route.notFound', `${objectName} has no links through "${junctionName}"`, [], { junction: junctionName });
  if (!bundle.hasObject(junctionName)) throw none();
  const junction = bundle.object(junctionName);
  if (!junction.junction || !bundle.access(user.roles).object(junctionName).can.read) throw none();
  const { left, right } = junction.junction;
  if (left.target === objectName) return { bundle, junction, here: left, there: right };
  if (right.target === objectName) return { bundle, junction, here: right, there: left };
  throw none();
}

/** The pair's guard key, left side first whichever side the request came from. */
const pairOf = (j: Junction, here: string, there: string) => (j.here === j.junction.junction!.left ? pairKey(here, there) : pairKey(there, here));

/**
 * Links record `id` of `objectName` to record `to` on the junction's other side, as a new
 * junction record (with any junction fields in `values`). A pair is linked at most once
 * (409 `alreadyLinked`). The caller must reach both records and may create junction records.
 */
export async function linkRecords(services: Services, user: UserContext, objectName: string, id: string, junctionName: string, input: unknown): Promise<ApiRecord> {
  const j = await junctionFor(services, user, objectName, junctionName);
  const body = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as { to?: unknown; values?: unknown };
  const problems: Problem[] = [];
  if (typeof body.to !== 'string' || !RECORD_ID.test(body.to)) problems.push({ path: '/to', code: 'type', message: `to is the id of a ${j.there.target} record` });
  const values = body.values ?? {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) problems.push({ path: '/values', code: 'type', message: 'values is an object of junction fields' });
  else for (const key of [j.here.name, j.there.name]) if (key in values) problems.push({ path: `/values/${key}`, code: 'readOnly', message: `${key} is set by the link itself`, params: { field: key } });
  for (const key of Object.keys(body)) if (key !== 'to' && key !== 'values') problems.push({ path: `/${key}`, code: 'unknownField', message: `unknown member "${key}"` });
  if (problems.length) throw new EngineError('validation.failed', 'The link is not valid', problems);
  const to = body.to as string;

  await getRecord(services, user, objectName, id);
  try {
    await getRecord(services, user, j.there.target, to);
  } catch (error) {
    if (!match(error, 'record.notFound') && !match(error, 'object.notFound')) throw error;
    throw new EngineError('validation.failed', 'The link is not valid', [{ path: '/to', code: 'notFound', message: `there is no ${j.there.target} record ${to} you may see`, params: { field: 'to' } }]);
  }
  try {
    return await createRecord(services, user, j.junction.name, { ...(values as Record<string, unknown>), [j.here.name]: id, [j.there.name]: to });
  } catch (error) {
    if (match(error, 'record.duplicate') && error.details.some((p) => p.path === `/${j.junction.junction!.right.name}`)) {
      throw new EngineError('record.duplicate', 'These records are already linked', [{ path: '/to', code: 'alreadyLinked', message: `this ${objectName} is already linked to ${j.there.target} ${to}`, params: { field: 'to' } }]);
    }
    throw error;
  }
}

/** Removes the link between record `id` and record `other` (deletes its junction record). */
export async function unlinkRecords(services: Services, user: UserContext, objectName: string, id: string, junctionName: string, other: string): Promise<void> {
  const j = await junctionFor(services, user, objectName, junctionName);
  await getRecord(services, user, objectName, id);
  const link = RECORD_ID.test(other) ? await services.records.guardHolder(user.tenantId, j.junction.name, j.junction.junction!.right.name, pairOf(j, id, other)) : null;
  if (!link) throw new EngineError('record.notFound', `This ${objectName} is not linked to ${j.there.target} ${other}`, [], { object: j.there.target, id: other });
  await deleteRecord(services, user, j.junction.name, link, undefined);
}

export interface LinkedPage {
  readonly object: string;
  readonly junction: string;
  readonly items: Array<Record<string, unknown>>;
  /** Per item: the junction record that links it. */
  readonly links: Array<{ readonly id: string; readonly record: string }>;
  readonly nextCursor: string | null;
  readonly servedBy: string;
}

/**
 * The records linked to record `id` on the junction's other side, oldest link first, as the
 * caller may see them: records of that object the caller does not reach are left out (the
 * page may then be short; the cursor continues). Junction rows are found through the
 * junction's index on this side, and the other side's records in one BatchGetItem per page.
 */
export async function linkedRecords(services: Services, user: UserContext, objectName: string, id: string, junctionName: string, query: Readonly<Record<string, string | undefined>>): Promise<LinkedPage> {
  const j = await junctionFor(services, user, objectName, junctionName);
  await getRecord(services, user, objectName, id);
  const { limit, cursor } = parseListRequest(j.junction, { limit: query.limit, cursor: query.cursor }, () => false);
  const unknown = Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor');
  if (unknown.length) throw new EngineError('query.invalid', 'Links take limit and cursor only', unknown.map((k) => ({ path: `/${k}`, code: 'unknownParameter', message: `unknown query parameter "${k}"`, params: { parameter: k } })));
  const plan = planList(j.junction, { filters: [{ field: j.here.name, op: 'eq', values: [id] }], sort: null, limit, cursor });
  const page = await services.records.list(user.tenantId, plan, cursor, (r) => matchesAll(j.junction, r, plan.residual));

  const other = j.bundle.object(j.there.target);
  const access = j.bundle.access(user.roles).object(other.name);
  const owners = access.can.read ? await reachableOwners(services, j.bundle, user, access) : [];
  const found = await services.records.getMany(user.tenantId, other.name, page.records.map((r) => String(r.values[j.there.name])));
  const pairs = page.records.flatMap((link) => {
    const record = found.get(String(link.values[j.there.name]));
    return record && (owners === null || owners.includes(record.owner)) ? [{ link, record }] : [];
  });
  const shown = await enrichRecords(services, user.tenantId, j.bundle, other, pairs.map((p) => p.record));
  return {
    object: other.name,
    junction: j.junction.name,
    items: shown.map((r) => viewRecord(other, access, r)),
    links: pairs.map((p) => ({ id: p.link.id, record: p.record.id })),
    nextCursor: page.nextCursor,
    servedBy: plan.servedBy,
  };
}
