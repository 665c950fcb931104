import type { FieldTypeDef } from './FieldTypeDef';
import { phoneKey } from './encoding';
import { EQUALITY_OPS } from './shared';

/** Digits with optional separators; compared by digits only, so formatting never defeats uniqueness. */
export const phone: FieldTypeDef<'phone'> = {
  type: 'phone',
  valueSchema: () => ({ type: 'string', pattern: '^\\+?[0-9][0-9 ()./-]{2,38}$', maxLength: 40 }),
  normalize: (v) => String(v).trim(),
  indexKey: phoneKey,
  uniqueKey: phoneKey,
  writable: true,
  operators: [...EQUALITY_OPS, 'startsWith'],
  widget: 'phone',
};
