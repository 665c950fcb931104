import type { AuthedRequest, Route } from '../http';
import { etag, json, noContent } from '../http';
import { linkRecords, linkedRecords, unlinkRecords } from '../operations/links';
import { recordSchema } from '../operations/recordSchema';

const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';
const links = '/api/objects/{object}/records/{id}/links/{junction}';

/** Many-to-many links through junction objects, and the record schema forms render (per record type). Part of the records group. */
export const relationshipRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/objects/{object}/schema',
    group: 'records',
    auth: true,
    summary: "The record schema for forms (?recordType=): that type's picklist values and layout, hidden fields left out",
    handle: async (req) => json(200, await recordSchema(req.services, req.user, param(req, 'object'), req.query.recordType)),
  },
  {
    method: 'GET',
    path: links,
    group: 'records',
    auth: true,
    summary: "Records linked through a junction object, from the other side, as you may see them (limit, cursor)",
    handle: async (req) => {
      const page = await linkedRecords(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'junction'), req.query);
      return json(200, { object: page.object, junction: page.junction, items: page.items, links: page.links, nextCursor: page.nextCursor, meta: { servedBy: page.servedBy } });
    },
  },
  {
    method: 'POST',
    path: links,
    group: 'records',
    auth: true,
    summary: 'Link this record to another through a junction object: {"to": id, "values": {…junction fields}}; a pair links once',
    handle: async (req) => {
      const record = await linkRecords(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'junction'), req.body);
      return json(201, record, { etag: etag(record.version), location: `/api/objects/${param(req, 'junction')}/records/${record.id}` });
    },
  },
  {
    method: 'DELETE',
    path: `${links}/{other}`,
    group: 'records',
    auth: true,
    summary: 'Remove the link between this record and another (its junction record is deleted)',
    handle: async (req) => {
      await unlinkRecords(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'junction'), param(req, 'other'));
      return noContent();
    },
  },
];
