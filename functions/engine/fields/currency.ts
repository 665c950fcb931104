import { numericType } from './numeric';

/** Money: two decimal places unless the field says otherwise. */
export const currency = numericType('currency', 2, 'currency');
