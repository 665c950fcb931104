import type { CompiledObject } from '../compile/compileObject';
import { EngineError, pointer } from '../errors';
import type { Problem } from '../errors';
import type { FieldDef, ObjectDef, RuleConditions } from '../metadata/types';
import { ConditionSet, blank, conditionProblems, factsOf } from './conditions';
import type { FactInput } from './conditions';

const KINDS = ['required', 'readOnly', 'visible'] as const;

/** Semantic checks of a field's `when` and `dependsOn`, for metadata validation. */
export function fieldLogicProblems(field: FieldDef, object: ObjectDef, path: string): Problem[] {
  const problems: Problem[] = [];
  for (const kind of KINDS) {
    const c = field.when?.[kind];
    if (c !== undefined) problems.push(...conditionProblems(c, object, `${path}/when/${kind}`));
  }
  if (field.type === 'picklist' && field.dependsOn) {
    const controller = object.fields.find((f) => f.name === field.dependsOn!.field);
    if (!controller || controller.type !== 'picklist' || controller.name === field.name) {
      problems.push({ path: `${path}/dependsOn/field`, code: 'notAPicklist', message: 'a dependent picklist depends on another picklist of the object' });
    } else {
      const controlling = new Set(controller.options.map((o) => o.value));
      const own = new Set(field.options.map((o) => o.value));
      for (const [value, allowed] of Object.entries(field.dependsOn.values)) {
        if (!controlling.has(value)) problems.push({ path: `${path}/dependsOn/values${pointer(value)}`, code: 'unknownOption', message: `"${value}" is not an option of ${controller.name}` });
        allowed.forEach((v, i) => {
          if (!own.has(v)) problems.push({ path: `${path}/dependsOn/values${pointer(value)}/${i}`, code: 'unknownOption', message: `"${v}" is not an option of ${field.name}` });
        });
      }
    }
  }
  return problems;
}

/** One condition set per compiled object (built on first use). */
const sets = new WeakMap<CompiledObject, ConditionSet<string> | null>();
function conditionsOf(object: CompiledObject): ConditionSet<string> | null {
  if (sets.has(object)) return sets.get(object)!;
  const entries = object.def.fields.flatMap((f) => KINDS.filter((k) => f.when?.[k]).map((k) => ({ conditions: f.when![k] as RuleConditions, payload: `${f.name}:${k}` })));
  const set = entries.length ? new ConditionSet(entries) : null;
  sets.set(object, set);
  return set;
}

async function holding(object: CompiledObject, facts: FactInput): Promise<Set<string>> {
  const set = conditionsOf(object);
  return set ? new Set(await set.matching(factsOf(facts))) : new Set();
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Conditional logic on a write, the same for every channel: a field required while its
 * condition holds on the new values must have a value; a field read-only while its condition
 * holds on the values before the write must not change; a field invisible under the new
 * values must not be given one; a dependent picklist's value must be allowed by its controller.
 */
export async function assertFieldLogic(object: CompiledObject, before: Readonly<Record<string, unknown>> | null, after: Readonly<Record<string, unknown>>, context: Omit<FactInput, 'values' | 'previous'>): Promise<void> {
  const problems: Problem[] = [];
  const now = await holding(object, { ...context, values: after, previous: before });
  const then = before ? await holding(object, { ...context, values: before, previous: null }) : new Set<string>();
  for (const { def } of object.fields.values()) {
    const changed = !same(before?.[def.name], after[def.name]);
    if (now.has(`${def.name}:required`) && blank(after[def.name])) problems.push({ path: pointer(def.name), code: 'required', message: `${def.name} is required here`, params: { field: def.name } });
    if (before && then.has(`${def.name}:readOnly`) && changed) problems.push({ path: pointer(def.name), code: 'readOnly', message: `${def.name} cannot change in this state`, params: { field: def.name } });
    if (def.when?.visible && !now.has(`${def.name}:visible`) && changed && !blank(after[def.name])) {
      problems.push({ path: pointer(def.name), code: 'notVisible', message: `${def.name} does not apply here`, params: { field: def.name } });
    }
    if (def.type === 'picklist' && def.dependsOn && !blank(after[def.name]) && (changed || !same(before?.[def.dependsOn.field], after[def.dependsOn.field]))) {
      const allowed = def.dependsOn.values[String(after[def.dependsOn.field] ?? '')] ?? [];
      if (!allowed.includes(String(after[def.name]))) problems.push({ path: pointer(def.name), code: 'enum', message: `${String(after[def.name])} is not allowed with ${def.dependsOn.field} ${String(after[def.dependsOn.field] ?? '(blank)')}`, params: { field: def.name, allowedValues: allowed } });
    }
  }
  if (problems.length) throw new EngineError('validation.failed', `The ${object.name} record is not valid`, problems);
}
