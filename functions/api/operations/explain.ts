import { EngineError } from '../../engine/errors';
import { RECORD_ID } from '../../engine/ids';
import { OBJECT_PERMISSIONS } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { callerAccess } from './adminAccess';
import { currentBundle } from './currentBundle';
import { reachableOwners } from './directory';

/**
 * Why a user may or may not do something: each permission with the decision and every
 * role's part in it, each field's level and who set it, the data scope, and — for a record —
 * whether its owner falls in that scope. For administrators (manageUsers or manageMetadata).
 */
export async function explainAccess(services: Services, caller: UserContext, query: Readonly<Record<string, string | undefined>>) {
  const mine = await callerAccess(services, caller);
  if (!mine.can('manageUsers') && !mine.can('manageMetadata')) throw new EngineError('access.denied', 'Explaining access needs manageUsers or manageMetadata');
  const problems = [
    ...(query.user && RECORD_ID.test(query.user) ? [] : [{ path: '/user', code: 'required', message: 'user must be a user id' }]),
    ...(query.object ? [] : [{ path: '/object', code: 'required', message: 'object is required' }]),
    ...(query.record === undefined || RECORD_ID.test(query.record) ? [] : [{ path: '/record', code: 'type', message: 'record must be a record id' }]),
  ];
  if (problems.length) throw new EngineError('query.invalid', 'Name a user and an object', problems);
  const subject = await services.identity.user(caller.tenantId, query.user!);
  if (!subject) throw new EngineError('record.notFound', 'There is no such user', [], { id: query.user });
  const bundle = await currentBundle(services, caller.tenantId);
  if (!bundle.hasObject(query.object!)) throw new EngineError('object.notFound', `There is no object "${query.object}"`);
  const access = bundle.access(subject.roles);
  const object = access.object(query.object!);
  const subjectContext: UserContext = { tenantId: caller.tenantId, userId: subject.id, roles: subject.roles };
  const owners = await reachableOwners(services, bundle, subjectContext, object);

  let record: Record<string, unknown> | undefined;
  if (query.record) {
    const stored = await services.records.get(caller.tenantId, object.object, query.record);
    if (!stored) throw new EngineError('record.notFound', 'There is no such record', [], { id: query.record });
    const inScope = owners === null || owners.includes(stored.owner);
    const ownerWhy = stored.owner === subject.id ? 'the user owns it' : inScope ? `its owner is in the user's scope (${[...object.scopes].join(', ')})` : `its owner is outside the user's scope (${[...object.scopes].join(', ') || 'none'})`;
    record = {
      id: stored.id,
      owner: stored.owner,
      read: { allowed: object.can.read && inScope, why: !object.can.read ? 'no read permission' : object.readAll ? object.reach.read : ownerWhy },
      update: { allowed: object.can.update && (object.updateAll || inScope), why: !object.can.update ? 'no update permission' : object.updateAll ? object.reach.update : ownerWhy },
      delete: { allowed: object.can.delete && (object.deleteAll || inScope), why: !object.can.delete ? 'no delete permission' : object.deleteAll ? object.reach.delete : ownerWhy },
    };
  }
  return {
    user: { id: subject.id, name: subject.name, active: subject.active, roles: subject.roles, unknownRoles: access.unknownRoles },
    metadataVersion: bundle.version,
    rule: 'A deny from any role beats every grant; otherwise any grant allows. Fields: any reading role saying hidden hides; otherwise the highest level wins.',
    object: object.object,
    permissions: Object.fromEntries(OBJECT_PERMISSIONS.map((p) => [p, object.permissions[p]])),
    fields: Object.fromEntries([...object.fields].map(([name, e]) => [name, e])),
    scope: {
      scopes: [...object.scopes],
      readAll: { value: object.readAll, why: object.reach.read },
      updateAll: { value: object.updateAll, why: object.reach.update },
      deleteAll: { value: object.deleteAll, why: object.reach.delete },
      owners: owners === null ? 'all' : owners,
    },
    admin: access.admin,
    ...(record ? { record } : {}),
  };
}
