import type { AuthedRequest, Route } from '../http';
import { json } from '../http';
import { retryRuleRun, runsOfRule } from '../operations/automation';

const record = '/api/objects/{object}/records/{id}';
const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** Automation as administrators meet it (admin group): a rule's runs, retrying a failed run. */
export const ruleRoutes: Route[] = [
  {
    method: 'POST',
    path: `${record}/runs/{run}/retry`,
    group: 'admin',
    auth: true,
    summary: 'Retry a failed rule run from its failed action (manageMetadata)',
    handle: async (req) => json(200, await retryRuleRun(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'run'))),
  },
  {
    method: 'GET',
    path: '/api/rules/{rule}/runs',
    group: 'admin',
    auth: true,
    summary: "A rule's runs, newest first (manageMetadata)",
    handle: async (req) => json(200, await runsOfRule(req.services, req.user, param(req, 'rule'), req.query.cursor ?? null)),
  },
];
