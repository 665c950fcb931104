import { gzipSync } from 'node:zlib';
import type { Route } from '../http';
import { json } from '../http';
import { openApiDocument } from '../operations/openapi';

/**
 * The OpenAPI document, in its own function (`docs`): it compiles metadata and carries every
 * route's documentation (~60 KB minified), which no other group's 500 KiB budget has room for.
 */
export const openApiRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/openapi.json',
    group: 'docs',
    auth: true,
    summary: 'This OpenAPI 3.1 document: every route, and every object you may read with the fields you may see',
    handle: async (req) => {
      // Per caller (roles decide what it holds), so private to them; it changes with every publish.
      const response = json(200, await openApiDocument(req.services, req.user), { 'cache-control': 'private, no-cache', vary: 'accept-encoding' });
      // A tenant with twenty objects gets ~600 KB of JSON that gzips ~18×; HTTP APIs do not compress by themselves.
      if (!/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return response;
      return { ...response, headers: { ...response.headers, 'content-encoding': 'gzip' }, isBase64Encoded: true, body: gzipSync(String(response.body)).toString('base64') };
    },
  },
];
