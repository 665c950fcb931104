/**
 * Forms from the record schema the API returns (`GET /api/objects/{object}/schema`): which
 * fields are inputs, the payload a form sends, and validation with the server's own pieces —
 * the engine's ajv factory and error mapping (`functions/engine/ajv.ts`), its message catalogue
 * (`functions/engine/i18n/messages.ts`) and its condition evaluator for `x-when`
 * (`functions/engine/rules/conditions.ts`) — so the browser says what the server would say.
 */
import type Ajv2020 from 'ajv/dist/2020';
import { ajvProblems, createAjv } from '../../../functions/engine/ajv';
import type { Problem as EngineProblem } from '../../../functions/engine/errors';
import { translateProblem } from '../../../functions/engine/i18n/messages';
import type { ConsoleLanguage, Labels } from '../labels';

export interface PropertySchema {
  readonly type?: string | string[];
  readonly enum?: unknown[];
  readonly items?: { readonly enum?: unknown[] };
  readonly readOnly?: boolean;
  readonly title?: string;
  readonly 'x-widget'?: string;
  readonly 'x-when'?: { readonly required?: Record<string, unknown>; readonly readOnly?: Record<string, unknown>; readonly visible?: Record<string, unknown> };
  readonly 'x-dependsOn'?: { readonly field: string; readonly values: Record<string, string[]> };
  readonly [keyword: string]: unknown;
}

export interface LayoutSection {
  readonly label: Labels;
  readonly columns: string[][];
}

export interface RecordSchema {
  readonly title?: string;
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required: readonly string[];
  readonly 'x-layout'?: { readonly name: string; readonly label: Labels; readonly sections: LayoutSection[]; readonly relatedLists?: Array<{ relation: string; fields?: string[] }> };
  readonly 'x-recordTypes'?: Array<{ name: string; label: Labels; default?: boolean }>;
  readonly 'x-recordType'?: string;
}

/**
 * What a create starts from: each field's `default` from the metadata, as the server would
 * apply it to an absent value (`today` and `now` at this moment, today in the browser's zone).
 */
export function defaultValues(fields: ReadonlyArray<{ name: string; default?: unknown }>, now = new Date()): Record<string, unknown> {
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return Object.fromEntries(
    fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default === 'today' ? today : f.default === 'now' ? now.toISOString() : f.default]),
  );
}

/** A problem at a field: what the API sends (`pointer`) and what the engine makes (`path`). */
export interface FieldProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** Widgets whose value the server computes: shown, never sent. */
const COMPUTED = new Set(['readonly', 'formula']);

export const isInput = (p: PropertySchema): boolean => !p.readOnly && !COMPUTED.has(String(p['x-widget']));

export function inputFields(schema: RecordSchema): string[] {
  return Object.entries(schema.properties)
    .filter(([, p]) => isInput(p))
    .map(([name]) => name);
}

export const blank = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The value keywords of a property (what ajv checks); annotations and `x-` extensions left out, as the server's create schema has them. */
function valueSchema(p: PropertySchema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => !k.startsWith('x-') && k !== 'readOnly' && k !== 'title' && k !== 'description'));
}

/** `{type: T}` → `{type: [T, 'null']}` and `null` in an enum: how the server lets a patch clear a field. */
function nullable(s: Record<string, unknown>): Record<string, unknown> {
  return { ...s, type: [s.type, 'null'], ...(Array.isArray(s.enum) ? { enum: [...s.enum, null] } : {}) };
}

/** The schemas the server validates a create and a patch with, for the fields this caller may write. */
export function writeSchemas(schema: RecordSchema): { create: object; patch: object } {
  const inputs = inputFields(schema);
  const required = schema.required.filter((n) => inputs.includes(n));
  const props = (patch: boolean) => Object.fromEntries(inputs.map((n) => [n, patch && !required.includes(n) ? nullable(valueSchema(schema.properties[n]!)) : valueSchema(schema.properties[n]!)]));
  return {
    create: { type: 'object', properties: props(false), required, additionalProperties: false },
    patch: { type: 'object', properties: props(true), additionalProperties: false },
  };
}

