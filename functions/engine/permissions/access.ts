import type { AdminPermission, DataScope, FieldAccess, MetadataBundle, ObjectDef, ObjectGrant, ObjectPermission, RoleDef } from '../metadata/types';
import { ADMIN_PERMISSIONS, BUILT_IN_ADMIN, OBJECT_PERMISSIONS } from '../metadata/types';

/*
 * How several roles combine — the rule, written once:
 *
 * 1. Every permission of every role is granted (true), denied (false) or unset.
 *    `modifyAll` implies read, update, delete and viewAll; `viewAll` implies read.
 * 2. For a user, a permission is DENIED if any of their roles denies it, otherwise
 *    GRANTED if any role grants it, otherwise NOT GRANTED. An explicit deny beats every allow.
 * 3. Fields: only roles that may read the object count. A role's level for a field is its
 *    `fields` entry, else its `fieldDefault` (default `edit`; `none` grants nothing). If any
 *    such role says `hidden`, the field is hidden (a deny); otherwise the highest level wins
 *    (`edit` > `read`); with no level at all the field is hidden.
 * 4. Records: a user reaches every record when `viewAll` (read) or `modifyAll` (write) is
 *    granted, when a reading role has scope `all`, or through the object's sharing default
 *    (`read`, `read-write`). Otherwise the owner must fall in the union of the scopes of the
 *    user's reading roles: `own` (the user), `team` (members of the user's teams),
 *    `subordinates` (the user and holders of roles below the user's roles).
 * 5. The built-in `admin` role grants everything; rule 2 still applies to the user's other roles.
 */

export type Decision = 'granted' | 'denied' | 'unset';

/** One role's part in a decision, for "explain access". */
export interface Contribution {
  readonly role: string;
  readonly value: boolean | string | undefined;
  /** Set when the value follows from another permission (e.g. `modifyAll` implies `update`). */
  readonly via?: string;
}

export interface Explained<T> {
  readonly value: T;
  readonly decision: Decision;
  readonly contributions: readonly Contribution[];
}

export interface ObjectAccess {
  readonly object: string;
  readonly permissions: Readonly<Record<ObjectPermission, Explained<boolean>>>;
  readonly can: Readonly<Record<ObjectPermission, boolean>>;
  readonly fields: ReadonlyMap<string, Explained<FieldAccess>>;
  /** Scopes of the roles that may read the object. */
  readonly scopes: ReadonlySet<DataScope>;
  readonly readAll: boolean;
  readonly updateAll: boolean;
  readonly deleteAll: boolean;
  /** Why `readAll`, `updateAll`, `deleteAll` hold (or do not), in words. */
  readonly reach: { readonly read: string; readonly update: string; readonly delete: string };
}

export interface Access {
  readonly roles: readonly string[];
  /** Role names the user holds that the published metadata does not define (they grant nothing). */
  readonly unknownRoles: readonly string[];
  readonly admin: Readonly<Record<AdminPermission, Explained<boolean>>>;
  can(permission: AdminPermission): boolean;
  object(name: string): ObjectAccess;
}

const ADMIN_ROLE: RoleDef = {
  name: BUILT_IN_ADMIN,
  label: { en: 'Administrator', 'zh-CN': '管理员' },
  admin: Object.fromEntries(ADMIN_PERMISSIONS.map((p) => [p, true])),
};
const ADMIN_GRANT: ObjectGrant = { ...Object.fromEntries(OBJECT_PERMISSIONS.map((p) => [p, true])), scope: 'all', fieldDefault: 'edit' };

const IMPLIED_BY: Partial<Record<ObjectPermission, ObjectPermission[]>> = {
  read: ['viewAll', 'modifyAll'],
  update: ['modifyAll'],
  delete: ['modifyAll'],
  viewAll: ['modifyAll'],
};

function grantOf(role: RoleDef, object: string): ObjectGrant | undefined {
  return role.name === BUILT_IN_ADMIN ? ADMIN_GRANT : role.objects?.[object];
}

/** One role's value for a permission, with implications applied. */
function roleValue(grant: ObjectGrant | undefined, permission: ObjectPermission): Contribution['value'] & (boolean | undefined) {
  if (!grant) return undefined;
  const own = grant[permission];
  if (own !== undefined) return own;
  return IMPLIED_BY[permission]?.some((p) => grant[p] === true) ? true : undefined;
}

function decide<T>(contributions: Contribution[], deny: (v: Contribution['value']) => boolean, grant: (v: Contribution['value']) => boolean, value: (decision: Decision) => T): Explained<T> {
  const decision: Decision = contributions.some((c) => deny(c.value)) ? 'denied' : contributions.some((c) => grant(c.value)) ? 'granted' : 'unset';
  return { value: value(decision), decision, contributions };
}

const SCOPE_ORDER: readonly DataScope[] = ['own', 'team', 'subordinates', 'all'];

