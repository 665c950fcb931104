import type { CompiledIndex, CompiledObject } from '../compile/compileObject';
import { fieldType } from '../fields';
import type { FieldDef } from '../metadata/types';
import type { IndexEntry } from './types';

/** Separates parts of composite keys. Encodings strip control characters, so it never occurs inside a part. */
export const KEY_SEP = '\u0001';
/** Sorts after KEY_SEP and before any encoded character: the upper bound of "all entries with this key". */
export const KEY_END = '\u0002';
/** Sort-key prefixes: blank values sort first, then values in order. */
export const BLANK = '0';
export const PRESENT = '1';

export function valueKey(field: FieldDef, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const encode = fieldType(field).indexKey;
  if (!encode) throw new Error(`${field.type} is not indexable`);
  const key = encode(value, field);
  return key === '' ? null : key;
}

/** Partition of an index entry: the index name and each equality value (blank is its own value). */
export function indexPartition(index: CompiledIndex, values: Readonly<Record<string, unknown>>): string {
  return [index.name, ...index.equals.map((f) => equalityPart(valueKey(f, values[f.name])))].join(KEY_SEP);
}

export const equalityPart = (key: string | null): string => (key === null ? BLANK : PRESENT + key);

/** Sort key: the sort value (or blank), then the record id so entries are unique and stable. */
export function indexSort(index: CompiledIndex, values: Readonly<Record<string, unknown>>, id: string): string {
  const key = index.sort ? valueKey(index.sort, values[index.sort.name]) : null;
  return (key === null ? BLANK : PRESENT + key) + KEY_SEP + id;
}

export function indexEntries(object: CompiledObject, values: Readonly<Record<string, unknown>>, id: string): IndexEntry[] {
  return object.indexes.map((index) => ({ slot: index.slot, partition: indexPartition(index, values), sort: indexSort(index, values, id) }));
}
