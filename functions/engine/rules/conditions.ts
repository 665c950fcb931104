import { Engine } from 'json-rules-engine';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import type { Problem } from '../errors';
import type { FieldDef, FieldType, ObjectDef, RuleConditions } from '../metadata/types';
import { dayIn } from '../time/tenantDay';

/*
 * The one condition language of the platform: json-rules-engine JSON, over the facts the
 * metadata types describe (a field name is the record's value; `$previous`, `$changed`,
 * `$user`, `$event`, `$now`, `$today` are the context). Field logic, validation, assignment,
 * automation, webhooks and workflow guards all check and evaluate conditions here.
 */

/** The shape of values an operator compares, by field type. */
type ValueKind = 'text' | 'number' | 'date' | 'boolean' | 'option' | 'options' | 'reference';

const KIND: Record<FieldType, ValueKind> = {
  text: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  'auto-number': 'text',
  number: 'number',
  currency: 'number',
  percent: 'number',
  rollup: 'number',
  date: 'date',
  datetime: 'date',
  boolean: 'boolean',
  picklist: 'option',
  'multi-picklist': 'options',
  lookup: 'reference',
  user: 'reference',
  // A formula's kind is its result type's; see kindOf.
  formula: 'text',
};

/** What the condition's `value` must be for an operator: one value of the field's kind, a list of them, or a boolean. */
type Operand = 'one' | 'list' | 'flag';

export interface OperatorSpec {
  readonly kinds: readonly ValueKind[];
  readonly operand: Operand;
}

const ALL: readonly ValueKind[] = ['text', 'number', 'date', 'boolean', 'option', 'options', 'reference'];
const SCALAR: readonly ValueKind[] = ['text', 'number', 'date', 'option', 'reference'];

/** Every operator a condition may use, and the field kinds it fits. */
export const OPERATORS = {
  equal: { kinds: ['text', 'number', 'date', 'boolean', 'option', 'reference'], operand: 'one' },
  notEqual: { kinds: ['text', 'number', 'date', 'boolean', 'option', 'reference'], operand: 'one' },
  lessThan: { kinds: ['number'], operand: 'one' },
  lessThanInclusive: { kinds: ['number'], operand: 'one' },
  greaterThan: { kinds: ['number'], operand: 'one' },
  greaterThanInclusive: { kinds: ['number'], operand: 'one' },
  in: { kinds: SCALAR, operand: 'list' },
  notIn: { kinds: SCALAR, operand: 'list' },
  /** A multi-picklist holds the value (or `$changed` holds the field name). */
  contains: { kinds: ['options'], operand: 'one' },
  doesNotContain: { kinds: ['options'], operand: 'one' },
  /** Dates and datetimes compare as ISO text: `before` "2026-01-01", or against `{ "fact": "$today" }`. */
  before: { kinds: ['date'], operand: 'one' },
  after: { kinds: ['date'], operand: 'one' },
  onOrBefore: { kinds: ['date'], operand: 'one' },
  onOrAfter: { kinds: ['date'], operand: 'one' },
  startsWith: { kinds: ['text'], operand: 'one' },
  /** Text contains, case-insensitive. */
  includesText: { kinds: ['text'], operand: 'one' },
  /** `value: true` holds when the field is blank; `false` when it has a value. */
  isBlank: { kinds: ALL, operand: 'flag' },
} as const satisfies Record<string, OperatorSpec>;

/** The operator named, or undefined: own entries only, so `valueOf` or `constructor` is not an operator. */
export const operatorSpec = (name: string): OperatorSpec | undefined => (Object.hasOwn(OPERATORS, name) ? (OPERATORS as Record<string, OperatorSpec>)[name] : undefined);
export type RuleOperator = keyof typeof OPERATORS;
export const RULE_OPERATORS = Object.keys(OPERATORS) as RuleOperator[];

/** Context facts besides the fields, and the kinds their paths read. */
export const CONTEXT_FACTS = ['$previous', '$changed', '$user', '$event', '$now', '$today'] as const;
type ContextFact = (typeof CONTEXT_FACTS)[number];

export const blank = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const compareDates = (test: (a: string, b: string) => boolean) => (a: unknown, b: unknown) => {
  const x = text(a);
  const y = text(b);
  // A date compared with a datetime compares on the date part.
  if (x === null || y === null) return false;
  const n = Math.min(x.length, y.length) === 10 ? 10 : Math.max(x.length, y.length);
  return test(x.slice(0, n), y.slice(0, n));
};

