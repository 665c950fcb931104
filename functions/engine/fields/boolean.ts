import type { FieldTypeDef } from './FieldTypeDef';

export const boolean: FieldTypeDef<'boolean'> = {
  type: 'boolean',
  valueSchema: () => ({ type: 'boolean' }),
  indexKey: (v) => (v ? '1' : '0'),
  writable: true,
  operators: ['eq', 'ne', 'isBlank'],
  widget: 'switch',
};
