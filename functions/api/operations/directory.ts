import { EngineError } from '../../engine/errors';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { ObjectAccess } from '../../engine/permissions/access';
import { rolesBelow } from '../../engine/permissions/access';
import type { StoredUser, TeamRecord, UserRecord } from '../../store/identityStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { SharedReads } from './sharedReads';

/*
 * Users and teams as the request path needs them, cached per container for `userTtlMs`
 * (default 1 s): a deactivation or role change takes effect within that time everywhere.
 */
const users = new SharedReads<StoredUser | null>();
const directories = new SharedReads<{ users: UserRecord[]; teams: TeamRecord[] }>();

export function forgetUser(tenant: string, userId: string): void {
  users.forget(`${tenant}/${userId}`);
  forgetDirectory(tenant);
}

/** After a team or user change: scopes read the tenant's users and teams again. */
export function forgetDirectory(tenant: string): void {
  directories.forget(tenant);
}

/**
 * The caller as the table knows them now: a token of a deleted or deactivated user stops
 * working, and roles come from the user record, not from the token.
 */
export async function resolveCaller(services: Services, claims: UserContext): Promise<UserContext> {
  const user = await users.get(`${claims.tenantId}/${claims.userId}`, services.userTtlMs, () => services.identity.user(claims.tenantId, claims.userId));
  if (!user || !user.active) throw new EngineError('auth.invalidToken', 'This user is deactivated or no longer exists');
  return { tenantId: claims.tenantId, userId: user.id, roles: user.roles, email: user.email };
}

/** The tenant's users and teams (one read shared by callers that miss the cache together). */
export async function directory(services: Services, tenant: string): Promise<{ users: UserRecord[]; teams: TeamRecord[] }> {
  return directories.get(tenant, services.userTtlMs, async () => {
    const [users, teams] = await Promise.all([services.identity.users(tenant), services.identity.teams(tenant)]);
    return { users, teams };
  });
}

/**
 * The owners whose records the caller reaches on an object, or null when they reach all
 * records. Own: the caller. Team: members of the caller's teams. Subordinates: the caller and
 * holders of roles below the caller's roles. Always: the queues (teams) the caller belongs to.
 */
export async function reachableOwners(services: Services, bundle: CompiledBundle, user: UserContext, access: ObjectAccess): Promise<string[] | null> {
  if (access.readAll) return null;
  if (!access.can.read) return [];
  const owners = new Set<string>();
  if (access.scopes.has('own')) owners.add(user.userId);
  const dir = await directory(services, user.tenantId);
  // Records waiting in a queue (owned by a team) are reached by the team's members.
  for (const team of dir.teams) if (team.members.includes(user.userId)) owners.add(team.id);
  if (access.scopes.has('team') || access.scopes.has('subordinates')) {
    if (access.scopes.has('team')) {
      owners.add(user.userId);
      for (const team of dir.teams) if (team.members.includes(user.userId)) for (const m of team.members) owners.add(m);
    }
    if (access.scopes.has('subordinates')) {
      owners.add(user.userId);
      const below = rolesBelow(bundle.bundle, user.roles);
      for (const u of dir.users) if (u.roles.some((r) => below.has(r))) owners.add(u.id);
    }
  }
  return [...owners];
}
