import { RECORD_TYPE_FIELD } from './relationships';
import type { Problem } from '../errors';
import { pointer } from '../errors';
import type { MetadataBundle, RoleDef } from './types';
import { BUILT_IN_ADMIN } from './types';

/**
 * Meaning checks of roles: names unique and not the built-in `admin`, parents that exist
 * and form no cycle, and permission entries only for objects and fields that exist.
 * `sound` are the roles that passed their meta-schema, with their positions in `all`.
 */
export function rolesProblems(bundle: MetadataBundle, sound: ReadonlyArray<readonly [RoleDef, number]>, all: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  all.forEach((r, i) => {
    const name = (r as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    if (name === BUILT_IN_ADMIN) problems.push({ path: `/roles/${i}/name`, code: 'reserved', message: `"${BUILT_IN_ADMIN}" is the built-in administrator role`, params: { name } });
    else if (names.has(name)) problems.push({ path: `/roles/${i}/name`, code: 'duplicate', message: `role name "${name}" is already used`, params: { name } });
    else names.set(name, i);
  });
  // An object with record types also has the platform field `record_type`, which roles may grant like any other.
  const objects = new Map(bundle.objects.map((o) => [o.name, new Set([...o.fields.map((f) => f.name), ...((o.recordTypes ?? []).length ? [RECORD_TYPE_FIELD] : [])])] as const));
  const parentOf = new Map(sound.map(([r]) => [r.name, r.parent] as const));

  for (const [role, i] of sound) {
    const at = pointer('roles', i);
    if (role.parent !== undefined && !names.has(role.parent)) {
      problems.push({ path: `${at}/parent`, code: 'unknownRole', message: `parent role "${role.parent}" does not exist`, params: { role: role.parent } });
    }
    for (const [object, grant] of Object.entries(role.objects ?? {})) {
      const fields = objects.get(object);
      if (!fields) {
        problems.push({ path: `${at}/objects/${object}`, code: 'unknownObject', message: `"${object}" is not an object`, params: { object } });
        continue;
      }
      for (const field of Object.keys(grant.fields ?? {})) {
        if (!fields.has(field)) problems.push({ path: `${at}/objects/${object}/fields/${field}`, code: 'unknownField', message: `"${field}" is not a field of ${object}`, params: { object, field } });
      }
    }
  }
  // A cycle is reported once, at the role where the walk first comes back to itself.
  const reported = new Set<string>();
  for (const [role, i] of sound) {
    const seen = new Set<string>([role.name]);
    let next = role.parent;
    while (next !== undefined && parentOf.has(next)) {
      if (seen.has(next)) {
        if (next === role.name && !reported.has(role.name)) {
          for (const r of seen) reported.add(r);
          problems.push({ path: `${pointer('roles', i)}/parent`, code: 'cycle', message: `role hierarchy cycles: ${[...seen, next].join(' → ')}`, params: { roles: [...seen] } });
        }
        break;
      }
      seen.add(next);
      next = parentOf.get(next);
    }
  }
  return problems;
}
