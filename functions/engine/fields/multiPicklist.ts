import type { FieldTypeDef } from './FieldTypeDef';
import { activeValues } from './picklist';

/** Several values of a list, kept in option order. Filtered only as a bounded residual filter. */
export const multiPicklist: FieldTypeDef<'multi-picklist'> = {
  type: 'multi-picklist',
  valueSchema: (f) => ({
    type: 'array',
    items: { type: 'string', enum: activeValues(f.options) },
    uniqueItems: true,
    ...(f.maxSelected !== undefined ? { maxItems: f.maxSelected } : {}),
  }),
  normalize: (v, f) => {
    const chosen = new Set(v as string[]);
    return f.options.map((o) => o.value).filter((value) => chosen.has(value));
  },
  writable: true,
  operators: ['isBlank'],
  widget: 'multi-select',
};
