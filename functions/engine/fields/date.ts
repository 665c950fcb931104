import type { FieldTypeDef } from './FieldTypeDef';
import { ORDERED_OPS, rangeProblem } from './shared';
import { dayIn } from '../time/tenantDay';

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
  // `today` is the day in the tenant's zone: at 07:00 in Shanghai it is already tomorrow in UTC's terms.
  resolveDefault: (f, now, timeZone) => (f.default === 'today' ? dayIn(now, timeZone) : f.default),
  writable: true,
  operators: ORDERED_OPS,
  widget: 'date',
};
