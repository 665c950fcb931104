import type { CompiledObject } from '../compile/compileObject';
import { fieldType } from '../fields';
import type { FieldDef } from '../metadata/types';
import type { StoredRecord } from '../records/types';
import type { Filter } from './listQuery';

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Comparable form of a value: the field's index key where it has one, so in-memory
 * filtering agrees exactly with what an index would return (case-insensitive text, digits-only phones).
 */
function comparable(field: FieldDef | undefined, value: unknown): string {
  if (!field) return String(value);
  const encode = fieldType(field).indexKey;
  return encode ? encode(value, field) : String(value);
}

export function matchesFilter(object: CompiledObject, record: StoredRecord, filter: Filter): boolean {
  const field = object.fields.get(filter.field)?.def;
  const value = filter.field === 'owner' ? record.owner : record.values[filter.field];
  if (filter.op === 'isBlank') return blank(value) === filter.values[0];
  if (blank(value)) return filter.op === 'ne';
  const v = comparable(field, value);
  const args = filter.values.map((x) => comparable(field, x));
  const [a = '', b = ''] = args;
  switch (filter.op) {
    case 'eq':
      return v === a;
    case 'ne':
      return v !== a;
    case 'in':
      return args.includes(v);
    case 'lt':
      return v < a;
    case 'lte':
      return v <= a;
    case 'gt':
      return v > a;
    case 'gte':
      return v >= a;
    case 'between':
      return v >= a && v <= b;
    case 'startsWith':
      return v.startsWith(a);
  }
}

export const matchesAll = (object: CompiledObject, record: StoredRecord, filters: readonly Filter[]): boolean =>
  filters.every((f) => matchesFilter(object, record, f));
