import { EngineError } from '../../engine/errors';
import type { AuthedRequest, Route } from '../http';
import { etag, ifMatchVersion, json, noContent } from '../http';
import { relationshipRoutes } from './relationships';
import { convertRecord } from '../operations/conversions';
import { aggregateRecords } from '../operations/aggregate';
import { createRecord, deleteRecord, getRecord, listRecords, patchRecord, recordHistory, relatedRecords } from '../operations/records';

const base = '/api/objects/{object}/records';
const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

function historyLimit(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 200) throw new EngineError('query.invalid', 'limit must be an integer from 1 to 200', [{ path: '/limit', code: 'range', message: 'must be 1 to 200', params: { max: 200 } }]);
  return n;
}

export const recordRoutes: Route[] = [
  {
    method: 'POST',
    path: `${base}/{id}/convert`,
    group: 'records',
    auth: true,
    summary: 'Convert the record (a lead) into an account, a contact and optionally an opportunity, new or existing, in one transaction (If-Match: the record version, optional)',
    handle: async (req) => json(201, await convertRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers), req.body)),
  },
  {
    method: 'GET',
    path: '/api/objects/{object}/aggregate',
    group: 'records',
    auth: true,
    summary: 'Count, sum, average, minimum and maximum grouped by one or two fields (dates per day, week, month, quarter or year): groupBy, sum, avg, min, max, filter[…]',
    handle: async (req) => json(200, await aggregateRecords(req.services, req.user, param(req, 'object'), req.query)),
  },
  {
    method: 'GET',
    path: `${base}/{id}/related/{relation}`,
    group: 'records',
    auth: true,
    summary: 'Records that look up to this one: relation is <object> or <object>.<field>; same filters, sort and cursor as lists',
    handle: async (req) => {
      const page = await relatedRecords(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'relation'), req.query);
      return json(200, {
        object: page.object,
        field: page.field,
        items: page.records,
        nextCursor: page.nextCursor,
        meta: { servedBy: page.servedBy, examined: page.examined, residualFilters: page.residualFilters },
      });
    },
  },
  {
    method: 'GET',
    path: base,
    group: 'records',
    auth: true,
    summary: 'List records: filter[field][op]=value, sort=-field, limit, cursor',
    handle: async (req) => {
      const page = await listRecords(req.services, req.user, param(req, 'object'), req.query);
      return json(200, {
        items: page.records,
        nextCursor: page.nextCursor,
        meta: { servedBy: page.servedBy, examined: page.examined, residualFilters: page.residualFilters },
      });
    },
  },
  {
    method: 'POST',
    path: base,
    group: 'records',
    auth: true,
    summary: 'Create a record',
    handle: async (req) => {
      const record = await createRecord(req.services, req.user, param(req, 'object'), req.body);
      return json(201, record, { etag: etag(record.version), location: `/api/objects/${param(req, 'object')}/records/${record.id}` });
    },
  },
  {
    method: 'GET',
    path: `${base}/{id}`,
    group: 'records',
    auth: true,
    summary: 'Get a record',
    handle: async (req) => {
      const record = await getRecord(req.services, req.user, param(req, 'object'), param(req, 'id'));
      return json(200, record, { etag: etag(record.version) });
    },
  },
  {
    method: 'PATCH',
    path: `${base}/{id}`,
    group: 'records',
    auth: true,
    summary: 'Change fields of a record (If-Match: version required)',
    handle: async (req) => {
      const record = await patchRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers), req.body);
      return json(200, record, { etag: etag(record.version) });
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{id}`,
    group: 'records',
    auth: true,
    summary: 'Delete a record (If-Match: version honoured when sent)',
    handle: async (req) => {
      await deleteRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers));
      return noContent();
    },
  },
  {
    method: 'GET',
    path: `${base}/{id}/history`,
    group: 'records',
    auth: true,
    summary: "A record's history, newest first",
    handle: async (req) => {
      const page = await recordHistory(req.services, req.user, param(req, 'object'), param(req, 'id'), historyLimit(req.query.limit), req.query.cursor ?? null);
      return json(200, { items: page.entries, nextCursor: page.nextCursor });
    },
  },
  ...relationshipRoutes,
];
