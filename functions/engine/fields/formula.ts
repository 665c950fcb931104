import type { FieldDef, FormulaField, MetadataBundle, ObjectDef } from '../metadata/types';
import { FormulaError, MAX_PARENT_DEPTH, checkFormula } from '../formulas/formula';
import type { CheckedFormula, ParentResolver, Scope } from '../formulas/formula';
import type { FormulaType } from '../formulas/functions';
import type { FieldTypeDef, JsonSchema } from './FieldTypeDef';
import { numberKey, roundTo, textKey } from './encoding';
import { ORDERED_OPS, TEXT_OPS, problemAt } from './shared';

/** How a field's value looks to a formula. Multi-picklists are not readable by formulas. */
export function formulaTypeOf(field: FieldDef): FormulaType | null {
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'boolean':
      return 'boolean';
    case 'multi-picklist':
      return null;
    case 'rollup':
      return null; // kept beside the record, not in it: a stored formula cannot see it
    case 'formula':
      return field.returnType === 'text' ? 'text' : field.returnType === 'date' ? 'date' : field.returnType === 'boolean' ? 'boolean' : 'number';
    default:
      return 'text';
  }
}

export const formulaScope = (object: ObjectDef, except: string): Scope =>
  new Map(object.fields.filter((f) => f.name !== except).flatMap((f) => { const t = formulaTypeOf(f); return t ? [[f.name, t] as const] : []; }));

/**
 * Whether a formula is stored on write: it calls neither TODAY() nor NOW(), reads no parent
 * record, and reads no formula of its own record that is computed on read.
 */
export function isStoredFormula(field: FormulaField, object: ObjectDef): boolean {
  const formulas = new Map(object.fields.filter((f): f is FormulaField => f.type === 'formula').map((f) => [f.name, f] as const));
  const seen = new Set<string>();
  const stack = [field.name];
  while (stack.length) {
    const name = stack.pop()!;
    const f = formulas.get(name);
    if (!f || seen.has(name)) continue;
    seen.add(name);
    let checked: CheckedFormula;
    try {
      // Without a parent resolver: a parent path does not check, so such a formula is not stored.
      checked = checkFormula(f.expression, formulaScope(object, f.name));
    } catch {
      return false;
    }
    if (checked.volatile) return false;
    stack.push(...checked.fields);
  }
  return true;
}

/**
 * Types parent paths of formulas on `object`: each step but the last must be a lookup (at
 * most MAX_PARENT_DEPTH of them), the last a field stored on that record — not a roll-up, a
 * multi-picklist, or a formula computed on read.
 */
export function parentResolver(object: ObjectDef, bundle: MetadataBundle): ParentResolver {
  return (path) => {
    const dotted = path.join('.');
    if (path.length - 1 > MAX_PARENT_DEPTH) throw new FormulaError(`${dotted} follows ${path.length - 1} lookups; a formula may follow at most ${MAX_PARENT_DEPTH}`, 'depthExceeded');
    let current = object;
    for (let i = 0; i < path.length - 1; i++) {
      const step = current.fields.find((f) => f.name === path[i]);
      const target = step?.type === 'lookup' ? bundle.objects.find((o) => o.name === step.target) : undefined;
      if (!target) throw new FormulaError(`${path.slice(0, i + 1).join('.')} is not a lookup of ${current.name}`, 'unknownLookup');
      current = target;
    }
    const name = path[path.length - 1]!;
    const field = current.fields.find((f) => f.name === name);
    if (!field) throw new FormulaError(`"${name}" is not a field of ${current.name}`, 'unknownParentField');
    const type = formulaTypeOf(field);
    if (!type || (field.type === 'formula' && !isStoredFormula(field, current))) {
      throw new FormulaError(`${current.name}.${name} is not stored on its record (a roll-up, multi-picklist or formula computed on read), so it cannot be read through a lookup`, 'unknownParentField');
    }
    return type;
  };
}

/**
 * Checks one formula of an object, including that formulas do not depend on each other in a
 * circle. With the bundle, the formula may read parent fields through lookups.
 */
export function checkObjectFormula(field: FormulaField, object: ObjectDef, bundle?: MetadataBundle): CheckedFormula {
  const parents = bundle ? parentResolver(object, bundle) : undefined;
  const checked = checkFormula(field.expression, formulaScope(object, field.name), parents);
  const wanted = formulaTypeOf(field)!;
  if (checked.type !== wanted && checked.type !== 'any') throw new FormulaError(`the expression gives ${checked.type}, but the field returns ${field.returnType}`);
  const formulas = new Map(object.fields.filter((f): f is FormulaField => f.type === 'formula').map((f) => [f.name, f] as const));
  const seen = new Set<string>([field.name]);
  const stack = [...checked.fields];
  while (stack.length) {
    const name = stack.pop()!;
    const other = formulas.get(name);
    if (!other) continue;
    if (seen.has(name)) continue;
    seen.add(name);
    let deps: ReadonlySet<string>;
    try {
      deps = checkFormula(other.expression, formulaScope(object, other.name), parents).fields;
    } catch {
      continue; // reported at that field
    }
    if (deps.has(field.name)) throw new FormulaError(`formulas depend on each other in a circle through ${name}`);
    stack.push(...deps);
  }
  return checked;
}

const scaleOf = (f: FormulaField) => f.scale ?? (f.returnType === 'currency' ? 2 : undefined);

export const formula: FieldTypeDef<'formula'> = {
  type: 'formula',
  valueSchema: (f): JsonSchema => {
    const base = f.returnType === 'text' ? { type: 'string' } : f.returnType === 'date' ? { type: 'string', format: 'date' } : f.returnType === 'boolean' ? { type: 'boolean' } : { type: 'number' };
    return { ...base, readOnly: true };
  },
  normalize: (v, f) => (typeof v === 'number' && scaleOf(f) !== undefined ? roundTo(v, scaleOf(f)!) : v),
  indexKey: (v, f) => (f.returnType === 'text' ? textKey(v) : f.returnType === 'date' ? String(v) : f.returnType === 'boolean' ? (v ? '1' : '0') : numberKey(v)),
  check: (f, { bundle, object, path }) => {
    try {
      checkObjectFormula(f, object, bundle);
      if ((f.indexed || f.unique) && !isStoredFormula(f, object)) {
        return [problemAt(path, f.indexed ? 'indexed' : 'unique', 'volatile', 'formulas using TODAY() or NOW(), reading parent records, or reading such formulas are computed on read and cannot be indexed or unique')];
      }
      return [];
    } catch (error) {
      if (error instanceof FormulaError) return [problemAt(path, 'expression', error.code, error.message, { expression: f.expression })];
      throw error;
    }
  },
  writable: false,
  operators: [...new Set([...ORDERED_OPS, ...TEXT_OPS])],
  widget: 'formula',
};
