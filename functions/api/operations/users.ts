import { randomBytes } from 'node:crypto';
import { lazyValidator } from '../../engine/ajv';
import { EngineError } from '../../engine/errors';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { UserRecord, TeamRecord } from '../../store/identityStore';
import { hashPassword } from '../auth/passwords';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { callerAccess, requireAdmin } from './adminAccess';
import { currentBundle, headVersion } from './currentBundle';
import { forgetDirectory, forgetUser } from './directory';
import { assertCurrentVersion, checkIfMatch } from './ifMatch';

const id = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' };
const roles = { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' }, uniqueItems: true, maxItems: 20 };
/** Local passwords: at least 10 characters (NIST SP 800-63B asks for 8; CRM data is worth more). */
const password = { type: 'string', minLength: 10, maxLength: 200 };
const validateCreate = lazyValidator({
  type: 'object',
  properties: { email: { type: 'string', format: 'email', maxLength: 254 }, name: { type: 'string', minLength: 1, maxLength: 120 }, roles, password, manager: id },
  required: ['email', 'name', 'roles'],
  additionalProperties: false,
});
const validatePatch = lazyValidator({
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 120 }, roles, password, active: { type: 'boolean' }, manager: { anyOf: [id, { type: 'null' }] } },
  additionalProperties: false,
});
const validateTeam = (required: boolean) =>
  lazyValidator({
    type: 'object',
    properties: { name: { type: 'string', minLength: 1, maxLength: 120 }, members: { type: 'array', items: id, uniqueItems: true, maxItems: 500 } },
    ...(required ? { required: ['name', 'members'] } : {}),
    additionalProperties: false,
  });
const validateTeamCreate = validateTeam(true);
const validateTeamPatch = validateTeam(false);

function check<T>(validate: (data: unknown) => Array<{ path: string; code: string; message: string }>, input: unknown, what: string): T {
  const problems = validate(input);
  if (problems.length > 0) throw new EngineError('validation.failed', `The ${what} is not valid`, problems);
  return input as T;
}

async function assertRolesExist(services: Services, user: UserContext, names: readonly string[] | undefined): Promise<void> {
  if (!names) return;
  const version = await headVersion(services, user.tenantId);
  const defined = new Set([BUILT_IN_ADMIN, ...(version === 0 ? [] : ((await currentBundle(services, user.tenantId)).bundle.roles ?? []).map((r) => r.name))]);
  const unknown = names.map((n, i) => [n, i] as const).filter(([n]) => !defined.has(n));
  if (unknown.length > 0) {
    throw new EngineError('validation.failed', 'Unknown roles', unknown.map(([n, i]) => ({ path: `/roles/${i}`, code: 'unknownRole', message: `role "${n}" is not defined in the published metadata`, params: { role: n } })));
  }
}

/** A manager must exist, and the manager chain must not come back to the user. */
async function assertManager(services: Services, tenant: string, userId: string | null, manager: string | null | undefined): Promise<void> {
  if (!manager) return;
  const seen = new Set<string>(userId ? [userId] : []);
  let next: string | undefined = manager;
  while (next) {
    if (seen.has(next)) throw new EngineError('validation.failed', 'The manager chain would form a cycle', [{ path: '/manager', code: 'cycle', message: 'a user cannot manage themselves, directly or through others' }]);
    seen.add(next);
    const u = await services.identity.user(tenant, next);
    if (!u) {
      if (next === manager) throw new EngineError('validation.failed', 'The manager does not exist', [{ path: '/manager', code: 'notFound', message: 'no such user' }]);
      break;
    }
    next = u.manager;
  }
}

const audit = (services: Services, user: UserContext, action: string, target: string, before: unknown, after: unknown) =>
  services.audit.record(user.tenantId, { id: services.newId(), at: services.now().toISOString(), actor: user.userId, action, target, before, after });

/** The tenant's people: everyone sees names; holders of `manageUsers` also see e-mails, roles and managers. */
export async function listUsers(services: Services, user: UserContext): Promise<Array<Partial<UserRecord>>> {
  const access = await callerAccess(services, user);
  const users = await services.identity.users(user.tenantId);
  return access.can('manageUsers') ? users : users.map((u) => ({ id: u.id, name: u.name, active: u.active }));
}

