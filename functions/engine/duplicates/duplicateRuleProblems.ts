import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { DuplicateRuleDef, FieldType, MetadataBundle } from '../metadata/types';
import { BUILT_IN_ADMIN } from '../metadata/types';

/*
 * Semantic checks of duplicate rules (their shape is `metadata/schema/duplicateRule.schema.json`):
 * the object and fields they name, whether each condition fits its field's type, and the
 * bounds that keep a write's transaction small. Problems at JSON pointers into the bundle.
 */

/** Active rules per object: each adds its match keys to every write of the object (at most 4 per rule, twice on a change). */
export const MAX_DUPLICATE_RULES_PER_OBJECT = 5;

const FITS: Record<'exact' | 'phone' | 'email' | 'fuzzyName', ReadonlySet<FieldType>> = {
  exact: new Set<FieldType>(['text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'date', 'datetime', 'picklist', 'lookup', 'user', 'auto-number']),
  phone: new Set<FieldType>(['phone', 'text']),
  email: new Set<FieldType>(['email', 'text']),
  fuzzyName: new Set<FieldType>(['text', 'textarea']),
};

export function duplicateRulesProblems(bundle: MetadataBundle): Problem[] {
  const rules = bundle.duplicateRules ?? [];
  const problems: Problem[] = [];
  const roles = new Set([BUILT_IN_ADMIN, ...(bundle.roles ?? []).map((r) => r.name)]);
  const seen = new Set<string>();
  const perObject = new Map<string, number>();
  rules.forEach((rule: DuplicateRuleDef, i) => {
    const at = (...rest: Array<string | number>) => pointer('duplicateRules', i, ...rest);
    if (seen.has(rule.name)) problems.push({ path: at('name'), code: 'duplicate', message: `duplicate rule "${rule.name}" is already used`, params: { name: rule.name } });
    seen.add(rule.name);
    const object = bundle.objects.find((o) => o.name === rule.object);
    if (!object) {
      problems.push({ path: at('object'), code: 'unknownObject', message: `there is no object "${rule.object}"`, params: { object: rule.object } });
      return;
    }
    if (rule.active !== false) {
      const n = (perObject.get(rule.object) ?? 0) + 1;
      perObject.set(rule.object, n);
      if (n > MAX_DUPLICATE_RULES_PER_OBJECT) problems.push({ path: at(), code: 'tooManyRules', message: `at most ${MAX_DUPLICATE_RULES_PER_OBJECT} active duplicate rules per object`, params: { max: MAX_DUPLICATE_RULES_PER_OBJECT, object: rule.object } });
    }
    let fuzzy = 0;
    const fields = new Set<string>();
    rule.conditions.forEach((condition, j) => {
      const field = object.fields.find((f) => f.name === condition.field);
      if (!field) {
        problems.push({ path: at('conditions', j, 'field'), code: 'unknownField', message: `"${condition.field}" is not a field of ${object.name}`, params: { field: condition.field, object: object.name } });
        return;
      }
      if (!FITS[condition.type].has(field.type) || (condition.type === 'exact' && !fieldType(field).uniqueKey)) {
        problems.push({ path: at('conditions', j, 'type'), code: 'typeMismatch', message: `a ${condition.type} condition cannot compare a ${field.type} field`, params: { field: field.name, type: field.type, condition: condition.type } });
      }
      if (fields.has(condition.field)) problems.push({ path: at('conditions', j, 'field'), code: 'duplicate', message: `${condition.field} is compared twice`, params: { field: condition.field } });
      fields.add(condition.field);
      if (condition.type === 'fuzzyName' && ++fuzzy > 1) problems.push({ path: at('conditions', j), code: 'tooManyFuzzy', message: 'a rule has at most one fuzzyName condition', params: { max: 1 } });
    });
    (rule.bypassRoles ?? []).forEach((role, j) => {
      if (!roles.has(role)) problems.push({ path: at('bypassRoles', j), code: 'unknownRole', message: `there is no role "${role}"`, params: { role } });
    });
    if (rule.bypassRoles?.length && rule.action === 'warn') problems.push({ path: at('bypassRoles'), code: 'notApplicable', message: 'bypassRoles only applies to block rules', params: { action: rule.action } });
  });
  return problems;
}
