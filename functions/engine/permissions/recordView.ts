import type { CompiledObject } from '../compile/compileObject';
import { EngineError, pointer } from '../errors';
import type { Problem } from '../errors';
import { SYSTEM_FIELDS } from '../metadata/types';
import { toApiRecord } from '../records/planWrites';
import type { HistoryEntry, StoredRecord } from '../records/types';
import type { ObjectAccess } from './access';
import { maskValue } from './mask';

const visible = (access: ObjectAccess, field: string) => (access.fields.get(field)?.value ?? 'hidden') !== 'hidden';
const masked = (object: CompiledObject, access: ObjectAccess, field: string) => object.fields.get(field)?.def.sensitive === true && !access.can.unmask;

/**
 * A field this user sees in clear: not hidden, not masked. Only such fields may be filtered,
 * sorted, grouped or summed by — on a masked one the answer would reveal the value.
 */
export const seesInClear = (object: CompiledObject, access: ObjectAccess, field: string): boolean => visible(access, field) && !masked(object, access, field);

/** A record as this user may see it: hidden fields absent (not even as keys), sensitive ones masked. */
export function viewRecord(object: CompiledObject, access: ObjectAccess, record: StoredRecord): Record<string, unknown> {
  const full = toApiRecord(object, record);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if ((SYSTEM_FIELDS as readonly string[]).includes(key)) out[key] = value;
    else if (visible(access, key)) out[key] = masked(object, access, key) ? maskValue(object.fields.get(key)!.def, value) : value;
  }
  return out;
}

/** History as this user may see it: changes to hidden fields dropped, sensitive values masked; entries left empty are dropped. */
export function viewHistory(object: CompiledObject, access: ObjectAccess, entries: readonly HistoryEntry[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const entry of entries) {
    const changes: Record<string, { old: unknown; new: unknown }> = {};
    for (const [field, change] of Object.entries(entry.changes)) {
      if (field === 'owner') changes[field] = change;
      else if (object.fields.has(field) && visible(access, field)) {
        const def = object.fields.get(field)!.def;
        changes[field] = masked(object, access, field) ? { old: maskValue(def, change.old), new: maskValue(def, change.new) } : change;
      }
    }
    // A transition or an approval step is worth showing even when it changed no field the user sees.
    if (Object.keys(changes).length > 0 || entry.op !== 'update' || entry.transition || entry.approval) out.push({ ...entry, changes });
  }
  return out;
}

/** Said instead of a rule run's reason when the reason names a field the user cannot see. */
export const HIDDEN_REASON = 'a field you cannot see stopped this step';

/**
 * A rule run as this user may see it: each step's detail without the values of hidden fields
 * (sensitive ones masked), and a reason that points at a hidden field (`/field …`) replaced
 * by a generic one — a run tells no more than the record and its history do.
 */
export function viewRun<R extends { error?: string; actions: ReadonlyArray<{ detail?: Record<string, unknown>; error?: string }> }>(object: CompiledObject, access: ObjectAccess, run: R): R {
  const hidden = [...object.fields.keys()].filter((field) => !visible(access, field));
  const reason = (text: string | undefined) => (text !== undefined && hidden.some((field) => new RegExp(`/${field}(?![\\w])`).test(text)) ? HIDDEN_REASON : text);
  const detail = (values: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!object.fields.has(key)) out[key] = value;
      else if (visible(access, key)) out[key] = masked(object, access, key) ? maskValue(object.fields.get(key)!.def, value) : value;
    }
    return out;
  };
  const actions = run.actions.map((a) => ({ ...a, ...(a.detail ? { detail: detail(a.detail) } : {}), ...(a.error !== undefined ? { error: reason(a.error) } : {}) }));
  return { ...run, actions, ...(run.error !== undefined ? { error: reason(run.error) } : {}) };
}

/**
 * Checks the fields of a write against field access before the engine validates it.
 * Hidden fields are answered as unknown (their existence does not leak); read-only ones
 * are refused by name with 403. A sensitive value sent back exactly as it was shown
 * masked is taken as "unchanged" and dropped. Returns the input to validate.
 */
export function authorizeWrite(object: CompiledObject, access: ObjectAccess, input: unknown, current: StoredRecord | null): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const body: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const unknown: Problem[] = [];
  const readOnly: Problem[] = [];
  for (const key of Object.keys(body)) {
    const field = object.fields.get(key);
    if (!field) continue;
    const level = access.fields.get(key)?.value ?? 'hidden';
    if (level === 'hidden') unknown.push({ path: pointer(key), code: 'unknownField', message: `unknown field "${key}"`, params: { additionalProperty: key } });
    else if (current && masked(object, access, key) && body[key] === maskValue(field.def, current.values[key])) delete body[key];
    else if (level === 'read' && field.type.writable) readOnly.push({ path: pointer(key), code: 'readOnly', message: `you may read ${key} but not change it`, params: { field: key } });
  }
  if (unknown.length > 0) throw new EngineError('validation.failed', `The ${object.name} record is not valid`, unknown);
  if (readOnly.length > 0) throw new EngineError('access.denied', `You may not change ${readOnly.map((p) => p.path.slice(1)).join(', ')}`, readOnly);
  return body;
}

/**
 * Problems as this user may see them. A problem about a hidden field (a required field
 * with no default, a unique value someone else holds) would reveal the field, so it is
 * replaced by one generic problem at the record.
 */
export function visibleProblems(error: unknown, access: ObjectAccess): unknown {
  if (!(error instanceof EngineError) || error.details.length === 0) return error;
  const shown = error.details.filter((p) => {
    const field = p.path.split('/')[1];
    return field === undefined || field === '' || !access.fields.has(field) || visible(access, field);
  });
  if (shown.length === error.details.length) return error;
  const generic: Problem = { path: '', code: 'hiddenField', message: 'a field you cannot see prevents this change; ask an administrator' };
  return new EngineError(error.code, error.message, [...shown, generic], error.extra);
}
