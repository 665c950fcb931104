import type { NumberField, CurrencyField, PercentField } from '../metadata/types';
import type { FieldTypeDef } from './FieldTypeDef';
import { numberKey, roundTo } from './encoding';
import { ORDERED_OPS, rangeProblem } from './shared';

type NumericField = NumberField | CurrencyField | PercentField;

/** Shared parts of number, currency and percent; each type's own file picks its scale and widget. */
export function numericType<T extends NumericField['type']>(
  type: T,
  defaultScale: number | undefined,
  widget: string,
): FieldTypeDef<T> {
  const scaleOf = (f: NumericField) => f.scale ?? defaultScale;
  return {
    type,
    valueSchema: (f: NumericField) => ({
      type: 'number',
      ...(f.min !== undefined ? { minimum: f.min } : {}),
      ...(f.max !== undefined ? { maximum: f.max } : {}),
    }),
    normalize: (v: unknown, f: NumericField) => {
      const scale = scaleOf(f);
      return scale === undefined ? Number(v) : roundTo(Number(v), scale);
    },
    indexKey: numberKey,
    uniqueKey: (v: unknown) => String(Number(v)),
    check: (f: NumericField, { path }: { path: string }) => rangeProblem(path, f.min, f.max, 'min', 'max'),
    writable: true,
    operators: ORDERED_OPS,
    widget,
  } as unknown as FieldTypeDef<T>;
}
