/**
 * What the OpenAPI document says about converting a record (functions/api/routes/records.ts),
 * kept beside the main table in routeDocs.ts and merged into it.
 */
import { CONVERSION_REQUEST_SCHEMA } from '../operations/conversionRequest';
import type { RouteDoc } from './routeDocs';

const RECORD = { type: 'object', additionalProperties: true, description: 'A record as the caller may see it' };

export const CONVERSION_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'POST /api/objects/{object}/records/{id}/convert': {
    summary: 'Convert the record (a lead) into an account, a contact and optionally an opportunity, new or existing, in one transaction (If-Match: the record version, optional)',
    auth: true,
    tag: 'records',
    operationId: 'convertRecord',
    description:
      'The object’s conversion (metadata kind `conversions`) names the targets and maps the record’s fields onto them. `account` and `contact`: an existing record’s id to attach, or `{"values": {…}}` to create one with these values over the mapped ones (the default). `opportunity`: `false` for none, or `{"values": {…}}` (the default creates one). Every new record goes through the write pipeline (validation, before-save rules, assignment, duplicate rules); all commit with the record marked converted in one transaction, and the record is read-only afterwards. 403 when the caller may not create a target; 409 `record.converted` when it already is; 422 with every problem, keyed by record: `/account/name`, `/contact/email`, `/opportunity/close_date`, `/source/…` — nothing written.',
    ifMatch: 'optional',
    body: CONVERSION_REQUEST_SCHEMA,
    bodyOptional: true,
    ok: {
      status: 201,
      description: 'The converted record and the records it became',
      body: {
        type: 'object',
        properties: {
          source: RECORD,
          account: RECORD,
          contact: RECORD,
          opportunity: { anyOf: [RECORD, { type: 'null' }] },
          created: { type: 'object', properties: { account: { type: 'boolean' }, contact: { type: 'boolean' }, opportunity: { type: 'boolean' } }, required: ['account', 'contact', 'opportunity'] },
        },
        required: ['source', 'account', 'contact', 'opportunity', 'created'],
      },
    },
    errors: [400, 403, 404, 409, 412, 422],
    needs: 'update',
  },
};
