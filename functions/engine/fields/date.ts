import type { FieldTypeDef } from './FieldTypeDef';
import { ORDERED_OPS, rangeProblem } from './shared';

/** ISO dates (`YYYY-MM-DD`) sort as text in calendar order, so the index key is the value. */
export const date: FieldTypeDef<'date'> = {
  type: 'date',
  valueSchema: (f) => ({
    type: 'string',
    format: 'date',
    ...(f.min !== undefined ? { formatMinimum: f.min } : {}),
    ...(f.max !== undefined ? { formatMaximum: f.max } : {}),
  }),
  indexKey: (v) => String(v),
  uniqueKey: (v) => String(v),
  check: (f, { path }) => rangeProblem(path, f.min, f.max, 'min', 'max'),
  // TODO(#5): `today` should follow the tenant's time zone once tenant settings exist.
  resolveDefault: (f, now) => (f.default === 'today' ? now.toISOString().slice(0, 10) : f.default),
  writable: true,
  operators: ORDERED_OPS,
  widget: 'date',
};
