import { EngineError } from '../../engine/errors';
import type { Route } from '../http';
import { json } from '../http';
import { installTemplate, listGallery, uninstallTemplate, upgradeTemplate } from '../operations/templates';

function flag(body: unknown, name: string): boolean {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new EngineError('request.invalid', `${name} must be true or false`, [{ path: `/${name}`, code: 'type', message: 'must be boolean' }]);
  return value;
}

export const templateRoutes: Route[] = [
  { method: 'GET', path: '/api/templates', group: 'metadata', auth: true, summary: 'The template gallery, with what is installed', handle: async (req) => json(200, { items: await listGallery(req.services, req.user) }) },
  {
    method: 'POST',
    path: '/api/templates/{name}/install',
    group: 'metadata',
    auth: true,
    summary: 'Install a template into the draft (and publish: {"publish": true}) (manageTemplates)',
    handle: async (req) => json(200, await installTemplate(req.services, req.user, req.params.name ?? '', flag(req.body, 'publish'))),
  },
  {
    method: 'POST',
    path: '/api/templates/{name}/upgrade',
    group: 'metadata',
    auth: true,
    summary: 'Upgrade a template with a three-way merge that keeps the tenant’s changes and reports conflicts',
    handle: async (req) => json(200, await upgradeTemplate(req.services, req.user, req.params.name ?? '', flag(req.body, 'publish'))),
  },
  {
    method: 'POST',
    path: '/api/templates/{name}/uninstall',
    group: 'metadata',
    auth: true,
    summary: 'Uninstall a template; refused while its objects have records unless {"archive": true}',
    handle: async (req) => json(200, await uninstallTemplate(req.services, req.user, req.params.name ?? '', flag(req.body, 'archive'), flag(req.body, 'publish'))),
  },
];
