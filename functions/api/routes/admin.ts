import { EngineError } from '../../engine/errors';
import type { Route } from '../http';
import { etag, ifMatchVersion, json } from '../http';
import { requireAdmin } from '../operations/adminAccess';
import { explainAccess } from '../operations/explain';
import { createTeam, createUser, listTeams, listUsers, updateTeam, updateUser } from '../operations/users';

function auditDay(raw: string | undefined, today: string): string {
  if (raw === undefined) return today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new EngineError('query.invalid', 'day must be YYYY-MM-DD', [{ path: '/day', code: 'format', message: 'must be YYYY-MM-DD' }]);
  return raw;
}

export const adminRoutes: Route[] = [
  { method: 'GET', path: '/api/users', group: 'admin', auth: true, summary: "The tenant's users", handle: async (req) => json(200, { items: await listUsers(req.services, req.user) }) },
  {
    method: 'POST',
    path: '/api/users',
    group: 'admin',
    auth: true,
    summary: 'Create a user (manageUsers)',
    handle: async (req) => {
      const user = await createUser(req.services, req.user, req.body);
      return json(201, user, { etag: etag(user.version ?? 1) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/users/{id}',
    group: 'admin',
    auth: true,
    summary: 'Change a user: name, roles, manager, password, active (manageUsers; If-Match)',
    handle: async (req) => {
      const user = await updateUser(req.services, req.user, req.params.id ?? '', ifMatchVersion(req.headers), req.body);
      return json(200, user, { etag: etag(user.version ?? 1) });
    },
  },
  { method: 'GET', path: '/api/teams', group: 'admin', auth: true, summary: "The tenant's teams", handle: async (req) => json(200, { items: await listTeams(req.services, req.user) }) },
  {
    method: 'POST',
    path: '/api/teams',
    group: 'admin',
    auth: true,
    summary: 'Create a team (manageUsers)',
    handle: async (req) => {
      const team = await createTeam(req.services, req.user, req.body);
      return json(201, team, { etag: etag(team.version) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/teams/{id}',
    group: 'admin',
    auth: true,
    summary: 'Rename a team or change its members (manageUsers; If-Match)',
    handle: async (req) => {
      const team = await updateTeam(req.services, req.user, req.params.id ?? '', ifMatchVersion(req.headers), req.body);
      return json(200, team, { etag: etag(team.version) });
    },
  },
  {
    method: 'GET',
    path: '/api/access/explain',
    group: 'admin',
    auth: true,
    summary: 'Why a user may or may not do something: ?user=&object=[&record=]',
    handle: async (req) => json(200, await explainAccess(req.services, req.user, req.query)),
  },
  {
    method: 'GET',
    path: '/api/audit',
    group: 'admin',
    auth: true,
    summary: 'Audit trail of one day, newest first: ?day=YYYY-MM-DD&limit= (manageUsers)',
    handle: async (req) => {
      await requireAdmin(req.services, req.user, 'manageUsers');
      const limit = req.query.limit ? Math.min(Math.max(Number(req.query.limit) || 0, 1), 500) : 100;
      const day = auditDay(req.query.day, req.services.now().toISOString().slice(0, 10));
      return json(200, { day, items: await req.services.audit.day(req.user.tenantId, day, limit) });
    },
  },
];
