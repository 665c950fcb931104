import type { FieldTypeDef } from './FieldTypeDef';
import { EQUALITY_OPS } from './shared';
import { RECORD_ID_PATTERN } from '../ids';

/** A reference to a user of the tenant; existence is checked inside the write's transaction. */
export const user: FieldTypeDef<'user'> = {
  type: 'user',
  valueSchema: () => ({ type: 'string', pattern: RECORD_ID_PATTERN }),
  indexKey: (v) => String(v),
  writable: true,
  operators: EQUALITY_OPS,
  widget: 'user',
};
