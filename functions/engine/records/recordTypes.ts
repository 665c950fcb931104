import type { CompiledObject } from '../compile/compileObject';
import { pointer } from '../errors';
import type { Problem } from '../errors';
import { RECORD_TYPE_FIELD } from '../metadata/relationships';

/** The record type of values: their `record_type`, or the object's default when blank. */
export const recordTypeOf = (object: CompiledObject, values: Readonly<Record<string, unknown>>): string | null =>
  typeof values[RECORD_TYPE_FIELD] === 'string' ? (values[RECORD_TYPE_FIELD] as string) : object.defaultRecordType;

/**
 * Picklist values outside the record type's subset. Checked for the fields a write changes,
 * and for every picklist when the write changes the record type itself, so a record never
 * takes a value its type does not offer — whichever channel writes it.
 */
export function recordTypeProblems(object: CompiledObject, values: Readonly<Record<string, unknown>>, changed: ReadonlySet<string> | null): Problem[] {
  if (object.recordTypes.length === 0) return [];
  const typeName = recordTypeOf(object, values);
  const type = object.recordTypes.find((t) => t.name === typeName);
  if (!type?.picklistValues) return [];
  const all = changed === null || changed.has(RECORD_TYPE_FIELD);
  const problems: Problem[] = [];
  for (const [field, allowed] of Object.entries(type.picklistValues)) {
    if (!all && !changed!.has(field)) continue;
    const value = values[field];
    if (value === undefined || value === null) continue;
    const outside = (Array.isArray(value) ? value : [value]).filter((v) => !allowed.includes(String(v)));
    if (outside.length === 0) continue;
    problems.push({
      path: pointer(field),
      code: 'enum',
      message: `${outside.join(', ')} is not a value of record type ${type.name}`,
      params: { field, recordType: type.name, allowedValues: allowed },
    });
  }
  return problems;
}
