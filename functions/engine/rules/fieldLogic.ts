import { Engine } from 'json-rules-engine';
import type { CompiledObject } from '../compile/compileObject';
import { EngineError, pointer } from '../errors';
import type { Problem } from '../errors';
import type { FieldDef, ObjectDef, RuleConditions } from '../metadata/types';

/** Operators json-rules-engine ships; conditions may use only these. */
export const RULE_OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'] as const;
const KINDS = ['required', 'readOnly', 'visible'] as const;
type Kind = (typeof KINDS)[number];

/** Problems of a condition tree: unknown facts (fields) and operators, at JSON pointers. */
export function conditionProblems(conditions: unknown, fields: ReadonlySet<string>, path: string): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node !== 'object' || node === null) return problems.push({ path: at, code: 'condition', message: 'a condition is an object' });
    const n = node as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) if (Array.isArray(n[key])) (n[key] as unknown[]).forEach((c, i) => walk(c, `${at}/${key}/${i}`));
    if (n.not !== undefined) walk(n.not, `${at}/not`);
    if ('fact' in n) {
      if (typeof n.fact !== 'string' || !fields.has(n.fact)) problems.push({ path: `${at}/fact`, code: 'unknownField', message: `"${String(n.fact)}" is not a field of the object`, params: { field: n.fact } });
      if (!(RULE_OPERATORS as readonly string[]).includes(String(n.operator))) problems.push({ path: `${at}/operator`, code: 'unknownOperator', message: `"${String(n.operator)}" is not an operator`, params: { allowed: RULE_OPERATORS } });
    } else if (!Array.isArray(n.all) && !Array.isArray(n.any) && n.not === undefined) {
      problems.push({ path: at, code: 'condition', message: 'use all, any, not, or {fact, operator, value}' });
    }
    return undefined;
  };
  walk(conditions, path);
  return problems;
}

/** Semantic checks of a field's `when` and `dependsOn`, for metadata validation. */
export function fieldLogicProblems(field: FieldDef, object: ObjectDef, path: string): Problem[] {
  const names = new Set(object.fields.map((f) => f.name));
  const problems: Problem[] = [];
  for (const kind of KINDS) {
    const c = field.when?.[kind];
    if (c !== undefined) problems.push(...conditionProblems(c, names, `${path}/when/${kind}`));
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

/** One json-rules-engine per compiled object (built on first use); a fresh almanac per run. */
const engines = new WeakMap<CompiledObject, Engine | null>();
function engineFor(object: CompiledObject): Engine | null {
  if (engines.has(object)) return engines.get(object)!;
  const rules = object.def.fields.flatMap((f) =>
    KINDS.filter((k) => f.when?.[k]).map((k) => ({ conditions: f.when![k] as RuleConditions, event: { type: `${f.name}:${k}` } })),
  );
  const engine = rules.length ? new Engine(rules as never, { allowUndefinedFacts: true }) : null;
  engines.set(object, engine);
  return engine;
}

async function holding(object: CompiledObject, values: Readonly<Record<string, unknown>>): Promise<Set<string>> {
  const engine = engineFor(object);
  if (!engine) return new Set();
  const { events } = await engine.run({ ...values });
  return new Set(events.map((e) => e.type));
}

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Conditional logic on a write, the same for every channel: a field required while its
 * condition holds on the new values must have a value; a field read-only while its condition
 * holds on the values before the write must not change; a field invisible under the new
 * values must not be given one; a dependent picklist's value must be allowed by its controller.
 */
export async function assertFieldLogic(object: CompiledObject, before: Readonly<Record<string, unknown>> | null, after: Readonly<Record<string, unknown>>): Promise<void> {
  const problems: Problem[] = [];
  const now = await holding(object, after);
  const then = before ? await holding(object, before) : new Set<string>();
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
