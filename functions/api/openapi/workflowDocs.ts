/**
 * What the OpenAPI document says about the workflow and approval routes (functions/api/routes/workflows.ts),
 * kept beside the main table in routeDocs.ts and merged into it.
 */
import type { RouteDoc } from './routeDocs';

const STR = { type: 'string' };
const STR_OR_NULL = { type: ['string', 'null'] };
const AT = { type: 'string', format: 'date-time' };
const ID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'A ULID' };
const LABELS = { type: 'object', properties: { en: STR, 'zh-CN': STR } };
const COMMENT = { type: 'string', maxLength: 2000 };

const REASON = {
  type: 'object',
  properties: {
    code: { type: 'string', enum: ['access', 'notFromState', 'automatic', 'role', 'locked', 'guard', 'requiredFields'] },
    message: STR,
    messages: LABELS,
    fields: { type: 'array', items: STR },
  },
  required: ['code', 'message'],
};

const TRANSITIONS = {
  type: 'object',
  properties: {
    workflow: STR_OR_NULL,
    field: STR_OR_NULL,
    state: STR_OR_NULL,
    category: { type: ['string', 'null'], enum: ['open', 'won', 'lost', 'closed', null] },
    enteredAt: { type: ['string', 'null'], format: 'date-time' },
    approval: { type: ['object', 'null'], properties: { request: ID, process: STR, locked: { type: 'boolean' } } },
    transitions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: STR, label: LABELS, from: { type: 'array', items: STR }, to: STR, available: { type: 'boolean' }, reasons: { type: 'array', items: REASON } },
        required: ['name', 'from', 'to', 'available', 'reasons'],
      },
    },
  },
  required: ['workflow', 'transitions'],
};

const APPROVER = {
  type: 'object',
  properties: {
    user: ID,
    via: STR,
    decision: { type: 'string', enum: ['approved', 'rejected', 'delegated'] },
    at: AT,
    comment: STR,
    delegatedTo: ID,
  },
  required: ['user', 'via'],
};

const REQUEST = {
  type: 'object',
  properties: {
    id: ID,
    process: STR,
    object: STR,
    recordId: ID,
    recordName: STR_OR_NULL,
    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'recalled'] },
    submittedBy: ID,
    submittedAt: AT,
    updatedAt: AT,
    step: { type: ['integer', 'null'] },
    steps: {
      type: 'array',
      items: { type: 'object', properties: { name: STR, mode: { type: 'string', enum: ['all', 'first'] }, status: { type: 'string', enum: ['waiting', 'pending', 'approved', 'rejected', 'skipped'] }, approvers: { type: 'array', items: APPROVER } }, required: ['name', 'mode', 'status', 'approvers'] },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: AT, by: ID, action: { type: 'string', enum: ['submitted', 'approved', 'rejected', 'returned', 'recalled', 'delegated'] }, step: STR, comment: STR, to: STR },
        required: ['at', 'by', 'action'],
      },
    },
  },
  required: ['id', 'process', 'object', 'recordId', 'status', 'submittedBy', 'submittedAt', 'steps', 'events'],
};

const WORK_ITEM = {
  type: 'object',
  properties: {
    request: ID,
    process: STR,
    object: STR,
    recordId: ID,
    recordName: STR_OR_NULL,
    step: STR,
    submittedBy: ID,
    submittedAt: AT,
    via: STR,
    since: AT,
  },
  required: ['request', 'process', 'object', 'recordId', 'step', 'submittedBy', 'since'],
};

const FUNNEL = {
  type: 'object',
  properties: {
    workflow: STR,
    field: STR,
    amountField: STR_OR_NULL,
    from: STR,
    to: STR,
    records: { type: 'integer' },
    changes: { type: 'integer' },
    complete: { type: 'boolean' },
    states: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          state: STR,
          category: { type: 'string', enum: ['open', 'won', 'lost', 'closed'] },
          probability: { type: ['number', 'null'] },
          color: STR_OR_NULL,
          count: { type: 'integer' },
          amount: { type: ['number', 'null'] },
          entered: { type: 'integer' },
          enteredAmount: { type: ['number', 'null'] },
          advanced: { type: 'integer' },
          conversion: { type: ['number', 'null'] },
          exits: { type: 'integer' },
          averageHoursInState: { type: ['number', 'null'] },
        },
        required: ['state', 'category', 'count', 'entered', 'advanced', 'conversion', 'exits', 'averageHoursInState'],
      },
    },
  },
  required: ['workflow', 'field', 'from', 'to', 'states', 'complete'],
};

