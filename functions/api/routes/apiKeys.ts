import type { Route } from '../http';
import { json } from '../http';
import { createApiKey, listApiKeys, revokeApiKey } from '../operations/apiKeys';

/** Integration API keys (manageUsers). They are served by the admin function, beside users and teams. */
export const apiKeyRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/api-keys',
    group: 'admin',
    auth: true,
    summary: "The tenant's API keys, without their secrets (manageUsers)",
    handle: async (req) => json(200, { items: await listApiKeys(req.services, req.user) }),
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    group: 'admin',
    auth: true,
    summary: 'Create an API key acting with one role until it expires; the key is in this answer only (manageUsers)',
    handle: async (req) => json(201, await createApiKey(req.services, req.user, req.body), { 'cache-control': 'no-store' }),
  },
  {
    method: 'POST',
    path: '/api/api-keys/{id}/revoke',
    group: 'admin',
    auth: true,
    summary: 'Revoke an API key at once; it stays listed as revoked (manageUsers)',
    handle: async (req) => json(200, await revokeApiKey(req.services, req.user, req.params.id ?? '')),
  },
];
