import { ajvProblems } from '../ajv';
import type { CompiledObject } from '../compile/compileObject';
import { withFormulas } from '../compile/compileObject';
import { EngineError, pointer } from '../errors';
import type { Problem } from '../errors';
import { formatAutoNumber } from '../fields/autoNumber';
import type { AutoNumberField, FieldDef } from '../metadata/types';
import { SYSTEM_FIELDS } from '../metadata/types';
import { RECORD_ID } from '../ids';
import { indexEntries } from './indexEntries';
import { rollupEffects } from './rollups';
import { ownerSource, pairGuards } from './masterDetail';
import { recordTypeProblems } from './recordTypes';
import { RECORD_TYPE_FIELD } from '../metadata/relationships';
import type { FieldChange, Guard, HistoryEntry, Reference, StoredRecord, WritePlan } from './types';
import { matchKeyChanges } from '../duplicates/duplicateRules';

export interface WriteContext {
  /** The acting user. */
  readonly userId: string;
  readonly now: Date;
  /** Id for a new history entry (and for a new record on create). */
  readonly newId: () => string;
  /** The new record's id when the caller decides it (an automation's create is keyed by its effect). */
  readonly recordId?: string;
}

/** Fields the API may set on create and patch besides the object's own: only `owner`, for now. */
const SETTABLE_SYSTEM = new Set(['owner']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** System fields and generated fields cannot be written: mass assignment is refused by name. */
function readOnlyProblems(object: CompiledObject, input: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(input)) {
    const system = (SYSTEM_FIELDS as readonly string[]).includes(key) && !SETTABLE_SYSTEM.has(key);
    const generated = object.fields.get(key)?.type.writable === false;
    if (system || generated) problems.push({ path: pointer(key), code: 'readOnly', message: `${key} is read-only`, params: { field: key } });
  }
  return problems;
}

function splitOwner(input: Record<string, unknown>, object: CompiledObject): { owner: unknown; values: Record<string, unknown> } {
  const { owner, ...rest } = input;
  for (const key of SYSTEM_FIELDS) delete rest[key];
  // A detail record's owner is its master's (engine/records/masterDetail.ts): an owner sent for it is ignored.
  return { owner: object.primaryMaster ? undefined : owner, values: rest };
}

function throwIfAny(object: CompiledObject, problems: Problem[]): void {
  if (problems.length > 0) throw new EngineError('validation.failed', `The ${object.name} record is not valid`, problems);
}

function ownerProblems(owner: unknown): Problem[] {
  if (owner === undefined) return [];
  if (typeof owner === 'string' && RECORD_ID.test(owner)) return [];
  return [{ path: '/owner', code: 'type', message: 'owner must be a user id', params: { field: 'owner' } }];
}

/** ajv says `type` when a required field is null; a form wants `required`. */
function withRequired(object: CompiledObject, values: Record<string, unknown>, problems: Problem[]): Problem[] {
  return problems.map((p) => {
    const name = p.path.slice(1);
    const field = object.fields.get(name)?.def;
    if (field?.required && values[name] === null && p.code !== 'required') {
      return { path: p.path, code: 'required', message: `${name} is required`, params: { field: name } };
    }
    return p;
  });
}

function normalized(object: CompiledObject, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') continue;
    const field = object.fields.get(name)!;
    out[name] = field.type.normalize ? field.type.normalize(value, field.def) : value;
  }
  return out;
}

function referencesOf(object: CompiledObject, values: Readonly<Record<string, unknown>>, changed: ReadonlySet<string> | null): Reference[] {
  return object.referenceFields
    .filter((f) => values[f.name] !== undefined && (changed === null || changed.has(f.name)))
    .map((f) => ({
      path: pointer(f.name),
      kind: f.type === 'user' ? ('user' as const) : ('record' as const),
      ...(f.type === 'lookup' ? { object: f.target } : {}),
      id: String(values[f.name]),
    }));
}

/** Unique-value guards of a record's values for the given unique fields. */
export function guardsOf(object: CompiledObject, values: Readonly<Record<string, unknown>>, fields: readonly FieldDef[]): Guard[] {
  return fields
    .filter((f) => values[f.name] !== undefined)
    .map((f) => ({ field: f.name, key: object.fields.get(f.name)!.type.uniqueKey!(values[f.name], f) }));
}

function history(ctx: WriteContext, op: HistoryEntry['op'], version: number, owner: string, changes: Record<string, FieldChange>, track: boolean): HistoryEntry | null {
  if (!track) return null;
  return { id: ctx.newId(), at: ctx.now.toISOString(), by: ctx.userId, op, version, owner, changes };
}

/**
 * Plans a create: refuses read-only fields, applies defaults, validates against the
 * object's create schema, normalises, numbers, and lists the guards and references the
 * transaction must check. `autoNumbers` holds one counter value per auto-number field.
 */
