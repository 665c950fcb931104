import type { Problem } from '../errors';
import { pointer } from '../errors';
import type { FilterOp } from './FieldTypeDef';

export const TEXT_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'isBlank'];
export const ORDERED_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'isBlank'];
export const EQUALITY_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'isBlank'];

/** A problem when `lo` is above `hi` (both optional). */
export function rangeProblem(path: string, lo: unknown, hi: unknown, loName: string, hiName: string): Problem[] {
  if (lo === undefined || hi === undefined) return [];
  if ((lo as number | string) <= (hi as number | string)) return [];
  return [
    {
      path: `${path}/${loName}`,
      code: 'range',
      message: `${loName} must not be greater than ${hiName}`,
      params: { [loName]: lo, [hiName]: hi },
    },
  ];
}

export const problemAt = (base: string, key: string, code: string, message: string, params?: Record<string, unknown>): Problem => ({
  path: base + pointer(key),
  code,
  message,
  ...(params ? { params } : {}),
});
