import { numericType } from './numeric';

export const number = numericType('number', undefined, 'number');