export function planCreate(object: CompiledObject, input: unknown, ctx: WriteContext, autoNumbers: Readonly<Record<string, number>>): WritePlan {
  if (!isPlainObject(input)) throw new EngineError('validation.failed', 'The body must be a JSON object', [{ path: '', code: 'type', message: 'must be object' }]);
  const problems = readOnlyProblems(object, input);
  const { owner, values: given } = splitOwner(input, object);
  problems.push(...ownerProblems(owner));

  const withDefaults: Record<string, unknown> = { ...given };
  for (const { def, type } of object.fields.values()) {
    if (withDefaults[def.name] !== undefined || !('default' in def) || def.default === undefined) continue;
    withDefaults[def.name] = type.resolveDefault ? type.resolveDefault(def, ctx.now, object.timeZone) : def.default;
  }
  for (const key of Object.keys(withDefaults)) if (object.fields.get(key)?.type.writable === false) delete withDefaults[key];
  if (!object.validateCreate(withDefaults)) problems.push(...withRequired(object, withDefaults, ajvProblems(object.validateCreate.errors)));
  if (problems.length > 0) throw new EngineError('validation.failed', `The ${object.name} record is not valid`, dedupe(problems));

  const values = normalized(object, withDefaults);
  for (const field of object.autoNumberFields) {
    const n = autoNumbers[field.name];
    if (n === undefined) throw new Error(`no counter value for ${object.name}.${field.name}`);
    values[field.name] = formatAutoNumber(field as AutoNumberField, n, ctx.now);
  }
  const computed = withFormulas(object, values, object.storedFormulas, ctx.now);
  for (const key of Object.keys(values)) delete values[key];
  Object.assign(values, computed);
  throwIfAny(object, recordTypeProblems(object, values, null));
  const at = ctx.now.toISOString();
  const id = ctx.recordId ?? ctx.newId();
  const record: StoredRecord = {
    object: object.name,
    id,
    version: 1,
    owner: typeof owner === 'string' ? owner : ctx.userId,
    createdAt: at,
    createdBy: ctx.userId,
    updatedAt: at,
    updatedBy: ctx.userId,
    values,
  };
  const changes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { old: null, new: v }]));
  if (record.owner !== ctx.userId) changes.owner = { old: null, new: record.owner };
  return {
    op: 'create',
    object: object.name,
    id,
    record,
    expectedVersion: null,
    indexEntries: indexEntries(object, values, id),
    guardsToAdd: [...guardsOf(object, values, object.uniqueFields), ...pairGuards(object, values)],
    guardsToRemove: [],
    references: [
      ...referencesOf(object, values, null),
      ...(record.owner !== ctx.userId ? [{ path: '/owner', kind: 'user' as const, id: record.owner }] : []),
    ],
    history: history(ctx, 'create', 1, record.owner, changes, object.def.trackHistory !== false),
    ...rollups(object, null, values),
    ...withOwnerFrom(ownerSource(object, values, null)),
    ...matchKeys(object, null, values),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Plans a patch of `current` at `expectedVersion`. Only fields whose value changes are
 * validated, written and recorded, so a record keeps a picklist option deactivated after
 * it was chosen. Returns null when nothing changes.
 */
export function planPatch(object: CompiledObject, current: StoredRecord, input: unknown, expectedVersion: number, ctx: WriteContext): WritePlan | null {
  if (!isPlainObject(input)) throw new EngineError('validation.failed', 'The body must be a JSON object', [{ path: '', code: 'type', message: 'must be object' }]);
  const problems = readOnlyProblems(object, input);
  const { owner, values: given } = splitOwner(input, object);
  problems.push(...ownerProblems(owner));
  for (const key of Object.keys(given)) if (object.fields.get(key)?.type.writable === false) delete given[key];

  const changed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const blank = value === null || value === '';
    if (blank ? current.values[name] === undefined : same(current.values[name], value)) continue;
    changed[name] = value;
  }
  if (!object.validatePatch(changed)) problems.push(...withRequired(object, changed, ajvProblems(object.validatePatch.errors)));
  for (const [name, value] of Object.entries(changed)) {
    if ((value === null || value === '') && object.fields.get(name)?.def.required && !problems.some((p) => p.path === pointer(name))) {
      problems.push({ path: pointer(name), code: 'required', message: `${name} is required`, params: { field: name } });
    }
  }
  if (problems.length > 0) throw new EngineError('validation.failed', `The ${object.name} record is not valid`, dedupe(problems));

  const newOwner = typeof owner === 'string' && owner !== current.owner ? owner : null;
  const normalizedChanges = normalized(object, changed);
  const values: Record<string, unknown> = { ...current.values };
  const changes: Record<string, FieldChange> = {};
  for (const name of Object.keys(changed)) {
    const next = normalizedChanges[name];
    if (same(current.values[name], next)) continue;
    changes[name] = { old: current.values[name] ?? null, new: next ?? null };
    if (next === undefined) delete values[name];
    else values[name] = next;
  }
  // Stored formulas follow the fields they read; a change of theirs is a change like any other.
  const recomputed = withFormulas(object, values, object.storedFormulas, ctx.now);
  for (const { field } of object.storedFormulas) {
    if (same(values[field.name], recomputed[field.name])) continue;
    changes[field.name] = { old: values[field.name] ?? null, new: recomputed[field.name] ?? null };
  }
  for (const key of Object.keys(values)) delete values[key];
  Object.assign(values, recomputed);
  if (newOwner) changes.owner = { old: current.owner, new: newOwner };
  if (Object.keys(changes).length === 0) return null;
  throwIfAny(object, recordTypeProblems(object, values, new Set(Object.keys(changes))));

  const version = expectedVersion + 1;
  const record: StoredRecord = {
    ...current,
    version,
    owner: newOwner ?? current.owner,
    updatedAt: ctx.now.toISOString(),
    updatedBy: ctx.userId,
    values,
  };
  const changedNames = new Set(Object.keys(changes));
  const uniqueChanged = object.uniqueFields.filter((f) => changedNames.has(f.name));
  // "Acme" → "ACME" keeps the same guard: neither add nor remove it (one transaction may not touch an item twice).
  const keep = (g: Guard, others: Guard[]) => !others.some((o) => o.field === g.field && o.key === g.key);
  const pairChanged = object.junction !== null && (changedNames.has(object.junction.left.name) || changedNames.has(object.junction.right.name));
  const adds = [...guardsOf(object, values, uniqueChanged), ...(pairChanged ? pairGuards(object, values) : [])];
  const removes = [...guardsOf(object, current.values, uniqueChanged), ...(pairChanged ? pairGuards(object, current.values) : [])];
  return {
    op: 'update',
    object: object.name,
    id: current.id,
    record,
    expectedVersion,
    indexEntries: indexEntries(object, values, current.id),
    guardsToAdd: adds.filter((g) => keep(g, removes)),
    guardsToRemove: removes.filter((g) => keep(g, adds)),
    references: [
      ...referencesOf(object, values, changedNames),
      ...(newOwner ? [{ path: '/owner', kind: 'user' as const, id: newOwner }] : []),
    ],
    history: history(ctx, 'update', version, record.owner, changes, object.def.trackHistory !== false),
    ...rollups(object, current.values, values),
    ...withOwnerFrom(ownerSource(object, values, changedNames)),
    ...(object.details.length > 0 ? { ownerBefore: current.owner } : {}),
    ...matchKeys(object, current.values, values),
  };
}

