import { EngineError } from '../../engine/errors';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { matchesAll } from '../../engine/query/matchesFilter';
import { parseListRequest, planList } from '../../engine/query/listQuery';
import { planCreate, planDelete, planPatch, toApiRecord } from '../../engine/records/planWrites';
import type { WriteContext } from '../../engine/records/planWrites';
import type { HistoryEntry, StoredRecord } from '../../engine/records/types';
import type { AutoNumberField } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';

/*
 * Record operations, free of HTTP: each takes the verified caller and plain input, and
 * returns plain data or throws an EngineError. Until roles land (security model), any
 * authenticated user of a tenant may do everything within it, and nothing outside it.
 */

async function objectFor(services: Services, user: UserContext, object: string): Promise<CompiledObject> {
  return (await currentBundle(services, user.tenantId)).object(object);
}

const writeContext = (services: Services, user: UserContext): WriteContext => ({ userId: user.userId, now: services.now(), newId: services.newId });

async function mustGet(services: Services, user: UserContext, object: string, id: string): Promise<StoredRecord> {
  const record = await services.records.get(user.tenantId, object, id);
  if (!record) throw new EngineError('record.notFound', `There is no ${object} record ${id}`, [], { object, id });
  return record;
}

/** A record as the API shows it: system fields and the values of the object's current fields. */
export type ApiRecord = Record<string, unknown> & { id: string; version: number };
const shown = (object: CompiledObject, record: StoredRecord) => toApiRecord(object, record) as ApiRecord;

export async function createRecord(services: Services, user: UserContext, objectName: string, input: unknown): Promise<ApiRecord> {
  const object = await objectFor(services, user, objectName);
  // Validate before drawing numbers, so a bad request does not burn auto-number values.
  const probe = planCreate(object, input, writeContext(services, user), Object.fromEntries(object.autoNumberFields.map((f) => [f.name, 0])));
  const numbers: Record<string, number> = {};
  for (const field of object.autoNumberFields) {
    numbers[field.name] = await services.records.nextCounter(user.tenantId, object.name, field.name, (field as AutoNumberField).start ?? 1);
  }
  const plan = object.autoNumberFields.length === 0 ? probe : planCreate(object, input, writeContext(services, user), numbers);
  await services.records.commit(user.tenantId, plan);
  return shown(object, plan.record!);
}

export async function getRecord(services: Services, user: UserContext, objectName: string, id: string): Promise<ApiRecord> {
  const object = await objectFor(services, user, objectName);
  return shown(object, await mustGet(services, user, object.name, id));
}

export async function patchRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, input: unknown): Promise<ApiRecord> {
  const object = await objectFor(services, user, objectName);
  if (version === undefined) throw new EngineError('record.versionRequired', 'Send If-Match with the version you are changing');
  if (Number.isNaN(version)) throw new EngineError('request.invalid', 'If-Match must be a record version', [{ path: '/headers/if-match', code: 'type', message: 'must be a version number' }]);
  const current = await mustGet(services, user, object.name, id);
  if (current.version !== version) {
    throw new EngineError('record.versionConflict', `The record is at version ${current.version}, not ${version}`, [], { currentVersion: current.version });
  }
  const plan = planPatch(object, current, input, version, writeContext(services, user));
  if (!plan) return shown(object, current);
  await services.records.commit(user.tenantId, plan);
  return shown(object, plan.record!);
}

export async function deleteRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined): Promise<void> {
  const object = await objectFor(services, user, objectName);
  if (version !== undefined && Number.isNaN(version)) throw new EngineError('request.invalid', 'If-Match must be a record version', [{ path: '/headers/if-match', code: 'type', message: 'must be a version number' }]);
  const current = await mustGet(services, user, object.name, id);
  if (version !== undefined && current.version !== version) {
    throw new EngineError('record.versionConflict', `The record is at version ${current.version}, not ${version}`, [], { currentVersion: current.version });
  }
  await services.records.commit(user.tenantId, planDelete(object, current, current.version, writeContext(services, user)));
}

export interface RecordList {
  readonly records: ApiRecord[];
  readonly nextCursor: string | null;
  readonly servedBy: string;
  readonly examined: number;
  readonly residualFilters: string[];
}

export async function listRecords(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>): Promise<RecordList> {
  const object = await objectFor(services, user, objectName);
  const request = parseListRequest(object, query);
  const plan = planList(object, request);
  const page = await services.records.list(user.tenantId, plan, request.cursor, (r) => matchesAll(object, r, plan.residual));
  return {
    records: page.records.map((r) => shown(object, r)),
    nextCursor: page.nextCursor,
    servedBy: plan.servedBy,
    examined: page.examined,
    residualFilters: [...new Set(plan.residual.map((f) => f.field))],
  };
}

export async function recordHistory(
  services: Services,
  user: UserContext,
  objectName: string,
  id: string,
  limit: number,
  cursor: string | null,
): Promise<{ entries: HistoryEntry[]; nextCursor: string | null }> {
  const object = await objectFor(services, user, objectName);
  const page = await services.records.history(user.tenantId, object.name, id, limit, cursor);
  if (page.entries.length === 0 && !cursor) throw new EngineError('record.notFound', `There is no ${object.name} record ${id}`, [], { object: object.name, id });
  return page;
}
