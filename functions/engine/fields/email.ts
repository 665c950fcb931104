import type { FieldTypeDef } from './FieldTypeDef';
import { textKey } from './encoding';
import { TEXT_OPS } from './shared';

/** Addresses compare case-insensitively for uniqueness and filters; stored as typed. */
export const email: FieldTypeDef<'email'> = {
  type: 'email',
  valueSchema: () => ({ type: 'string', format: 'email', maxLength: 254 }),
  normalize: (v) => String(v).trim(),
  indexKey: textKey,
  uniqueKey: textKey,
  writable: true,
  operators: TEXT_OPS,
  widget: 'email',
};
