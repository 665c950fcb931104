/*
 * The shape of a conversion request, apart from conversions.ts (which writes), so the
 * OpenAPI document can state it without pulling in the write path.
 */

const ID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'An existing record to attach' };
const NEW = { type: 'object', properties: { values: { type: 'object', additionalProperties: true, description: 'Values over the mapped ones' } }, additionalProperties: false, description: 'Create a record' };

/** `account`, `contact`: an id to attach, or `{values}` to create (the default); `opportunity`: `false` for none, or `{values}` (the default creates one). */
export const CONVERSION_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    account: { oneOf: [ID, NEW] },
    contact: { oneOf: [ID, NEW] },
    opportunity: { oneOf: [{ const: false }, NEW] },
  },
  additionalProperties: false,
};
