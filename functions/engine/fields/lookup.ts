import type { FieldTypeDef } from './FieldTypeDef';
import { EQUALITY_OPS, problemAt } from './shared';
import { servesEquality } from '../metadata/indexes';
import { RECORD_ID_PATTERN } from '../ids';

/** A reference to a record of `target`; its existence is checked inside the write's transaction. */
export const lookup: FieldTypeDef<'lookup'> = {
  type: 'lookup',
  valueSchema: () => ({ type: 'string', pattern: RECORD_ID_PATTERN }),
  indexKey: (v) => String(v),
  check: (f, { bundle, object, path }) => {
    if (!bundle.objects.some((o) => o.name === f.target)) return [problemAt(path, 'target', 'unknownObject', `lookup target "${f.target}" is not an object`, { target: f.target })];
    if (f.onDelete === undefined) return [];
    const problems = [];
    // Deleting the target finds these records by Query, so the lookup needs an index.
    if (!servesEquality(object, f.name)) problems.push(problemAt(path, 'onDelete', 'needsIndex', `onDelete needs ${object.name}.${f.name} indexed, so the records pointing at a deleted ${f.target} can be found`));
    if (f.onDelete === 'clear' && f.required) problems.push(problemAt(path, 'onDelete', 'requiredField', 'a required lookup cannot be cleared: use restrict or cascade'));
    return problems;
  },
  writable: true,
  operators: EQUALITY_OPS,
  widget: 'lookup',
};
