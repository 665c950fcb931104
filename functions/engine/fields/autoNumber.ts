import type { AutoNumberField } from '../metadata/types';
import type { FieldTypeDef } from './FieldTypeDef';
import { textKey } from './encoding';
import { TEXT_OPS } from './shared';

/**
 * Generated from an atomic per-field counter, so numbers never repeat under concurrency.
 * A failed write leaves a gap, as in every CRM that numbers records this way.
 */
export function formatAutoNumber(field: AutoNumberField, n: number, at: Date): string {
  const pad = (v: number, width: number) => String(v).padStart(width, '0');
  return field.pattern.replace(/\{(YYYY|YY|MM|DD|0+)\}/g, (_, token: string) => {
    switch (token) {
      case 'YYYY':
        return String(at.getUTCFullYear());
      case 'YY':
        return pad(at.getUTCFullYear() % 100, 2);
      case 'MM':
        return pad(at.getUTCMonth() + 1, 2);
      case 'DD':
        return pad(at.getUTCDate(), 2);
      default:
        return pad(n, token.length);
    }
  });
}

export const autoNumber: FieldTypeDef<'auto-number'> = {
  type: 'auto-number',
  valueSchema: () => ({ type: 'string', readOnly: true }),
  indexKey: textKey,
  writable: false,
  operators: TEXT_OPS,
  widget: 'readonly',
};
