import { EngineError } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { ApprovalProcessDef, AutomationActionDef } from '../../engine/metadata/types';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { StoredRecord } from '../../engine/records/types';
import { factsOf, holds } from '../../engine/rules/conditions';
import { approvalActions, approvalProcessesOf, approvalRuleName } from '../../engine/workflows/compileWorkflow';
import type { ApprovalEvent } from '../../engine/workflows/compileWorkflow';
import { approveRequest, delegateRequest, recallRequest, rejectRequest, submitRequest } from '../../engine/workflows/approvalRequest';
import type { AdvanceContext, ApprovalRequest } from '../../engine/workflows/approvalRequest';
import { WorkflowStore, requestItem, workItem } from '../../store/workflowStore';
import type { WorkItem } from '../../store/workflowStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { directory } from './directory';
import { assertCurrentVersion, checkIfMatch } from './ifMatch';
import type { Target } from './records';
import { guarded, reachable, saveContext, target } from './records';
import { saveUpdate } from './save';
import type { SaveContext, WorkflowSave } from './save';
import { prepareTransition } from './transitionWrite';

/*
 * Approvals: submit a record to an approval process, decide (approve, reject back to an
 * earlier step or to the submitter, delegate), recall, see a record's requests and your own
 * inbox. Every one of these is one write of the record through the pipeline: the request
 * and its approvers' work items are items of that write, the lock is a mark on the record,
 * and an outcome's setField, assign and transition actions change the record in the same
 * transaction (its other actions run after save, from the stream). The record's version
 * condition serialises concurrent decisions: a decision that lost the race is made again on
 * the request as the winner left it.
 */

const storeOf = (services: Services) => new WorkflowStore(services.doc, services.tableName);
const isAdmin = (user: UserContext) => user.roles.includes(BUILT_IN_ADMIN);
const denied = (code: string, message: string, params?: Record<string, unknown>) => new EngineError('approval.notAllowed', message, [{ path: '', code, message, ...(params ? { params } : {}) }]);
const noRequest = (id: string) => new EngineError('record.notFound', `There is no approval request ${id} on this record`, [], { request: id });

/** How many times a decision is made again when another one committed first. */
const RETRIES = 6;

interface Body {
  readonly comment?: string;
  readonly process?: string;
  readonly backTo?: string;
  readonly to?: string;
}