function objectAccess(def: ObjectDef, roles: readonly RoleDef[]): ObjectAccess {
  const permissions = Object.fromEntries(
    OBJECT_PERMISSIONS.map((p) => {
      const contributions = roles.map((r) => {
        const grant = grantOf(r, def.name);
        const value = roleValue(grant, p);
        const via = grant && grant[p] === undefined && value === true ? IMPLIED_BY[p]!.find((q) => grant[q] === true) : undefined;
        return { role: r.name, value, ...(via ? { via } : {}) };
      });
      return [p, decide(contributions, (v) => v === false, (v) => v === true, (d) => d === 'granted')];
    }),
  ) as Record<ObjectPermission, Explained<boolean>>;
  const can = Object.fromEntries(OBJECT_PERMISSIONS.map((p) => [p, permissions[p].value])) as Record<ObjectPermission, boolean>;

  // Only roles that themselves may read the object shape its fields and scope.
  const readers = can.read ? roles.filter((r) => roleValue(grantOf(r, def.name), 'read') === true) : [];
  const fields = new Map<string, Explained<FieldAccess>>();
  for (const field of def.fields) {
    const contributions = readers.map((r) => {
      const grant = grantOf(r, def.name)!;
      const level = grant.fields?.[field.name] ?? grant.fieldDefault ?? 'edit';
      return { role: r.name, value: level === 'none' ? undefined : level };
    });
    fields.set(
      field.name,
      decide(contributions, (v) => v === 'hidden', (v) => v === 'read' || v === 'edit', (d) =>
        d === 'granted' ? (contributions.some((c) => c.value === 'edit') ? 'edit' : 'read') : 'hidden',
      ),
    );
  }
  const scopes = new Set(readers.map((r) => grantOf(r, def.name)!.scope ?? 'own'));
  const sharing = def.sharing ?? 'private';
  const allScope = scopes.has('all');
  const reach = (permission: 'read' | 'update' | 'delete', all: boolean, why: string[]): [boolean, string] => {
    if (!can[permission]) return [false, `no ${permission} permission`];
    return all ? [true, why.join('; ')] : [false, `only records in scope: ${SCOPE_ORDER.filter((s) => scopes.has(s)).join(', ') || 'none'}`];
  };
  const [readAll, readWhy] = reach('read', can.viewAll || allScope || sharing !== 'private', [
    ...(can.viewAll ? ['viewAll'] : []),
    ...(allScope ? ['scope all'] : []),
    ...(sharing !== 'private' ? [`sharing ${sharing}`] : []),
  ]);
  const [updateAll, updateWhy] = reach('update', can.modifyAll || allScope || sharing === 'read-write', [
    ...(can.modifyAll ? ['modifyAll'] : []),
    ...(allScope ? ['scope all'] : []),
    ...(sharing === 'read-write' ? ['sharing read-write'] : []),
  ]);
  const [deleteAll, deleteWhy] = reach('delete', can.modifyAll || allScope, [...(can.modifyAll ? ['modifyAll'] : []), ...(allScope ? ['scope all'] : [])]);
  return { object: def.name, permissions, can, fields, scopes, readAll, updateAll, deleteAll, reach: { read: readWhy, update: updateWhy, delete: deleteWhy } };
}

/** What a user with `roleNames` may do under `bundle`. Objects are computed on first use. */
export function computeAccess(bundle: MetadataBundle, roleNames: readonly string[]): Access {
  const defined = new Map((bundle.roles ?? []).map((r) => [r.name, r] as const));
  defined.set(BUILT_IN_ADMIN, ADMIN_ROLE);
  const roles = [...new Set(roleNames)].map((n) => defined.get(n)).filter((r): r is RoleDef => r !== undefined);
  const unknownRoles = roleNames.filter((n) => !defined.has(n));
  const admin = Object.fromEntries(
    ADMIN_PERMISSIONS.map((p) => [p, decide(roles.map((r) => ({ role: r.name, value: r.admin?.[p] })), (v) => v === false, (v) => v === true, (d) => d === 'granted')]),
  ) as Record<AdminPermission, Explained<boolean>>;
  const objects = new Map(bundle.objects.map((o) => [o.name, o] as const));
  const cache = new Map<string, ObjectAccess>();
  return {
    roles: roles.map((r) => r.name),
    unknownRoles,
    admin,
    can: (p) => admin[p].value,
    object(name) {
      let hit = cache.get(name);
      if (!hit) {
        const def = objects.get(name);
        if (!def) throw new Error(`no object ${name}`);
        hit = objectAccess(def, roles);
        cache.set(name, hit);
      }
      return hit;
    },
  };
}

/** Roles strictly below any of `roles` in the hierarchy (children, their children, …). */
export function rolesBelow(bundle: MetadataBundle, roles: readonly string[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of bundle.roles ?? []) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.name]);
  const below = new Set<string>();
  const stack = roles.flatMap((r) => children.get(r) ?? []);
  while (stack.length) {
    const r = stack.pop()!;
    if (below.has(r)) continue;
    below.add(r);
    stack.push(...(children.get(r) ?? []));
  }
  return below;
}
