import type { FieldTypeDef } from './FieldTypeDef';
import { ORDERED_OPS } from './shared';

/** Stored in UTC with milliseconds (`toISOString`), which sorts as text in time order. */
export const datetime: FieldTypeDef<'datetime'> = {
  type: 'datetime',
  valueSchema: () => ({ type: 'string', format: 'date-time' }),
  normalize: (v) => new Date(String(v)).toISOString(),
  indexKey: (v) => new Date(String(v)).toISOString(),
  uniqueKey: (v) => new Date(String(v)).toISOString(),
  resolveDefault: (f, now) => (f.default === 'now' ? now.toISOString() : f.default),
  writable: true,
  operators: ORDERED_OPS,
  widget: 'datetime',
};