function parseBody(raw: unknown, allowed: readonly (keyof Body)[], required: readonly (keyof Body)[] = []): Body {
  const body = (raw ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  if (typeof body !== 'object' || Array.isArray(body)) throw new EngineError('request.invalid', 'The body is an object', [{ path: '', code: 'type', message: 'must be an object' }]);
  for (const key of Object.keys(body)) {
    if (!(allowed as readonly string[]).includes(key)) problems.push({ path: `/${key}`, code: 'unknownProperty', message: `"${key}" is not expected here (${allowed.join(', ')})` });
    else if (typeof body[key] !== 'string' || (body[key] as string).length > 2000) problems.push({ path: `/${key}`, code: 'type', message: `${key} is text of at most 2,000 characters` });
  }
  for (const key of required) if (body[key] === undefined) problems.push({ path: `/${key}`, code: 'required', message: `${key} is required`, params: { field: key } });
  if (problems.length) throw new EngineError('request.invalid', 'The approval request is not valid', problems);
  return body as Body;
}

/** Facts of the record for entry and step conditions, as the acting user sees them. */
function recordFacts(ctx: SaveContext, record: StoredRecord) {
  const values = { ...record.values, owner: record.owner };
  return factsOf({ values, previous: values, user: { id: ctx.actor.userId, roles: ctx.actor.roles }, event: 'updated', now: ctx.services.now(), timeZone: ctx.bundle.bundle.settings?.businessHours?.timeZone });
}

async function advanceContext(ctx: SaveContext, record: StoredRecord): Promise<AdvanceContext> {
  const dir = await directory(ctx.services, ctx.actor.tenantId);
  const facts = recordFacts(ctx, record);
  const access = (roles: readonly string[]) => ctx.bundle.access(roles).object(ctx.object.name);
  return {
    users: dir.users.map((u) => ({ id: u.id, email: u.email, roles: u.roles, active: u.active, ...(u.manager ? { manager: u.manager } : {}) })),
    // An approver reads what they approve.
    eligible: (u) => access(u.roles).can.read,
    applies: (step) => holds(step.conditions, facts),
  };
}

/** The work items a change of the request puts: new waiting approvers into inboxes, those no longer waited for out of them. */
function workItems(tenant: string, before: ApprovalRequest | null, after: ApprovalRequest, at: string): Array<Record<string, unknown>> {
  const waitingFor = (r: ApprovalRequest | null) => {
    const out = new Map<string, { step: number; via: string }>();
    if (!r || r.status !== 'pending' || r.step === null) return out;
    for (const a of r.steps[r.step]!.approvers) if (a.decision === undefined) out.set(a.user, { step: r.step, via: a.via });
    return out;
  };
  const was = waitingFor(before);
  const now = waitingFor(after);
  const item = (user: string, step: number, via: string): WorkItem => ({
    request: after.id,
    process: after.process,
    object: after.object,
    recordId: after.recordId,
    recordName: after.recordName,
    step: after.steps[step]!.name,
    submittedBy: after.submittedBy,
    submittedAt: after.submittedAt,
    via,
    since: at,
  });
  const items = new Map<string, Record<string, unknown>>();
  for (const [user, w] of was) if (now.get(user)?.step !== w.step) items.set(user, workItem(tenant, user, item(user, w.step, w.via), false));
  for (const [user, w] of now) if (was.get(user)?.step !== w.step) items.set(user, workItem(tenant, user, item(user, w.step, w.via), true));
  return [...items.values()];
}

/** The write of an approval step: the request, work items, lock mark, history note, and the outcome's actions. */
async function approvalWrite(
  ctx: SaveContext,
  record: StoredRecord,
  process: ApprovalProcessDef,
  before: ApprovalRequest | null,
  after: ApprovalRequest,
  action: string,
  comment: string | undefined,
): Promise<{ input: Record<string, unknown>; workflow: WorkflowSave }> {
  const at = ctx.services.now().toISOString();
  const outcome: ApprovalEvent | null = before === null ? 'submitted' : after.status === 'pending' ? null : after.status;
  let input: Record<string, unknown> = {};
  const actions: AutomationActionDef[] = [];
  const afterRules: string[] = [];
  let transition: WorkflowSave['transition'];
  if (outcome) {
    const split = approvalActions(process, outcome);
    for (const a of split.inWrite) {
      if (a.type !== 'transition') {
        actions.push(a);
        continue;
      }
      // The approval's own transition passes the lock it holds; guards and required fields still apply.
      const prepared = await prepareTransition(ctx, record, a.transition, { mode: 'system', locked: false });
      input = { ...input, ...prepared.input };
      transition = prepared.write.transition;
      actions.push(...(prepared.write.actions ?? []));
      afterRules.push(...(prepared.write.after ?? []));
    }
    if (split.after.length) afterRules.push(approvalRuleName(process.name, outcome));
  }
  const step = before?.step ?? after.step;
  return {
    input,
    workflow: {
      ...(transition ? { transition } : {}),
      approval: {
        request: after.id,
        mark: after.status === 'pending' ? { request: after.id, process: process.name, lock: process.lock !== false } : null,
        event: { request: after.id, process: process.name, action, ...(step !== null && step !== undefined ? { step: after.steps[step]!.name } : {}), ...(comment ? { comment } : {}), ...(outcome && outcome !== 'submitted' ? { outcome } : {}) },
      },
      ...(afterRules.length ? { after: afterRules } : {}),
      ...(actions.length ? { actions, actionsRule: approvalRuleName(process.name, outcome ?? 'submitted') } : {}),
      items: [requestItem(ctx.actor.tenantId, after), ...workItems(ctx.actor.tenantId, before, after, at)],
      force: true,
    },
  };
}

/** Whether the caller may update this record (permission and reach). */
const mayUpdate = (t: Target, record: StoredRecord, owners: string[] | null) => t.access.can.update && (t.access.updateAll || owners === null || owners.includes(record.owner));

/**
 * Submits a record for approval: to the named process or the first whose entry conditions
 * hold. The record is locked from this write on; its first applicable step's approvers find
 * it in their inboxes.
 */
export async function submitForApproval(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, raw: unknown): Promise<ApprovalRequest> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, false, 'record');
  const body = parseBody(raw, ['process', 'comment']);
  const ctx = saveContext(services, user, t);
  const processes = approvalProcessesOf(t.bundle.bundle, t.object.name);
  if (body.process !== undefined && !processes.some((p) => p.name === body.process)) throw new EngineError('route.notFound', `${t.object.name} has no approval process "${body.process}"`, [], { process: body.process });
  if (processes.length === 0) throw new EngineError('route.notFound', `${t.object.name} has no approval process`, [], { object: t.object.name });
  for (let attempt = 0; ; attempt++) {
    const { record, owners } = await reachable(services, user, t, id);
    if (!mayUpdate(t, record, owners)) throw new EngineError('access.denied', `You may not submit this ${t.object.name} record`);
    if (version !== undefined) assertCurrentVersion(record.version, version, 'record');
    if (record.workflow?.approval) throw denied('alreadyPending', 'The record is already waiting for approval', { request: record.workflow.approval.request });
    const facts = recordFacts(ctx, record);
    const candidates = body.process ? processes.filter((p) => p.name === body.process) : processes;
    let process: ApprovalProcessDef | undefined;
    for (const p of candidates) if (await holds(p.entryConditions, facts)) {
      process = p;
      break;
    }
    if (!process) throw denied('entryConditions', `The record does not meet the entry conditions of ${body.process ?? 'any approval process'}`);
    if (process.submitterRoles && !isAdmin(user) && !process.submitterRoles.some((r) => user.roles.includes(r))) throw new EngineError('access.denied', `${process.name} is submitted by ${process.submitterRoles.join(', ')}`);
    const nameField = t.object.def.nameField;
    const request = await submitRequest(
      process,
      { id: services.newId(), recordId: record.id, recordName: typeof record.values[nameField] === 'string' ? (record.values[nameField] as string) : null, submittedBy: user.userId, at: services.now().toISOString(), ...(body.comment ? { comment: body.comment } : {}) },
      await advanceContext(ctx, record),
    );
    if (request.status !== 'pending') throw denied('noStep', `No step of ${process.name} applies to this record`);
    try {
      const write = await approvalWrite(ctx, record, process, null, request, 'submitted', body.comment);
      await guarded(t, () => saveUpdate(ctx, record, write.input, record.version, { workflow: write.workflow }));
      return request;
    } catch (error) {
      if (version === undefined && error instanceof EngineError && error.code === 'record.versionConflict' && attempt < RETRIES) continue;
      throw error;
    }
  }
}

