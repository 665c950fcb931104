import type { AuthedRequest, Route } from '../http';
import { json } from '../http';
import { exportCsv } from '../operations/exportCsv';
import { searchByName } from '../operations/search';

const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** Data operations beside the record routes: export and search (import and backup join them). Their own function keeps the records bundle small. */
export const dataRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/objects/{object}/export',
    group: 'data',
    auth: true,
    summary: 'The list as CSV as you may see it (filters as for lists; header=labels|api); needs exportData',
    handle: async (req) => {
      const object = param(req, 'object');
      const { csv, rows, truncated } = await exportCsv(req.services, req.user, object, req.query, req.locale);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${object}.csv"`,
          'x-tessera-rows': String(rows),
          'x-tessera-truncated': String(truncated),
        },
        body: csv,
      };
    },
  },
  {
    method: 'GET',
    path: '/api/search',
    group: 'data',
    auth: true,
    summary: 'Name-prefix search across the objects you may read: q, objects (comma-separated), limit per object',
    handle: async (req) => json(200, await searchByName(req.services, req.user, req.query)),
  },
];
