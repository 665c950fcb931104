import { createAjv } from '../ajv';
import { fieldType } from '../fields';
import type { Problem } from '../errors';
import type { FieldDef, MetadataBundle, ObjectDef } from './types';
import { pairKey } from '../records/masterDetail';
import { RECORD_TYPE_FIELD, recordTypeField } from './relationships';
import type { Migration } from './migrations';

/**
 * What a publish would do to existing records: the checks that must hold for every record of
 * an object, derived from the difference between the published metadata and the next one.
 * Pure: the caller reads the records and feeds them in.
 */
export type ImpactKind = 'blankRequired' | 'incompatibleValue' | 'optionInUse' | 'duplicateValue' | 'hiddenValue';

export interface ImpactCheck {
  readonly object: string;
  readonly field: string;
  readonly kind: ImpactKind;
  /** JSON Pointer of the field definition in the next bundle. */
  readonly path: string;
  /** True when the record breaks the check. `duplicateValue` is decided across records, from `key`. */
  readonly breaks: (values: Readonly<Record<string, unknown>>) => boolean;
  /** For unique checks: the guard key of a value, or null when blank. */
  readonly key?: (values: Readonly<Record<string, unknown>>) => string | null;
  /** For removed options: the values a breaking record holds that the new definition lacks (what a migration would map). */
  readonly offending?: (values: Readonly<Record<string, unknown>>) => string[];
}

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function impactChecks(previous: MetadataBundle | null, next: MetadataBundle): ImpactCheck[] {
  if (!previous) return [];
  const ajv = createAjv();
  const checks: ImpactCheck[] = [];
  next.objects.forEach((object, oi) => {
    const before = previous.objects.find((o) => o.name === object.name);
    if (!before) return;
    object.fields.forEach((field, fi) => checks.push(...fieldChecks(ajv, before, object, field, `/objects/${oi}/fields/${fi}`)));
    checks.push(...junctionChecks(before, object, `/objects/${oi}/junction`));
    checks.push(...recordTypeChecks(before, object, `/objects/${oi}/recordTypes`));
  });
  return checks;
}

/** A record type removed while records are of it: refused like a picklist option in use (a migration maps them to another type). */
function recordTypeChecks(before: ObjectDef, object: ObjectDef, path: string): ImpactCheck[] {
  const [old, next] = [recordTypeField(before), recordTypeField(object)];
  if (!old || !next) return [];
  const kept = new Set(next.options.map((o) => o.value));
  if (old.options.every((o) => kept.has(o.value))) return [];
  const removed = (v: Readonly<Record<string, unknown>>) => (typeof v[RECORD_TYPE_FIELD] === 'string' && !kept.has(v[RECORD_TYPE_FIELD]) ? [v[RECORD_TYPE_FIELD]] : []);
  return [{ object: object.name, field: RECORD_TYPE_FIELD, kind: 'optionInUse', path, breaks: (v) => removed(v).length > 0, offending: removed }];
}

/** A newly declared junction: each pair may be linked once, so existing pairs must be distinct (and get their guards). */
function junctionChecks(before: ObjectDef, object: ObjectDef, path: string): ImpactCheck[] {
  if (!object.junction || JSON.stringify(before.junction) === JSON.stringify(object.junction)) return [];
  const [left, right] = object.junction.between;
  return [
    {
      object: object.name,
      field: right,
      kind: 'duplicateValue',
      path,
      breaks: () => false,
      key: (v) => (typeof v[left] === 'string' && typeof v[right] === 'string' ? pairKey(v[left], v[right]) : null),
    },
  ];
}

