/**
 * Pure edits of a role for the permission matrix and hierarchy tree. A permission is `true`
 * (grant), `false` (deny — beats every other role's grant) or absent; the matrix cycles a
 * cell through them. Edits return new roles and drop what becomes empty, so the draft holds
 * only what an administrator set.
 */
import type { FieldAccess, ObjectGrant, RoleDef } from '../types';
import { OBJECT_PERMISSIONS } from '../../../functions/engine/metadata/types';
import type { ObjectPermission } from '../../../functions/engine/metadata/types';

export { OBJECT_PERMISSIONS };
export type { ObjectPermission };

/** Absent → grant → deny → absent. */
export function nextState(value: boolean | undefined): boolean | undefined {
  return value === undefined ? true : value ? false : undefined;
}

function withGrant(role: RoleDef, object: string, grant: ObjectGrant): RoleDef {
  const objects = { ...role.objects };
  const empty = Object.values(grant).every((v) => v === undefined) || Object.keys(grant).length === 0;
  if (empty) delete objects[object];
  else objects[object] = grant;
  const next: RoleDef = { ...role, objects };
  if (!Object.keys(objects).length) delete next.objects;
  return next;
}

/** Sets (or clears, with undefined) one key of a role's grant on an object. */
export function setGrant<K extends keyof ObjectGrant>(role: RoleDef, object: string, key: K, value: ObjectGrant[K] | undefined): RoleDef {
  const grant: ObjectGrant = { ...role.objects?.[object] };
  if (value === undefined) delete grant[key];
  else grant[key] = value;
  return withGrant(role, object, grant);
}

/** Sets (or clears) a field's level in a role's grant on an object. */
export function setFieldAccess(role: RoleDef, object: string, field: string, level: FieldAccess | undefined): RoleDef {
  const fields = { ...role.objects?.[object]?.fields };
  if (level === undefined) delete fields[field];
  else fields[field] = level;
  return setGrant(role, object, 'fields', Object.keys(fields).length ? fields : undefined);
}

export interface RoleNode {
  readonly key: string;
  readonly title: string;
  readonly children: RoleNode[];
}

/**
 * The hierarchy as a tree: each role under its parent; a role whose parent is unknown, or that
 * sits in a cycle, at the top (validation reports those at their `parent`).
 */
export function roleTree(roles: readonly RoleDef[], title: (role: RoleDef) => string): RoleNode[] {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const rooted = (role: RoleDef): boolean => {
    const seen = new Set<string>([role.name]);
    let parent = role.parent;
    while (parent !== undefined) {
      if (seen.has(parent)) return false;
      seen.add(parent);
      const next = byName.get(parent);
      if (!next) return false;
      parent = next.parent;
    }
    return true;
  };
  const isTop = (r: RoleDef) => r.parent === undefined || !byName.has(r.parent) || !rooted(r);
  const node = (r: RoleDef): RoleNode => ({
    key: r.name,
    title: title(r),
    children: roles.filter((c) => c.parent === r.name && !isTop(c)).map(node),
  });
  return roles.filter(isTop).map(node);
}

/** Whether making `parent` the parent of `role` would put the role below itself. */
export function wouldCycle(roles: readonly RoleDef[], role: string, parent: string | undefined): boolean {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const seen = new Set<string>();
  let at = parent;
  while (at !== undefined && !seen.has(at)) {
    if (at === role) return true;
    seen.add(at);
    at = byName.get(at)?.parent;
  }
  return false;
}
