import { createAjv } from '../ajv';
import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { MetadataBundle } from './types';
import { sanitizeBundle } from './relationships';

/**
 * Data migrations a publish may run when existing records would not survive a change, where
 * the fix is well defined: give blank records a value for a newly required field, or move
 * records off picklist values that are removed. They are an explicit option of publish:
 * `{"migrations": [...]}`, offered in the refusal's problems.
 */
export type Migration =
  /** Where the field is blank, set this value (valid under the new definition). */
  | { readonly object: string; readonly field: string; readonly backfill: unknown }
  /** Picklist or multi-picklist values: old value → new value (an active option of the new definition). */
  | { readonly object: string; readonly field: string; readonly mapValues: Readonly<Record<string, string>> };

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of a publish's `migrations` against the bundle being published, at `/migrations/<i>/…`. */
export function migrationProblems(input: unknown, published: MetadataBundle): { migrations: Migration[]; problems: Problem[] } {
  if (input === undefined) return { migrations: [], problems: [] };
  // Platform fields (`record_type`) can be migrated like the object's own.
  const next = sanitizeBundle(published);
  if (!Array.isArray(input) || input.length > 100) return { migrations: [], problems: [{ path: '/migrations', code: 'type', message: 'migrations is a list of at most 100 migrations' }] };
  const ajv = createAjv();
  const problems: Problem[] = [];
  const seen = new Set<string>();
  input.forEach((m, i) => {
    const at = `/migrations/${i}`;
    if (!isRecord(m) || typeof m.object !== 'string' || typeof m.field !== 'string' || ('backfill' in m) === ('mapValues' in m) || Object.keys(m).length !== 3) {
      problems.push({ path: at, code: 'type', message: 'a migration is {object, field, backfill} or {object, field, mapValues}' });
      return;
    }
    const key = `${m.object}.${m.field}`;
    if (seen.has(key)) problems.push({ path: at, code: 'duplicate', message: `${key} has another migration` });
    seen.add(key);
    const field = next.objects.find((o) => o.name === m.object)?.fields.find((f) => f.name === m.field);
    if (!field) {
      problems.push({ path: `${at}/field`, code: 'unknownField', message: `${key} is not a field of the metadata being published`, params: { object: m.object, field: m.field } });
      return;
    }
    const type = fieldType(field);
    if (!type.writable) problems.push({ path: `${at}/field`, code: 'readOnly', message: `${key} is computed; nothing to migrate` });
    if ('backfill' in m) {
      if (field.unique) problems.push({ path: `${at}/backfill`, code: 'unique', message: `${key} is unique: one value cannot fill several records` });
      else if (blank(m.backfill) || !ajv.validate(type.valueSchema(field), m.backfill)) {
        problems.push({ path: `${at}/backfill`, code: 'invalid', message: `the value does not fit ${key}: ${ajv.errors?.[0]?.message ?? 'blank'}`, params: { field: m.field } });
      }
    } else {
      if (field.type !== 'picklist' && field.type !== 'multi-picklist') {
        problems.push({ path: `${at}/mapValues`, code: 'notAPicklist', message: `${key} is a ${field.type} field, not a picklist` });
      } else if (!isRecord(m.mapValues)) {
        problems.push({ path: `${at}/mapValues`, code: 'type', message: 'mapValues maps old values to new ones' });
      } else {
        const active = new Set(field.options.filter((o) => !o.inactive).map((o) => o.value));
        for (const [from, to] of Object.entries(m.mapValues)) {
          if (typeof to !== 'string' || !active.has(to)) problems.push({ path: `${at}/mapValues${pointer(from)}`, code: 'unknownOption', message: `"${String(to)}" is not an active option of ${key}`, params: { value: to } });
        }
      }
    }
  });
  return { migrations: problems.length ? [] : (input as Migration[]), problems };
}

/** The changes `migrations` make to one record's values of `object` (empty when none apply). */
export function migrationChanges(migrations: readonly Migration[], object: string, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const m of migrations) {
    if (m.object !== object) continue;
    const value = values[m.field];
    if ('backfill' in m) {
      if (blank(value)) changes[m.field] = m.backfill;
    } else if (Array.isArray(value)) {
      if (value.some((v) => Object.hasOwn(m.mapValues, String(v)))) changes[m.field] = [...new Set(value.map((v) => m.mapValues[String(v)] ?? v))];
    } else if (typeof value === 'string' && Object.hasOwn(m.mapValues, value)) changes[m.field] = m.mapValues[value];
  }
  return changes;
}