/** Plans a delete of `current`: the record and its guards go; history keeps a snapshot of what was deleted. */
export function planDelete(object: CompiledObject, current: StoredRecord, expectedVersion: number, ctx: WriteContext): WritePlan {
  const changes = Object.fromEntries(Object.entries(current.values).map(([k, v]) => [k, { old: v, new: null }]));
  return {
    op: 'delete',
    object: object.name,
    id: current.id,
    record: null,
    expectedVersion,
    indexEntries: [],
    guardsToAdd: [],
    guardsToRemove: [...guardsOf(object, current.values, object.uniqueFields), ...pairGuards(object, current.values)],
    references: [],
    history: history(ctx, 'delete', expectedVersion, current.owner, changes, object.def.trackHistory !== false),
    ...rollups(object, current.values, null),
    dropRollups: object.rollupFields.length > 0,
    ...matchKeys(object, current.values, null),
  };
}

/** Duplicate-rule match keys the write adds and removes (absent when the object has no rules or nothing changes). */
function matchKeys(object: CompiledObject, before: Readonly<Record<string, unknown>> | null, after: Readonly<Record<string, unknown>> | null) {
  if (object.duplicateRules.length === 0) return {};
  const { add, remove } = matchKeyChanges(object.duplicateRules, (name) => object.fields.get(name)?.def, before, after);
  return { ...(add.length ? { matchKeysToAdd: add } : {}), ...(remove.length ? { matchKeysToRemove: remove } : {}) };
}

const withOwnerFrom = (ownerFrom: WritePlan['ownerFrom']) => (ownerFrom ? { ownerFrom } : {});

function rollups(object: CompiledObject, before: Readonly<Record<string, unknown>> | null, after: Readonly<Record<string, unknown>> | null) {
  if (object.rollupTargets.length === 0) return { rollupDeltas: [], rollupRecompute: [] };
  const { deltas, recompute } = rollupEffects(object.rollupTargets, before, after);
  return { rollupDeltas: deltas, rollupRecompute: recompute };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The record as the API returns it: system fields beside the values of the fields the
 * object defines now. Values of a removed field stay stored (rollback brings them back)
 * but are never shown.
 */
export function toApiRecord(object: CompiledObject, record: StoredRecord, now: Date = new Date()): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const all = object.volatileFormulas.length ? withFormulas(object, record.values, object.volatileFormulas, now) : record.values;
  for (const [name, value] of Object.entries(all)) if (object.fields.has(name)) values[name] = value;
  // Records written before the object had record types are of its default type.
  if (object.defaultRecordType !== null && values[RECORD_TYPE_FIELD] === undefined) values[RECORD_TYPE_FIELD] = object.defaultRecordType;
  return {
    id: record.id,
    version: record.version,
    owner: record.owner,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
    ...values,
  };
}