const decision = (name: string, summary: string, body: Record<string, unknown>, required: string[] = []): RouteDoc => ({
  summary,
  auth: true,
  tag: 'workflows',
  operationId: `${name}Approval`,
  body: { type: 'object', properties: body, ...(required.length ? { required } : {}), additionalProperties: false },
  bodyOptional: required.length === 0,
  ok: { status: 200, description: 'The request after the decision', body: REQUEST },
  errors: [400, 403, 404, 409, 422],
  needs: 'read',
});

export const WORKFLOW_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /api/objects/{object}/records/{id}/transitions': {
    summary: "The record's state and every transition of its workflow: available now, or why not",
    auth: true,
    tag: 'workflows',
    operationId: 'listTransitions',
    description: 'Every reason an unavailable transition has (state, role, manual-only, lock, guard, required fields, access). Without a workflow: `workflow: null`.',
    ok: { status: 200, description: 'State and transitions', body: TRANSITIONS },
    errors: [404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records/{id}/transitions/{name}': {
    summary: 'Make a transition, with the values it needs and a comment (If-Match: the record version, optional)',
    auth: true,
    tag: 'workflows',
    operationId: 'makeTransition',
    description: 'One write, in history under the transition’s name. 409 `workflow.transitionDenied` with every reason; 403 for a role that may not.',
    ifMatch: 'optional',
    body: { type: 'object', properties: { values: { type: 'object', additionalProperties: true, description: 'Fields written with the transition' }, comment: COMMENT }, additionalProperties: false },
    bodyOptional: true,
    ok: { status: 200, description: 'The record after the transition', body: { object: 'record' }, etag: true },
    errors: [400, 403, 404, 409, 412, 422],
    needs: 'update',
  },
  'GET /api/objects/{object}/records/{id}/approvals': {
    summary: "The record's approval requests, newest first, with steps, decisions and comments",
    auth: true,
    tag: 'workflows',
    operationId: 'recordApprovals',
    ok: { status: 200, description: 'Requests, newest first', body: { type: 'object', properties: { items: { type: 'array', items: REQUEST } }, required: ['items'] } },
    errors: [404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records/{id}/approvals': {
    summary: 'Submit the record for approval: {"process"?, "comment"?} (If-Match: the record version, optional)',
    auth: true,
    tag: 'workflows',
    operationId: 'submitForApproval',
    description: 'To the named process or the first whose entry conditions hold; the record is locked until it is decided or recalled.',
    ifMatch: 'optional',
    body: { type: 'object', properties: { process: STR, comment: COMMENT }, additionalProperties: false },
    bodyOptional: true,
    ok: { status: 201, description: 'The request, at its first step', body: REQUEST },
    errors: [400, 403, 404, 409, 412, 422],
    needs: 'update',
  },
  'POST /api/objects/{object}/records/{id}/approvals/{request}/approve': decision('approve', 'Approve a request waiting for you: {"comment"?}', { comment: COMMENT }),
  'POST /api/objects/{object}/records/{id}/approvals/{request}/reject': decision('reject', 'Reject a request waiting for you: {"comment"?, "backTo"?: an earlier step or "submitter"}', { comment: COMMENT, backTo: { type: 'string', description: 'An earlier step to ask again, or `submitter` (the default: the request is rejected)' } }),
  'POST /api/objects/{object}/records/{id}/approvals/{request}/delegate': decision('delegate', 'Hand your decision on a request to another user: {"to", "comment"?}', { to: { type: 'string', description: 'A user id or e-mail' }, comment: COMMENT }, ['to']),
  'POST /api/objects/{object}/records/{id}/approvals/{request}/recall': decision('recall', 'Recall your pending request (the submitter, or an administrator): {"comment"?}', { comment: COMMENT }),
  'GET /api/approvals/inbox': {
    summary: 'Approval requests waiting for your decision, oldest first',
    auth: true,
    tag: 'workflows',
    operationId: 'approvalInbox',
    query: [
      { name: 'limit', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'cursor', description: 'Opaque, from `nextCursor` of the previous page', schema: STR },
    ],
    ok: { status: 200, description: 'Waiting requests', body: { type: 'object', properties: { items: { type: 'array', items: WORK_ITEM }, nextCursor: STR_OR_NULL }, required: ['items'] } },
    errors: [400],
  },
  'GET /api/objects/{object}/funnel': {
    summary: "The workflow's funnel: records and amounts per state now, and entries, conversion and average time in each state over a period (from, to)",
    auth: true,
    tag: 'workflows',
    operationId: 'funnel',
    query: [
      { name: 'from', description: 'Start of the period: a date or UTC instant (default: 365 days before `to`)', schema: STR },
      { name: 'to', description: 'End of the period, inclusive: a date or UTC instant (default: now)', schema: STR },
    ],
    ok: { status: 200, description: 'Funnel figures per state, in the workflow’s order', body: FUNNEL },
    errors: [400, 404],
    needs: 'read',
  },
};