const CUSTOM: Record<string, (fact: unknown, value: unknown) => boolean> = {
  before: compareDates((a, b) => a < b),
  after: compareDates((a, b) => a > b),
  onOrBefore: compareDates((a, b) => a <= b),
  onOrAfter: compareDates((a, b) => a >= b),
  startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
  includesText: (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase().includes(b.toLowerCase()),
  isBlank: (a, b) => blank(a) === (b !== false),
};

/** A json-rules-engine with the platform's operators; undefined facts (blank fields) are allowed. */
export function createEngine(rules: RuleProperties[] = []): Engine {
  const engine = new Engine(rules, { allowUndefinedFacts: true });
  for (const [name, test] of Object.entries(CUSTOM)) engine.addOperator(name, test as (a: unknown, b: unknown) => boolean);
  return engine;
}

export interface ActingUser {
  readonly id: string;
  readonly roles: readonly string[];
  readonly teams?: readonly string[];
}

export interface FactInput {
  /** The values after the change (before it, on delete). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly previous?: Readonly<Record<string, unknown>> | null;
  readonly user?: ActingUser | null;
  readonly event?: 'created' | 'updated' | 'deleted' | 'timer' | null;
  readonly now: Date;
  /** The tenant's time zone for `$today`. @default "UTC" */
  readonly timeZone?: string;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Names of the fields whose values differ between two value maps. */
export function changedFields(before: Readonly<Record<string, unknown>> | null | undefined, after: Readonly<Record<string, unknown>>): string[] {
  if (!before) return Object.keys(after).filter((k) => !blank(after[k]));
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((k) => !sameValue(before[k], after[k]));
}

/** The facts a condition reads, as json-rules-engine takes them. */
export function factsOf(input: FactInput): Record<string, unknown> {
  const user = input.user ? { id: input.user.id, roles: [...input.user.roles], teams: [...(input.user.teams ?? [])] } : { id: null, roles: [], teams: [] };
  return {
    ...input.values,
    $previous: input.previous ?? {},
    $changed: changedFields(input.previous, input.values),
    $user: user,
    $event: input.event ?? null,
    $now: input.now.toISOString(),
    $today: dayIn(input.now, input.timeZone),
  };
}

/**
 * Rules compiled once into one engine, asked which hold for a set of facts. Results come back
 * in declaration order, whatever order the engine settled them in.
 */
export class ConditionSet<T> {
  private readonly engine: Engine | null;
  private readonly always: number[] = [];

  constructor(private readonly entries: ReadonlyArray<{ conditions?: RuleConditions | undefined; payload: T }>) {
    const rules: RuleProperties[] = [];
    entries.forEach((entry, index) => {
      if (!entry.conditions) this.always.push(index);
      else rules.push({ conditions: entry.conditions as unknown as TopLevelCondition, event: { type: 'match', params: { index } } });
    });
    this.engine = rules.length ? createEngine(rules) : null;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The payloads whose conditions hold, in declaration order. */
  async matching(facts: Record<string, unknown>): Promise<T[]> {
    const hits = new Set(this.always);
    if (this.engine) {
      const { events } = await this.engine.run(facts);
      for (const e of events) hits.add((e.params as { index: number }).index);
    }
    return [...hits].sort((a, b) => a - b).map((i) => this.entries[i]!.payload);
  }

  /** The first payload whose conditions hold. */
  async first(facts: Record<string, unknown>): Promise<T | null> {
    return (await this.matching(facts))[0] ?? null;
  }
}

/** Whether one condition tree holds (absent conditions always do). */
export async function holds(conditions: RuleConditions | undefined, facts: Record<string, unknown>): Promise<boolean> {
  if (!conditions) return true;
  return (await new ConditionSet([{ conditions, payload: true }]).matching(facts)).length > 0;
}

/** The kind of values a field holds, for operator checks. */
function kindOf(field: FieldDef): ValueKind {
  if (field.type !== 'formula') return KIND[field.type];
  const result = field.returnType;
  return result === 'number' || result === 'currency' || result === 'percent' ? 'number' : result === 'date' ? 'date' : result === 'boolean' ? 'boolean' : 'text';
}

const SYSTEM_KINDS: Record<string, ValueKind> = { id: 'reference', owner: 'reference', created_by: 'reference', updated_by: 'reference', created_at: 'date', updated_at: 'date', version: 'number' };

/** What a fact (and path) reads: a field, a context fact, or nothing known. */
function factKind(object: ObjectDef, fact: string, path: unknown): ValueKind | 'unknown' | 'badPath' {
  const field = (name: string) => {
    const def = object.fields.find((f) => f.name === name);
    return def ? kindOf(def) : SYSTEM_KINDS[name];
  };
  if ((CONTEXT_FACTS as readonly string[]).includes(fact)) {
    const c = fact as ContextFact;
    if (c === '$previous') {
      const m = typeof path === 'string' ? /^\$\.([a-z][a-z0-9_]*)$/.exec(path) : null;
      return m ? (field(m[1]!) ?? 'badPath') : 'badPath';
    }
    if (c === '$user') {
      if (path === '$.id') return 'reference';
      if (path === '$.roles' || path === '$.teams') return 'options';
      return 'badPath';
    }
    if (path !== undefined) return 'badPath';
    if (c === '$changed') return 'options';
    if (c === '$event') return 'option';
    return 'date';
  }
  if (path !== undefined) return 'badPath';
  return field(fact) ?? 'unknown';
}

function operandProblem(kind: ValueKind, operand: Operand, value: unknown): string | null {
  const fits = (v: unknown): boolean => {
    if (v === null) return true;
    switch (kind) {
      case 'number':
        return typeof v === 'number' && Number.isFinite(v);
      case 'boolean':
        return typeof v === 'boolean';
      case 'date':
        return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);
      default:
        return typeof v === 'string';
    }
  };
  if (operand === 'flag') return typeof value === 'boolean' ? null : 'isBlank takes true or false';
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // A fact reference (`{ "fact": "$today" }`) — json-rules-engine resolves it at run time.
    const ref = value as { fact?: unknown };
    return typeof ref.fact === 'string' ? null : 'a value that is an object must be a fact reference { "fact": … }';
  }
  if (operand === 'list') return Array.isArray(value) && value.every(fits) ? null : `a list of ${kind} values`;
  return fits(value) ? null : `a ${kind} value`;
}

const MAX_DEPTH = 8;
const MAX_NODES = 200;

/**
 * Problems of a condition tree against an object, at JSON pointers under `path`: unknown
 * facts (fields), operators that do not fit the field's kind, values of the wrong type, bad
 * paths, and trees too deep or too large to be a rule a person maintains.
 */
export function conditionProblems(conditions: unknown, object: ObjectDef, path: string): Problem[] {
  const problems: Problem[] = [];
  let nodes = 0;
  const walk = (node: unknown, at: string, depth: number): void => {
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) problems.push({ path: at, code: 'tooLarge', message: `a condition has at most ${MAX_NODES} parts`, params: { limit: MAX_NODES } });
      return;
    }
    if (depth > MAX_DEPTH) {
      problems.push({ path: at, code: 'tooDeep', message: `conditions nest at most ${MAX_DEPTH} levels`, params: { limit: MAX_DEPTH } });
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push({ path: at, code: 'condition', message: 'a condition is an object' });
      return;
    }
    const n = node as Record<string, unknown>;
    const groups = (['all', 'any', 'not'] as const).filter((k) => k in n);
    if (groups.length > 0) {
      if (groups.length > 1 || 'fact' in n) problems.push({ path: at, code: 'condition', message: 'a condition is one of all, any, not, or a fact test' });
      for (const key of groups) {
        if (key === 'not') walk(n.not, `${at}/not`, depth + 1);
        else if (!Array.isArray(n[key])) problems.push({ path: `${at}/${key}`, code: 'condition', message: `${key} takes a list of conditions` });
        else (n[key] as unknown[]).forEach((c, i) => walk(c, `${at}/${key}/${i}`, depth + 1));
      }
      return;
    }
    if (!('fact' in n)) {
      problems.push({ path: at, code: 'condition', message: 'use all, any, not, or {fact, operator, value}' });
      return;
    }
    const extra = Object.keys(n).filter((k) => !['fact', 'operator', 'value', 'path', 'name'].includes(k));
    if (extra.length) problems.push({ path: `${at}/${extra[0]}`, code: 'unknownProperty', message: `"${extra[0]}" is not part of a condition` });
    const kind = typeof n.fact === 'string' ? factKind(object, n.fact, n.path) : 'unknown';
    if (kind === 'unknown') problems.push({ path: `${at}/fact`, code: 'unknownField', message: `"${String(n.fact)}" is not a field of ${object.name}`, params: { field: n.fact, object: object.name } });
    if (kind === 'badPath') problems.push({ path: `${at}/path`, code: 'badPath', message: `${String(n.fact)} is read with a path like "$.field"${n.fact === '$user' ? ' ($.id, $.roles or $.teams)' : ''}`, params: { fact: n.fact } });
    const spec = operatorSpec(String(n.operator));
    if (!spec) problems.push({ path: `${at}/operator`, code: 'unknownOperator', message: `"${String(n.operator)}" is not an operator`, params: { allowed: RULE_OPERATORS } });
    if (!spec || kind === 'unknown' || kind === 'badPath') return;
    // `$changed contains "stage"` reads the list of changed field names.
    const effective: ValueKind = kind === 'options' && (n.fact === '$changed' || n.fact === '$user') ? 'options' : kind;
    if (!spec.kinds.includes(effective)) {
      problems.push({ path: `${at}/operator`, code: 'operatorMismatch', message: `${String(n.operator)} does not apply to a ${effective} value`, params: { operator: n.operator, kind: effective } });
      return;
    }
    const elementKind: ValueKind = effective === 'options' ? 'text' : effective;
    const wrong = operandProblem(elementKind, spec.operand, n.value);
    if (wrong) problems.push({ path: `${at}/value`, code: 'valueMismatch', message: `${String(n.operator)} on ${String(n.fact)} takes ${wrong}`, params: { operator: n.operator } });
    else if (n.fact === '$changed' && typeof n.value === 'string' && factKind(object, n.value, undefined) === 'unknown') {
      problems.push({ path: `${at}/value`, code: 'unknownField', message: `"${n.value}" is not a field of ${object.name}`, params: { field: n.value, object: object.name } });
    }
  };
  walk(conditions, path, 0);
  return problems;
}
