import { numericType } from './numeric';

export const percent = numericType('percent', undefined, 'percent');
