import type { FieldTypeDef } from './FieldTypeDef';
import { EQUALITY_OPS } from './shared';

export const url: FieldTypeDef<'url'> = {
  type: 'url',
  valueSchema: () => ({ type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 }),
  normalize: (v) => String(v).trim(),
  uniqueKey: (v) => String(v).trim().toLowerCase(),
  writable: true,
  operators: EQUALITY_OPS,
  widget: 'url',
};