export type Decide = 'approve' | 'reject' | 'delegate' | 'recall';

/**
 * A decision on a pending request by one of the approvers its current step waits for (or, to
 * recall, by the submitter or an administrator). Approvers need not reach the record through
 * their role's scope: being asked is their authority; they must be able to read the object.
 */
export async function decideApproval(services: Services, user: UserContext, objectName: string, id: string, requestId: string, decision: Decide, raw: unknown): Promise<ApprovalRequest> {
  const t = await target(services, user, objectName);
  const body = decision === 'reject' ? parseBody(raw, ['comment', 'backTo']) : decision === 'delegate' ? parseBody(raw, ['comment', 'to'], ['to']) : parseBody(raw, ['comment']);
  const ctx = saveContext(services, user, t);
  const store = storeOf(services);
  for (let attempt = 0; ; attempt++) {
    const record = await services.records.get(user.tenantId, t.object.name, id);
    const before = record ? await store.request(user.tenantId, t.object.name, id, requestId) : null;
    if (!record || !before) throw noRequest(requestId);
    // A process removed from the metadata decides nothing more, but its request can still be recalled (releasing the record).
    const process = (t.bundle.bundle.approvalProcesses ?? []).find((p) => p.name === before.process) ?? (decision === 'recall' ? { name: before.process, object: before.object, steps: [] } : null);
    if (!process) throw denied('processRemoved', `The approval process ${before.process} is no longer in the published metadata; the submitter or an administrator can recall the request`);
    const at = services.now().toISOString();
    const d = { user: user.userId, at, ...(body.comment ? { comment: body.comment } : {}) };
    let after: ApprovalRequest;
    if (decision === 'approve') after = await approveRequest(process, before, d, await advanceContext(ctx, record));
    else if (decision === 'reject') after = await rejectRequest(process, before, { ...d, ...(body.backTo ? { backTo: body.backTo } : {}) }, await advanceContext(ctx, record));
    else if (decision === 'delegate') after = delegateRequest(before, { ...d, to: body.to! }, await advanceContext(ctx, record));
    else after = recallRequest(process, before, { ...d, administrator: isAdmin(user) });
    const action = decision === 'approve' ? 'approved' : decision === 'reject' ? (after.status === 'rejected' ? 'rejected' : 'returned') : decision === 'delegate' ? 'delegated' : 'recalled';
    try {
      const write = await approvalWrite(ctx, record, process, before, after, action, body.comment);
      // Problems as the approver may see them: an outcome's action refused at a field hidden from them does not name it.
      await guarded(t, () => saveUpdate(ctx, record, write.input, record.version, { workflow: write.workflow }));
      return after;
    } catch (error) {
      if (error instanceof EngineError && error.code === 'record.versionConflict' && attempt < RETRIES) continue;
      throw error;
    }
  }
}

/** A record's approval requests, newest first, with every step, decision and comment. */
export async function approvalsOfRecord(services: Services, user: UserContext, objectName: string, id: string): Promise<{ items: ApprovalRequest[] }> {
  const t = await target(services, user, objectName);
  const { record } = await reachable(services, user, t, id);
  return { items: await storeOf(services).requestsOf(user.tenantId, record.object, record.id) };
}

/**
 * The caller's waiting approvals, oldest first (by Query on their inbox). A work item whose
 * record an administrator deleted meanwhile is left out.
 */
export async function approvalInbox(services: Services, user: UserContext, limit: number, cursor: string | null): Promise<{ items: WorkItem[]; nextCursor: string | null }> {
  const page = await storeOf(services).inbox(user.tenantId, user.userId, limit, cursor);
  const records = await services.records.getRecords(user.tenantId, page.items.map((i) => ({ object: i.object, id: i.recordId })));
  return { items: page.items.filter((i) => records.get(`${i.object}/${i.recordId}`)?.workflow?.approval?.request === i.request), nextCursor: page.nextCursor };
}
