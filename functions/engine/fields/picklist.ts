import type { PicklistOption } from '../metadata/types';
import type { Problem } from '../errors';
import type { FieldTypeDef } from './FieldTypeDef';
import { EQUALITY_OPS, problemAt } from './shared';

export const activeValues = (options: readonly PicklistOption[]): string[] =>
  options.filter((o) => !o.inactive).map((o) => o.value);

export function optionProblems(options: readonly PicklistOption[], path: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  options.forEach((o, i) => {
    if (seen.has(o.value)) problems.push(problemAt(`${path}/options/${i}`, 'value', 'duplicate', `option value "${o.value}" is repeated`));
    seen.add(o.value);
  });
  return problems;
}

/**
 * One value of a list. New values must be active options; a record keeps an option that
 * was deactivated later (unchanged values are not re-validated on patch).
 */
export const picklist: FieldTypeDef<'picklist'> = {
  type: 'picklist',
  valueSchema: (f) => ({ type: 'string', enum: activeValues(f.options) }),
  indexKey: (v) => String(v),
  uniqueKey: (v) => String(v),
  check: (f, { path }) => optionProblems(f.options, path),
  writable: true,
  operators: EQUALITY_OPS,
  widget: 'select',
};
