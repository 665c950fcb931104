import type { FieldDef, FormulaField, ObjectDef } from '../metadata/types';
import { FormulaError, checkFormula } from '../formulas/formula';
import type { CheckedFormula, Scope } from '../formulas/formula';
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

/** Checks one formula of an object, including that formulas do not depend on each other in a circle. */
export function checkObjectFormula(field: FormulaField, object: ObjectDef): CheckedFormula {
  const checked = checkFormula(field.expression, formulaScope(object, field.name));
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
      deps = checkFormula(other.expression, formulaScope(object, other.name)).fields;
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
  check: (f, { object, path }) => {
    try {
      const checked = checkObjectFormula(f, object);
      if (checked.volatile && (f.indexed || f.unique)) return [problemAt(path, f.indexed ? 'indexed' : 'unique', 'volatile', 'formulas using TODAY() or NOW() are computed on read and cannot be indexed or unique')];
      return [];
    } catch (error) {
      if (error instanceof FormulaError) return [problemAt(path, 'expression', 'formula', error.message, { expression: f.expression })];
      throw error;
    }
  },
  writable: false,
  operators: [...new Set([...ORDERED_OPS, ...TEXT_OPS])],
  widget: 'formula',
};