export async function createUser(services: Services, user: UserContext, input: unknown): Promise<UserRecord> {
  await requireAdmin(services, user, 'manageUsers');
  const body = check<{ email: string; name: string; roles: string[]; password?: string; manager?: string }>(validateCreate, input, 'user');
  await assertRolesExist(services, user, body.roles);
  await assertManager(services, user.tenantId, null, body.manager);
  // Without a password the user cannot sign in locally until one is set (in AWS, Cognito owns passwords).
  const passwordHash = await hashPassword(body.password ?? randomBytes(24).toString('base64url'));
  const created: UserRecord = { id: services.newId(), email: body.email, name: body.name, roles: body.roles, active: true, createdAt: services.now().toISOString(), ...(body.manager ? { manager: body.manager } : {}), version: 1 };
  await services.identity.createUser(user.tenantId, { ...created, passwordHash });
  forgetUser(user.tenantId, created.id);
  await audit(services, user, 'user.create', `user/${created.id}`, null, created);
  return created;
}

export async function updateUser(services: Services, user: UserContext, userId: string, version: number | undefined, input: unknown): Promise<UserRecord> {
  await requireAdmin(services, user, 'manageUsers');
  const body = check<{ name?: string; roles?: string[]; password?: string; active?: boolean; manager?: string | null }>(validatePatch, input, 'user');
  const current = await services.identity.user(user.tenantId, userId);
  if (!current) throw new EngineError('record.notFound', 'There is no such user', [], { id: userId });
  const expected = checkIfMatch(version, true, 'user');
  if (userId === user.userId && body.active === false) {
    throw new EngineError('validation.failed', 'You cannot deactivate yourself', [{ path: '/active', code: 'self', message: 'ask another administrator' }]);
  }
  await assertRolesExist(services, user, body.roles);
  await assertManager(services, user.tenantId, userId, body.manager);
  const { password: newPassword, ...change } = body;
  await services.identity.updateUser(user.tenantId, userId, expected, { ...change, ...(newPassword ? { passwordHash: await hashPassword(newPassword) } : {}) });
  forgetUser(user.tenantId, userId);
  const { passwordHash: _h, ...before } = current;
  const after = { ...before, ...change, version: expected + 1 } as UserRecord;
  if (change.manager === null) delete (after as { manager?: string }).manager;
  await audit(services, user, 'user.update', `user/${userId}`, before, { ...after, ...(newPassword ? { password: 'changed' } : {}) });
  return after;
}

export const listTeams = async (services: Services, user: UserContext): Promise<TeamRecord[]> => services.identity.teams(user.tenantId);

async function assertMembers(services: Services, user: UserContext, members: readonly string[] | undefined): Promise<void> {
  if (!members) return;
  // Fresh from the table: a user created a moment ago may be made a member at once.
  const known = new Set((await services.identity.users(user.tenantId)).map((u) => u.id));
  const missing = members.map((m, i) => [m, i] as const).filter(([m]) => !known.has(m));
  if (missing.length > 0) throw new EngineError('validation.failed', 'Unknown team members', missing.map(([m, i]) => ({ path: `/members/${i}`, code: 'notFound', message: `no user ${m}` })));
}

export async function createTeam(services: Services, user: UserContext, input: unknown): Promise<TeamRecord> {
  await requireAdmin(services, user, 'manageUsers');
  const body = check<{ name: string; members: string[] }>(validateTeamCreate, input, 'team');
  await assertMembers(services, user, body.members);
  const team = await services.identity.putTeam(user.tenantId, { id: services.newId(), ...body }, 0);
  forgetDirectory(user.tenantId);
  await audit(services, user, 'team.create', `team/${team.id}`, null, team);
  return team;
}

export async function updateTeam(services: Services, user: UserContext, teamId: string, version: number | undefined, input: unknown): Promise<TeamRecord> {
  await requireAdmin(services, user, 'manageUsers');
  const body = check<{ name?: string; members?: string[] }>(validateTeamPatch, input, 'team');
  const current = await services.identity.team(user.tenantId, teamId);
  if (!current) throw new EngineError('record.notFound', 'There is no such team', [], { id: teamId });
  assertCurrentVersion(current.version, checkIfMatch(version, true, 'team'), 'team');
  await assertMembers(services, user, body.members);
  const team = await services.identity.putTeam(user.tenantId, { id: teamId, name: body.name ?? current.name, members: body.members ?? current.members }, current.version);
  forgetDirectory(user.tenantId);
  await audit(services, user, 'team.update', `team/${teamId}`, current, team);
  return team;
}