function fieldChecks(ajv: ReturnType<typeof createAjv>, before: ObjectDef, object: ObjectDef, field: FieldDef, path: string): ImpactCheck[] {
  const old = before.fields.find((f) => f.name === field.name);
  const type = fieldType(field);
  const out: ImpactCheck[] = [];
  const base = { object: object.name, field: field.name };
  // A field new to this version may meet values an earlier field of its name left (removing a
  // field keeps its data): they must fit, or be purged first. This is also what lets a rollback
  // bring a removed field back with its data.
  if (!old && type.writable) {
    const validate = ajv.compile(type.valueSchema(field));
    out.push({ ...base, kind: 'hiddenValue', path: `${path}/name`, breaks: (v) => !blank(v[field.name]) && !validate(v[field.name]) });
  }
  const hasDefault = 'default' in field && field.default !== undefined;
  if (field.required && !hasDefault && type.writable && (!old || !old.required)) {
    out.push({ ...base, kind: 'blankRequired', path: `${path}/required`, breaks: (v) => blank(v[field.name]) });
  }
  // A record keeps a value its field had; under a new definition it must still be valid (or the field is read-only and recomputed).
  if (old && type.writable && (old.type !== field.type || JSON.stringify(type.valueSchema(field)) !== JSON.stringify(fieldType(old).valueSchema(old)))) {
    const validate = ajv.compile(type.valueSchema(field));
    const kept = new Set(field.type === 'picklist' || field.type === 'multi-picklist' ? field.options.map((o) => o.value) : []);
    const isOption = field.type === 'picklist' || field.type === 'multi-picklist';
    out.push({
      ...base,
      kind: isOption && old.type === field.type ? 'optionInUse' : 'incompatibleValue',
      path: isOption && old.type === field.type ? `${path}/options` : `${path}/type`,
      ...(isOption && old.type === field.type ? { offending: (v: Readonly<Record<string, unknown>>) => (Array.isArray(v[field.name]) ? (v[field.name] as unknown[]) : [v[field.name]]).map(String).filter((x) => !kept.has(x)) } : {}),
      breaks: (v) => {
        const value = v[field.name];
        if (blank(value)) return false;
        // Deactivated options stay valid on records that have them; removed ones do not.
        if (isOption && old.type === field.type) return (Array.isArray(value) ? value : [value]).some((x) => !kept.has(String(x)));
        return !validate(value);
      },
    });
  }
  if (field.unique && (!old || !old.unique) && type.uniqueKey) {
    out.push({
      ...base,
      kind: 'duplicateValue',
      path: `${path}/unique`,
      breaks: () => false,
      key: (v) => (blank(v[field.name]) ? null : type.uniqueKey!(v[field.name], field)),
    });
  }
  return out;
}

/** Accumulates records against checks and reports what breaks, with counts and sample ids. */
export class ImpactReport {
  private readonly counts = new Map<ImpactCheck, { count: number; sample: string[]; values: Set<string> }>();
  private readonly seen = new Map<ImpactCheck, Map<string, string>>();

  constructor(readonly checks: readonly ImpactCheck[]) {}

  add(object: string, id: string, values: Readonly<Record<string, unknown>>): void {
    for (const check of this.checks) {
      if (check.object !== object) continue;
      let broken = check.breaks(values);
      if (check.key) {
        const k = check.key(values);
        if (k !== null) {
          const keys = this.seen.get(check) ?? new Map<string, string>();
          broken = keys.has(k);
          if (!broken) keys.set(k, id);
          this.seen.set(check, keys);
        }
      }
      if (!broken) continue;
      const entry = this.counts.get(check) ?? { count: 0, sample: [], values: new Set<string>() };
      entry.count++;
      if (entry.sample.length < 5) entry.sample.push(id);
      for (const value of check.offending?.(values) ?? []) if (entry.values.size < 50) entry.values.add(value);
      this.counts.set(check, entry);
    }
  }

  problems(): Problem[] {
    const words: Record<ImpactKind, string> = {
      blankRequired: 'records have no value for this newly required field and it has no default',
      incompatibleValue: 'records have values the new definition does not accept',
      optionInUse: 'records use an option that would be removed (deactivate it instead)',
      duplicateValue: 'records repeat a value of this newly unique field (or link the same pair twice)',
      hiddenValue: 'records keep values of an earlier field of this name that the new definition does not accept: purge them first (POST /api/metadata/purge) or use another name',
    };
    return [...this.counts].map(([check, { count, sample, values }]) => {
      const migration = offer(check, values);
      return {
        path: check.path,
        code: check.kind,
        message: `${count} ${check.object} ${words[check.kind]}${migration ? '; publish with this migration to fix them' : ''}`,
        params: { object: check.object, field: check.field, count, sample, ...(migration ? { migration } : {}) },
      };
    });
  }

  /** Unique values seen per newly unique field: the guards to write once the publish succeeds. */
  guards(): Array<{ object: string; field: string; key: string; id: string }> {
    return [...this.seen].flatMap(([check, keys]) => [...keys].map(([key, id]) => ({ object: check.object, field: check.field, key, id })));
  }
}

/**
 * The migration that fixes a broken check, where one is well defined, as a template to fill
 * in and send with the publish: a value to backfill, or a new value for each removed one in use.
 */
function offer(check: ImpactCheck, values: ReadonlySet<string>): Migration | null {
  if (check.kind === 'blankRequired') return { object: check.object, field: check.field, backfill: null };
  if (check.kind === 'optionInUse') return { object: check.object, field: check.field, mapValues: Object.fromEntries([...values].map((v) => [v, ''])) };
  return null;
}
