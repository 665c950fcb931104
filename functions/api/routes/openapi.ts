import type { Route } from '../http';
import { json } from '../http';
import { openApiDocument } from '../operations/openapi';

/** The OpenAPI document: served by the metadata function, which already compiles the tenant's metadata. */
export const openApiRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/openapi.json',
    group: 'metadata',
    auth: true,
    summary: 'This OpenAPI 3.1 document: every route, and every object you may read with the fields you may see',
    // Per caller (roles decide what it holds), so private to them; it changes with every publish.
    handle: async (req) => json(200, await openApiDocument(req.services, req.user), { 'cache-control': 'private, no-cache' }),
  },
];