let ajv: Ajv2020 | undefined;
const validators = new WeakMap<RecordSchema, { create: (d: unknown) => EngineProblem[]; patch: (d: unknown) => EngineProblem[] }>();

function validatorsOf(schema: RecordSchema) {
  let v = validators.get(schema);
  if (!v) {
    const { create, patch } = writeSchemas(schema);
    const instance = (ajv ??= createAjv());
    const compiled = { create: instance.compile(create), patch: instance.compile(patch) };
    const run = (fn: (typeof compiled)['create']) => (data: unknown) => (fn(data) ? [] : ajvProblems(fn.errors));
    v = { create: run(compiled.create), patch: run(compiled.patch) };
    validators.set(schema, v);
  }
  return v;
}

const toField = (p: EngineProblem): FieldProblem => ({ pointer: p.path, code: p.code, message: p.message });

/** What a create sends: the inputs with a value (blank ones are left out, as on the server they would be absent). */
export function createPayload(schema: RecordSchema, values: Readonly<Record<string, unknown>>, hidden: ReadonlySet<string> = new Set()): Record<string, unknown> {
  return Object.fromEntries(inputFields(schema).filter((n) => !hidden.has(n) && !blank(values[n])).map((n) => [n, values[n]]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What a patch sends: the inputs that changed; a value cleared is `null`. */
export function patchPayload(schema: RecordSchema, before: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of inputFields(schema)) {
    if (!(n in values)) continue;
    const now = blank(values[n]) ? null : values[n];
    if (!same(before[n], now)) out[n] = now;
  }
  return out;
}

/**
 * The problems the server would report for this create or patch (its JSON Schema part), in
 * the same codes and pointers. A required field left blank on an edit is reported as
 * `required` (the form never sends `null` for it).
 */
export function schemaProblems(schema: RecordSchema, payload: Readonly<Record<string, unknown>>, mode: 'create' | 'patch', merged?: Readonly<Record<string, unknown>>): FieldProblem[] {
  const v = validatorsOf(schema);
  if (mode === 'create') return v.create(payload).map(toField);
  const requiredBlank = schema.required.filter((n) => isInput(schema.properties[n] ?? {}) && blank((merged ?? payload)[n]));
  const sent = Object.fromEntries(Object.entries(payload).filter(([k]) => !requiredBlank.includes(k)));
  return [...v.patch(sent).map(toField), ...requiredBlank.map((n) => ({ pointer: `/${n}`, code: 'required', message: `${n} is required` }))];
}

export interface FieldStates {
  readonly hidden: ReadonlySet<string>;
  readonly required: ReadonlySet<string>;
  readonly readOnly: ReadonlySet<string>;
}

export const NO_STATES: FieldStates = { hidden: new Set(), required: new Set(), readOnly: new Set() };

export const hasFieldLogic = (schema: RecordSchema): boolean => Object.values(schema.properties).some((p) => p['x-when']);

type Conditions = typeof import('../../../functions/engine/rules/conditions');
let conditions: Promise<Conditions> | undefined;
const sets = new WeakMap<RecordSchema, InstanceType<Conditions['ConditionSet']>>();

/**
 * `x-when` as the server applies it (`assertFieldLogic`): required while its condition holds
 * on the new values, read-only while it holds on the values before the change (an edit),
 * hidden while `visible` does not hold. Evaluated by the engine's own ConditionSet
 * (json-rules-engine), loaded only for objects that have field logic.
 */
export async function fieldStates(
  schema: RecordSchema,
  before: Readonly<Record<string, unknown>> | null,
  values: Readonly<Record<string, unknown>>,
  user: { id: string; roles: readonly string[] },
  now = new Date(),
): Promise<FieldStates> {
  if (!hasFieldLogic(schema)) return NO_STATES;
  const c = await (conditions ??= import('../../../functions/engine/rules/conditions'));
  let set = sets.get(schema);
  if (!set) {
    const entries = Object.entries(schema.properties).flatMap(([name, p]) =>
      (['required', 'readOnly', 'visible'] as const).filter((k) => p['x-when']?.[k]).map((k) => ({ conditions: p['x-when']![k]!, payload: `${name}:${k}` })),
    );
    set = new c.ConditionSet(entries);
    sets.set(schema, set);
  }
  const holding = async (vals: Readonly<Record<string, unknown>>, previous: Readonly<Record<string, unknown>> | null) =>
    new Set(await set.matching(c.factsOf({ values: vals, previous, user, event: before ? 'updated' : 'created', now })));
  const nowHolds = await holding(values, before);
  const thenHolds = before ? await holding(before, null) : new Set<string>();
  const hidden = new Set<string>();
  const required = new Set<string>();
  const readOnly = new Set<string>();
  for (const [name, p] of Object.entries(schema.properties)) {
    if (p['x-when']?.visible && !nowHolds.has(`${name}:visible`)) hidden.add(name);
    if (nowHolds.has(`${name}:required`)) required.add(name);
    if (before && thenHolds.has(`${name}:readOnly`)) readOnly.add(name);
  }
  return { hidden, required, readOnly };
}

/** The values a dependent picklist allows under its controlling field's value (all of its own without one). */
export function allowedOptions(p: PropertySchema, values: Readonly<Record<string, unknown>>): unknown[] | null {
  const own = p.enum ?? p.items?.enum ?? null;
  const dep = p['x-dependsOn'];
  if (!dep || !own) return own;
  const allowed = dep.values[String(values[dep.field] ?? '')] ?? [];
  return own.filter((v) => allowed.includes(String(v)));
}

/** Field logic problems the server would report (`assertFieldLogic`), from the states above. */
export function logicProblems(schema: RecordSchema, states: FieldStates, before: Readonly<Record<string, unknown>> | null, values: Readonly<Record<string, unknown>>): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [name, p] of Object.entries(schema.properties)) {
    if (!isInput(p)) continue;
    const changed = !same(before?.[name], blank(values[name]) ? undefined : values[name]);
    if (states.required.has(name) && blank(values[name]) && !states.hidden.has(name)) out.push({ pointer: `/${name}`, code: 'required', message: `${name} is required here` });
    if (before && states.readOnly.has(name) && changed) out.push({ pointer: `/${name}`, code: 'readOnly', message: `${name} cannot change in this state` });
    if (states.hidden.has(name) && changed && !blank(values[name])) out.push({ pointer: `/${name}`, code: 'notVisible', message: `${name} does not apply here` });
    const allowed = p['x-dependsOn'] ? allowedOptions(p, values) : null;
    if (allowed && !blank(values[name]) && !allowed.includes(values[name])) {
      out.push({ pointer: `/${name}`, code: 'enum', message: `${String(values[name])} is not allowed with ${p['x-dependsOn']!.field} ${String(values[p['x-dependsOn']!.field] ?? '(blank)')}` });
    }
  }
  return out;
}

/** Problems in the language, as the server translates them (its catalogue; engine English otherwise). */
export function translated(problems: readonly FieldProblem[], language: ConsoleLanguage): FieldProblem[] {
  return problems.map((p) => {
    const t = translateProblem({ path: p.pointer, code: p.code, message: p.message }, language);
    return { ...p, message: t.message };
  });
}

/** The field a pointer names (`/close_date`, `/tags/1` → `tags`), or null for the whole record. */
export function fieldOfPointer(pointer: string): string | null {
  const first = pointer.replace(/^\//, '').split('/')[0];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/** Problems grouped by field (first message per field kept first); the rest belong to the whole form. */
export function byField(problems: readonly FieldProblem[], fields: ReadonlySet<string>): { fields: Map<string, string[]>; other: string[] } {
  const out = new Map<string, string[]>();
  const other: string[] = [];
  for (const p of problems) {
    const f = fieldOfPointer(p.pointer);
    if (f && fields.has(f)) out.set(f, [...(out.get(f) ?? []), p.message]);
    else other.push(p.message);
  }
  return { fields: out, other };
}

export type { FormSection } from './formLayout';
export { formSections } from './formLayout';
