import type { FieldDef, FieldType } from '../metadata/types';
import type { FieldTypeDef } from './FieldTypeDef';
import { autoNumber } from './autoNumber';
import { boolean } from './boolean';
import { currency } from './currency';
import { date } from './date';
import { datetime } from './datetime';
import { email } from './email';
import { formula } from './formula';
import { rollup } from './rollup';
import { lookup } from './lookup';
import { multiPicklist } from './multiPicklist';
import { number } from './number';
import { percent } from './percent';
import { phone } from './phone';
import { picklist } from './picklist';
import { text } from './text';
import { textarea } from './textarea';
import { url } from './url';
import { user } from './user';

/** Every field type and all its parts. A type missing here does not compile. */
export const FIELD_REGISTRY = {
  text,
  textarea,
  number,
  currency,
  percent,
  date,
  datetime,
  boolean,
  email,
  phone,
  url,
  picklist,
  'multi-picklist': multiPicklist,
  lookup,
  user,
  'auto-number': autoNumber,
  formula,
  rollup,
} satisfies { [T in FieldType]: FieldTypeDef<T> };

/** The definition of a field's type, typed loosely enough to call with the field itself. */
export const fieldType = (field: FieldDef): FieldTypeDef<FieldType> =>
  FIELD_REGISTRY[field.type] as unknown as FieldTypeDef<FieldType>;

export type { FieldTypeDef, FilterOp, JsonSchema } from './FieldTypeDef';
export { FILTER_OPS } from './FieldTypeDef';
