import type { Route } from '../http';
import { json } from '../http';
import { login } from '../operations/auth';

export const systemRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/health',
    group: 'system',
    auth: false,
    summary: 'Liveness of the API',
    handle: async () => json(200, { status: 'ok' }, { 'cache-control': 'no-store' }),
  },
  {
    method: 'POST',
    path: '/auth/login',
    group: 'auth',
    auth: false,
    summary: 'Sign in with the local identity provider',
    handle: async (req) => json(200, await login(req.services, req.body), { 'cache-control': 'no-store' }),
  },
  {
    method: 'GET',
    path: '/api/me',
    group: 'auth',
    auth: true,
    summary: 'The signed-in user',
    handle: async (req) => {
      const [user, tenant] = await Promise.all([req.services.identity.user(req.user.tenantId, req.user.userId), req.services.identity.tenant(req.user.tenantId)]);
      return json(200, { ...req.user, name: user?.name ?? null, tenantName: tenant?.name ?? req.user.tenantId, locale: req.locale });
    },
  },
];
