import type { FieldTypeDef } from './FieldTypeDef';
import { rangeProblem } from './shared';

/** Long text: not indexable, not unique — lists filter on it only as a bounded residual filter. */
export const textarea: FieldTypeDef<'textarea'> = {
  type: 'textarea',
  valueSchema: (f) => ({
    type: 'string',
    maxLength: f.maxLength ?? 32000,
    ...(f.minLength !== undefined ? { minLength: f.minLength } : {}),
  }),
  check: (f, { path }) => rangeProblem(path, f.minLength, f.maxLength, 'minLength', 'maxLength'),
  writable: true,
  operators: ['isBlank'],
  widget: 'textarea',
};
