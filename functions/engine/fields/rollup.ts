import type { RollupField } from '../metadata/types';
import type { FieldTypeDef } from './FieldTypeDef';
import { problemAt } from './shared';
import { servesEquality } from '../metadata/indexes';

const NUMERIC = new Set(['number', 'currency', 'percent']);

/**
 * Roll-up summaries live beside the record (their own item in its partition), maintained by
 * the children's writes: they are read-only, not filterable and not indexable.
 */
export const rollup: FieldTypeDef<'rollup'> = {
  type: 'rollup',
  valueSchema: () => ({ type: 'number', readOnly: true }),
  check: (f: RollupField, { bundle, object, path }) => {
    const child = bundle.objects.find((o) => o.name === f.child);
    if (!child) return [problemAt(path, 'child', 'unknownObject', `"${f.child}" is not an object`, { object: f.child })];
    const problems = [];
    const via = child.fields.find((x) => x.name === f.via);
    if (!via || via.type !== 'lookup' || via.target !== object.name) {
      problems.push(problemAt(path, 'via', 'notALookup', `${f.child}.${f.via} must be a lookup to ${object.name}`, { field: f.via }));
    } else {
      // The children of one parent are found through an index, never by reading the whole object.
      if (!servesEquality(child, f.via)) problems.push(problemAt(path, 'via', 'needsIndex', `index ${f.child}.${f.via} (mark it indexed) so its children can be found`, { field: f.via }));
    }
    if (f.function === 'count') {
      if (f.field !== undefined) problems.push(problemAt(path, 'field', 'notAllowed', 'count takes no field'));
    } else {
      const value = child.fields.find((x) => x.name === f.field);
      if (!value || !NUMERIC.has(value.type)) problems.push(problemAt(path, 'field', 'notNumeric', `${f.function} needs a number, currency or percent field of ${f.child}`, { field: f.field }));
    }
    for (const key of Object.keys(f.where ?? {})) {
      if (!child.fields.some((x) => x.name === key)) problems.push(problemAt(`${path}/where`, key, 'unknownField', `"${key}" is not a field of ${f.child}`, { field: key }));
    }
    return problems;
  },
  writable: false,
  operators: [],
  widget: 'readonly',
};
