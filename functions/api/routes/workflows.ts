import { EngineError } from '../../engine/errors';
import type { AuthedRequest, Route } from '../http';
import { etag, ifMatchVersion, json } from '../http';
import { approvalInbox, approvalsOfRecord, decideApproval, submitForApproval } from '../operations/approvals';
import type { Decide } from '../operations/approvals';
import { funnel } from '../operations/funnel';
import { listTransitions, performTransition } from '../operations/transitions';

const record = '/api/objects/{object}/records/{id}';
const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 200) throw new EngineError('query.invalid', 'limit must be an integer from 1 to 200', [{ path: '/limit', code: 'range', message: 'must be 1 to 200', params: { max: 200 } }]);
  return n;
}

const decision = (name: Decide, summary: string): Route => ({
  method: 'POST',
  path: `${record}/approvals/{request}/${name}`,
  group: 'records',
  auth: true,
  summary,
  handle: async (req) => json(200, await decideApproval(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'request'), name, req.body)),
});

/** Workflows and approvals as staff meet them (records group): transitions, approvals, the inbox, the funnel. */
export const workflowRoutes: Route[] = [
  {
    method: 'GET',
    path: `${record}/transitions`,
    group: 'records',
    auth: true,
    summary: "The record's state and every transition of its workflow: available now, or why not",
    handle: async (req) => json(200, await listTransitions(req.services, req.user, param(req, 'object'), param(req, 'id'))),
  },
  {
    method: 'POST',
    path: `${record}/transitions/{name}`,
    group: 'records',
    auth: true,
    summary: 'Make a transition, with the values it needs and a comment (If-Match: the record version, optional)',
    handle: async (req) => {
      const saved = await performTransition(req.services, req.user, param(req, 'object'), param(req, 'id'), param(req, 'name'), ifMatchVersion(req.headers), req.body);
      return json(200, saved, { etag: etag(saved.version) });
    },
  },
  {
    method: 'GET',
    path: `${record}/approvals`,
    group: 'records',
    auth: true,
    summary: "The record's approval requests, newest first, with steps, decisions and comments",
    handle: async (req) => json(200, await approvalsOfRecord(req.services, req.user, param(req, 'object'), param(req, 'id'))),
  },
  {
    method: 'POST',
    path: `${record}/approvals`,
    group: 'records',
    auth: true,
    summary: 'Submit the record for approval: {"process"?, "comment"?} (If-Match: the record version, optional)',
    handle: async (req) => json(201, await submitForApproval(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers), req.body)),
  },
  decision('approve', 'Approve a request waiting for you: {"comment"?}'),
  decision('reject', 'Reject a request waiting for you: {"comment"?, "backTo"?: an earlier step or "submitter"}'),
  decision('delegate', 'Hand your decision on a request to another user: {"to", "comment"?}'),
  decision('recall', 'Recall your pending request (the submitter, or an administrator): {"comment"?}'),
  {
    method: 'GET',
    path: '/api/approvals/inbox',
    group: 'records',
    auth: true,
    summary: 'Approval requests waiting for your decision, oldest first',
    handle: async (req) => json(200, await approvalInbox(req.services, req.user, pageSize(req.query.limit), req.query.cursor ?? null)),
  },
  {
    method: 'GET',
    path: '/api/objects/{object}/funnel',
    group: 'records',
    auth: true,
    summary: "The workflow's funnel: records and amounts per state now, and entries, conversion and average time in each state over a period (from, to)",
    handle: async (req) => json(200, await funnel(req.services, req.user, param(req, 'object'), req.query)),
  },
];
