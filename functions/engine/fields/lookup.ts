import type { FieldTypeDef } from './FieldTypeDef';
import { EQUALITY_OPS, problemAt } from './shared';
import { RECORD_ID_PATTERN } from '../ids';

/** A reference to a record of `target`; its existence is checked inside the write's transaction. */
export const lookup: FieldTypeDef<'lookup'> = {
  type: 'lookup',
  valueSchema: () => ({ type: 'string', pattern: RECORD_ID_PATTERN }),
  indexKey: (v) => String(v),
  check: (f, { bundle, path }) =>
    bundle.objects.some((o) => o.name === f.target)
      ? []
      : [problemAt(path, 'target', 'unknownObject', `lookup target "${f.target}" is not an object`, { target: f.target })],
  writable: true,
  operators: EQUALITY_OPS,
  widget: 'lookup',
};
