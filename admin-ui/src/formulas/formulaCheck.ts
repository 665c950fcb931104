/**
 * The formula editor's live check and preview, with the engine's own parser and type checker
 * (`functions/engine/formulas`, `checkObjectFormula`): what the console accepts is what
 * publishing accepts, and the preview computes what a save would store.
 */
import { checkObjectFormula } from '../../../functions/engine/fields/formula';
import { FormulaError, evaluateFormula } from '../../../functions/engine/formulas/formula';
import { FUNCTIONS } from '../../../functions/engine/formulas/functions';
import type { FormulaField, MetadataBundle, ObjectDef } from '../types';

/** Function names for the function list, A–Z. */
export const FORMULA_FUNCTIONS = Object.keys(FUNCTIONS).sort();

export type FormulaCheck =
  | { readonly ok: true; readonly type: string; readonly fields: string[]; readonly paths: string[]; readonly volatile: boolean }
  | { readonly ok: false; readonly message: string };

/** Type-checks a formula field as it stands in `object` (the field itself need not be saved yet). */
export function checkFormulaField(field: FormulaField, object: ObjectDef, bundle?: MetadataBundle): FormulaCheck {
  const withField: ObjectDef = { ...object, fields: object.fields.some((f) => f.name === field.name) ? object.fields.map((f) => (f.name === field.name ? field : f)) : [...object.fields, field] };
  try {
    const checked = checkObjectFormula(field, withField, bundle);
    return { ok: true, type: checked.type, fields: [...checked.fields], paths: [...checked.paths], volatile: checked.volatile };
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, message: error.message };
    throw error;
  }
}

/** What the formula gives for a sample record (values by field name, parent values by dotted path). */
export function previewFormula(field: FormulaField, object: ObjectDef, sample: Readonly<Record<string, unknown>>, now: Date, bundle?: MetadataBundle): { value: unknown } | { error: string } {
  const check = checkFormulaField(field, object, bundle);
  if (!check.ok) return { error: check.message };
  // checkObjectFormula has parsed it once already; parsing again is cheap and keeps the AST out of the check's result.
  const { ast } = checkObjectFormula(field, { ...object, fields: [...object.fields.filter((f) => f.name !== field.name), field] }, bundle);
  return { value: evaluateFormula(ast, sample, now) };
}

/** Inserts text at a caret position, returning the new text and caret. */
export function insertAt(text: string, caret: number, insert: string): { text: string; caret: number } {
  const at = Math.max(0, Math.min(caret, text.length));
  return { text: text.slice(0, at) + insert + text.slice(at), caret: at + insert.length };
}
