/**
 * What the OpenAPI document says about the workflow and approval routes (functions/api/routes/workflows.ts),
 * kept beside the main table in routeDocs.ts and merged into it.
 */
import type { RouteDoc } from './routeDocs';

const ID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'A ULID' };
const LABELS = { type: 'object', properties: { en: { type: 'string' }, 'zh-CN': { type: 'string' } } };
const COMMENT = { type: 'string', maxLength: 2000 };

const REASON = {
  type: 'object',
  properties: {
    code: { type: 'string', enum: ['access', 'notFromState', 'automatic', 'role', 'locked', 'guard', 'requiredFields'] },
    message: { type: 'string' },
    messages: { ...LABELS, description: "A guard's own message in the tenant's languages" },
    fields: { type: 'array', items: { type: 'string' }, description: 'Required fields still blank' },
  },
  required: ['code', 'message'],
};

const TRANSITIONS = {
  type: 'object',
  properties: {
    workflow: { type: ['string', 'null'] },
    field: { type: ['string', 'null'] },
    state: { type: ['string', 'null'] },
    category: { type: ['string', 'null'], enum: ['open', 'won', 'lost', 'closed', null] },
    enteredAt: { type: ['string', 'null'], format: 'date-time' },
    approval: { type: ['object', 'null'], properties: { request: ID, process: { type: 'string' }, locked: { type: 'boolean' } } },
    transitions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, label: LABELS, from: { type: 'array', items: { type: 'string' } }, to: { type: 'string' }, available: { type: 'boolean' }, reasons: { type: 'array', items: REASON } },
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
    via: { type: 'string', description: '`user`, `role:<name>`, `manager:<level>` or `delegate:<user>`' },
    decision: { type: 'string', enum: ['approved', 'rejected', 'delegated'] },
    at: { type: 'string', format: 'date-time' },
    comment: { type: 'string' },
    delegatedTo: ID,
  },
  required: ['user', 'via'],
};

const REQUEST = {
  type: 'object',
  properties: {
    id: ID,
    process: { type: 'string' },
    object: { type: 'string' },
    recordId: ID,
    recordName: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'recalled'] },
    submittedBy: ID,
    submittedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    step: { type: ['integer', 'null'], description: 'Index of the step waiting for decisions' },
    steps: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, mode: { type: 'string', enum: ['all', 'first'] }, status: { type: 'string', enum: ['waiting', 'pending', 'approved', 'rejected', 'skipped'] }, approvers: { type: 'array', items: APPROVER } }, required: ['name', 'mode', 'status', 'approvers'] },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, by: ID, action: { type: 'string', enum: ['submitted', 'approved', 'rejected', 'returned', 'recalled', 'delegated'] }, step: { type: 'string' }, comment: { type: 'string' }, to: { type: 'string' } },
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
    process: { type: 'string' },
    object: { type: 'string' },
    recordId: ID,
    recordName: { type: ['string', 'null'] },
    step: { type: 'string' },
    submittedBy: ID,
    submittedAt: { type: 'string', format: 'date-time' },
    via: { type: 'string' },
    since: { type: 'string', format: 'date-time' },
  },
  required: ['request', 'process', 'object', 'recordId', 'step', 'submittedBy', 'since'],
};

const FUNNEL = {
  type: 'object',
  properties: {
    workflow: { type: 'string' },
    field: { type: 'string' },
    amountField: { type: ['string', 'null'] },
    from: { type: 'string' },
    to: { type: 'string' },
    records: { type: 'integer' },
    changes: { type: 'integer' },
    complete: { type: 'boolean', description: 'False when more than 10,000 records or state changes matched' },
    states: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          state: { type: 'string' },
          category: { type: 'string', enum: ['open', 'won', 'lost', 'closed'] },
          probability: { type: ['number', 'null'] },
          color: { type: ['string', 'null'] },
          count: { type: 'integer', description: 'Records in the state now' },
          amount: { type: ['number', 'null'] },
          entered: { type: 'integer', description: 'Records that entered the state in the period' },
          enteredAmount: { type: ['number', 'null'] },
          advanced: { type: 'integer', description: 'Of those, records that went on to a later open or won state in the period' },
          conversion: { type: ['number', 'null'], description: 'advanced / entered' },
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
    description: 'Each unavailable transition lists every reason: not from this state, a role that may not, manual-only, the approval lock, a failing guard (with its message), required fields still blank, or no update access. An object without a workflow answers `workflow: null` and no transitions.',
    ok: { status: 200, description: 'State and transitions', body: TRANSITIONS },
    errors: [404],
    needs: 'read',
  },
  'POST /api/objects/{object}/records/{id}/transitions/{name}': {
    summary: 'Make a transition, with the values it needs and a comment (If-Match: the record version, optional)',
    auth: true,
    tag: 'workflows',
    operationId: 'makeTransition',
    description: 'One write: the state field, the values sent (required fields a form asked for) and the transition’s setField and assign actions, with validation rules, in history under the transition’s name. 409 `workflow.transitionDenied` with every reason when it is not possible now; 403 for a role that may not; 412 when If-Match names another version.',
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
    description: 'To the named process, or the first whose entry conditions hold. The record is locked against edits until the request is decided or recalled. 409 `approval.notAllowed` when no process applies, the record is already pending, or a step has nobody to approve it.',
    ifMatch: 'optional',
    body: { type: 'object', properties: { process: { type: 'string' }, comment: COMMENT }, additionalProperties: false },
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
      { name: 'cursor', description: 'Opaque, from `nextCursor` of the previous page', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Waiting requests', body: { type: 'object', properties: { items: { type: 'array', items: WORK_ITEM }, nextCursor: { type: ['string', 'null'] } }, required: ['items'] } },
    errors: [400],
  },
  'GET /api/objects/{object}/funnel': {
    summary: "The workflow's funnel: records and amounts per state now, and entries, conversion and average time in each state over a period (from, to)",
    auth: true,
    tag: 'workflows',
    operationId: 'funnel',
    query: [
      { name: 'from', description: 'Start of the period: a date or UTC instant (default: 365 days before `to`)', schema: { type: 'string' } },
      { name: 'to', description: 'End of the period, inclusive: a date or UTC instant (default: now)', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Funnel figures per state, in the workflow’s order', body: FUNNEL },
    errors: [400, 404],
    needs: 'read',
  },
};
