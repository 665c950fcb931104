/**
 * What a condition can read, for the builder: the object's fields, their values before the
 * change (`$previous`), and the context facts — each with the input its values need, and the
 * operators that fit it. Which operators fit is asked of the engine's own check
 * (`conditionProblems`), so the builder offers exactly what publishing accepts.
 */
import { CONTEXT_FACTS, OPERATORS, RULE_OPERATORS, conditionProblems, operatorSpec } from '../../../functions/engine/rules/conditions';
import type { RuleOperator } from '../../../functions/engine/rules/conditions';
import type { FieldDef, ObjectDef } from '../types';
import { fieldKey, splitFieldKey } from './conditionQuery';

export { CONTEXT_FACTS, OPERATORS, RULE_OPERATORS, conditionProblems };
export type { RuleOperator };

/** The input a value needs. */
export type InputKind = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'option' | 'options' | 'user' | 'record' | 'role' | 'team' | 'field' | 'event';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface Fact {
  /** The builder's field key: `stage`, `$previous.stage`, `$user.roles`. */
  readonly key: string;
  readonly label: string;
  readonly group: 'field' | 'previous' | 'context';
  readonly input: InputKind;
  /** Picklist options, for option and options inputs. */
  readonly choices?: readonly Choice[];
}

export interface FactContext {
  readonly label: (labels: Record<string, string | undefined> | undefined, fallback: string) => string;
  /** Console labels of the context facts, system fields and the "before" prefix. */
  readonly text: (key: string) => string;
}

export const EVENTS = ['created', 'updated', 'deleted', 'timer'] as const;

const SYSTEM_INPUTS: Record<string, InputKind> = {
  id: 'record', owner: 'user', created_by: 'user', updated_by: 'user', created_at: 'datetime', updated_at: 'datetime', version: 'number',
};

/** The input for a field's values. */
export function inputOf(field: FieldDef): InputKind {
  switch (field.type) {
    case 'number': case 'currency': case 'percent': case 'rollup': return 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'boolean': return 'boolean';
    case 'picklist': return 'option';
    case 'multi-picklist': return 'options';
    case 'lookup': return 'record';
    case 'user': return 'user';
    case 'formula':
      return field.returnType === 'date' ? 'date' : field.returnType === 'boolean' ? 'boolean' : field.returnType === 'text' ? 'text' : 'number';
    default: return 'text';
  }
}

const choicesOf = (field: FieldDef, ctx: FactContext): Choice[] | undefined =>
  field.type === 'picklist' || field.type === 'multi-picklist' ? field.options.map((o) => ({ value: o.value, label: ctx.label(o.label, o.value) })) : undefined;

/** Every fact a condition on `object` may read, fields first. */
export function factsOf(object: ObjectDef, ctx: FactContext): Fact[] {
  const facts: Fact[] = [];
  const fieldFact = (f: FieldDef, previous: boolean): Fact => {
    const choices = choicesOf(f, ctx);
    const name = ctx.label(f.label, f.name);
    return { key: previous ? fieldKey('$previous', `$.${f.name}`) : f.name, label: previous ? `${ctx.text('before')} ${name}` : name, group: previous ? 'previous' : 'field', input: inputOf(f), ...(choices ? { choices } : {}) };
  };
  for (const f of object.fields) facts.push(fieldFact(f, false));
  for (const [name, input] of Object.entries(SYSTEM_INPUTS)) facts.push({ key: name, label: ctx.text(`system.${name}`), group: 'field', input });
  for (const f of object.fields) facts.push(fieldFact(f, true));
  facts.push(
    { key: '$changed', label: ctx.text('changed'), group: 'context', input: 'field' },
    { key: '$user.id', label: ctx.text('userId'), group: 'context', input: 'user' },
    { key: '$user.roles', label: ctx.text('userRoles'), group: 'context', input: 'role' },
    { key: '$user.teams', label: ctx.text('userTeams'), group: 'context', input: 'team' },
    { key: '$event', label: ctx.text('event'), group: 'context', input: 'event' },
    { key: '$today', label: ctx.text('today'), group: 'context', input: 'date' },
    { key: '$now', label: ctx.text('now'), group: 'context', input: 'datetime' },
  );
  return facts;
}

/** The test a builder row stands for, as the engine reads it. */
function test(key: string, operator: string, value: unknown): Record<string, unknown> {
  const { fact, path } = splitFieldKey(key);
  return { fact, ...(path !== undefined ? { path } : {}), operator, value };
}

/**
 * Operators that fit what `key` reads on `object`, in the engine's order. For a fact the
 * engine does not know (a field since removed), every operator: the row shows the problem.
 */
export function operatorsFor(object: ObjectDef, key: string): RuleOperator[] {
  const probe = conditionProblems(test(key, 'isBlank', true), object, '');
  if (probe.some((p) => p.code === 'unknownField' || p.code === 'badPath')) return RULE_OPERATORS;
  return RULE_OPERATORS.filter((op) => !conditionProblems(test(key, op, null), object, '').some((p) => p.code === 'operatorMismatch'));
}

export type Operand = 'one' | 'list' | 'flag';
export const operandOf = (operator: string): Operand => operatorSpec(operator)?.operand ?? 'one';

/** A value to start a row with after its fact or operator changes. */
export function defaultValue(input: InputKind, operator: string): unknown {
  const operand = operandOf(operator);
  if (operand === 'flag') return true;
  if (operand === 'list') return [];
  if (input === 'boolean') return true;
  return '';
}

/** Facts whose values a value of `input` may be compared with (`end_date before start_date`). */
export function comparableFacts(facts: readonly Fact[], input: InputKind): Fact[] {
  const family = (k: InputKind) => (k === 'date' || k === 'datetime' ? 'date' : k);
  return facts.filter((f) => family(f.input) === family(input));
}
