import { EngineError } from '../errors';
import type { Problem } from '../errors';
import type { ApprovalProcessDef, ApprovalStepDef } from '../metadata/types';

/*
 * An approval request as a value: submitting creates one at its first applicable step, and
 * each decision (approve, reject — back to an earlier step or to the submitter —, delegate,
 * recall) returns the next value. Pure: approvers are resolved from a directory passed in,
 * step conditions from a predicate; the operation layer stores the result with the record.
 */

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'recalled';
export type StepStatus = 'waiting' | 'pending' | 'approved' | 'rejected' | 'skipped';

export interface ApproverEntry {
  readonly user: string;
  /** How the user came to be asked: `user`, `role:<name>`, `manager:<level>`, `delegate:<user>`. */
  readonly via: string;
  readonly decision?: 'approved' | 'rejected' | 'delegated';
  readonly at?: string;
  readonly comment?: string;
  readonly delegatedTo?: string;
}

export interface RequestStep {
  readonly name: string;
  readonly mode: 'all' | 'first';
  readonly status: StepStatus;
  readonly approvers: readonly ApproverEntry[];
}

export interface RequestEvent {
  readonly at: string;
  readonly by: string;
  readonly action: 'submitted' | 'approved' | 'rejected' | 'returned' | 'recalled' | 'delegated';
  readonly step?: string;
  readonly comment?: string;
  /** Delegated to this user; returned to this step. */
  readonly to?: string;
}

export interface ApprovalRequest {
  readonly id: string;
  readonly process: string;
  readonly object: string;
  readonly recordId: string;
  /** The record's name when submitted, for inboxes. */
  readonly recordName: string | null;
  readonly status: RequestStatus;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly updatedAt: string;
  /** Index of the step waiting for decisions; null once the request is decided. */
  readonly step: number | null;
  readonly steps: readonly RequestStep[];
  /** Every submission, decision, delegation and recall with its comment, oldest first. */
  readonly events: readonly RequestEvent[];
}

/** A user as approver resolution needs them. */
export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly manager?: string;
}

export interface ResolveContext {
  readonly users: readonly DirectoryUser[];
  /** Whether a user may approve at all (reads the object). */
  readonly eligible: (user: DirectoryUser) => boolean;
}

/** Approvers per step at most: each is a work item in the decision's transaction (100 items). */
export const MAX_APPROVERS = 25;
/** A manager chain is followed this far up at most (it may loop in bad data). */
const MAX_CHAIN = 20;

const denied = (code: string, message: string, extra: Partial<Problem> = {}): EngineError => new EngineError('approval.notAllowed', message, [{ path: '', code, message, ...extra }]);

/** The manager `level` steps up from `user`, passing over inactive managers. */
function managerOf(users: ReadonlyMap<string, DirectoryUser>, user: string, level: number): DirectoryUser | null {
  let current: DirectoryUser | undefined = users.get(user);
  let found: DirectoryUser | null = null;
  let climbed = 0;
  for (let i = 0; i < MAX_CHAIN && current && climbed < level; i++) {
    const next: DirectoryUser | undefined = current.manager ? users.get(current.manager) : undefined;
    if (!next) return null;
    if (next.active) {
      climbed++;
      found = next;
    }
    current = next;
  }
  return climbed === level ? found : null;
}

/** Who is asked in a step: active, eligible users, the submitter never (nobody approves their own request), each once. */
export function resolveApprovers(step: ApprovalStepDef, submitter: string, ctx: ResolveContext): ApproverEntry[] {
  const byId = new Map(ctx.users.map((u) => [u.id, u] as const));
  const out = new Map<string, ApproverEntry>();
  const add = (u: DirectoryUser | null | undefined, via: string) => {
    if (u && u.active && u.id !== submitter && ctx.eligible(u) && !out.has(u.id)) out.set(u.id, { user: u.id, via });
  };
  for (const a of step.approvers) {
    if (a.type === 'user') {
      add(ctx.users.find((u) => u.id === a.user || u.email.toLowerCase() === a.user.toLowerCase()), 'user');
    } else if (a.type === 'role') {
      for (const u of ctx.users) if (u.roles.includes(a.role)) add(u, `role:${a.role}`);
    } else {
      add(managerOf(byId, submitter, a.level ?? 1), `manager:${a.level ?? 1}`);
    }
  }
  const approvers = [...out.values()];
  if (approvers.length > MAX_APPROVERS) throw denied('tooManyApprovers', `step ${step.name} would ask ${approvers.length} approvers; at most ${MAX_APPROVERS}`, { params: { step: step.name, limit: MAX_APPROVERS } });
  return approvers;
}

export interface AdvanceContext extends ResolveContext {
  /** Whether a step's conditions hold for the record now. */
  readonly applies: (step: ApprovalStepDef) => Promise<boolean>;
}

/** Moves the request to the first applicable step from `from` on (skipping the others), or approves it when none is left. */
async function advance(process: ApprovalProcessDef, request: ApprovalRequest, from: number, ctx: AdvanceContext): Promise<ApprovalRequest> {
  const steps = [...request.steps];
  for (let i = from; i < process.steps.length; i++) {
    const def = process.steps[i]!;
    if (!(await ctx.applies(def))) {
      steps[i] = { ...steps[i]!, status: 'skipped', approvers: [] };
      continue;
    }
    const approvers = resolveApprovers(def, request.submittedBy, ctx);
    if (approvers.length === 0) throw denied('noApprover', `nobody can approve step ${def.name}: no active user fits its approvers`, { params: { step: def.name } });
    steps[i] = { ...steps[i]!, status: 'pending', approvers };
    return { ...request, steps, step: i };
  }
  return { ...request, steps, step: null, status: 'approved' };
}

/** A new request for a record, at its first applicable step (or approved at once when no step applies). */
export async function submitRequest(process: ApprovalProcessDef, input: { id: string; recordId: string; recordName: string | null; submittedBy: string; at: string; comment?: string }, ctx: AdvanceContext): Promise<ApprovalRequest> {
  const request: ApprovalRequest = {
    id: input.id,
    process: process.name,
    object: process.object,
    recordId: input.recordId,
    recordName: input.recordName,
    status: 'pending',
    submittedBy: input.submittedBy,
    submittedAt: input.at,
    updatedAt: input.at,
    step: null,
    steps: process.steps.map((s) => ({ name: s.name, mode: s.mode ?? 'first', status: 'waiting', approvers: [] })),
    events: [{ at: input.at, by: input.submittedBy, action: 'submitted', ...(input.comment ? { comment: input.comment } : {}) }],
  };
  return advance(process, request, 0, ctx);
}

/** Users whose decision the request waits for. */
export function pendingApprovers(request: ApprovalRequest): string[] {
  if (request.status !== 'pending' || request.step === null) return [];
  return request.steps[request.step]!.approvers.filter((a) => a.decision === undefined).map((a) => a.user);
}

function assertPending(request: ApprovalRequest): RequestStep {
  if (request.status !== 'pending' || request.step === null) throw denied('notPending', `the request is ${request.status}`, { params: { status: request.status } });
  return request.steps[request.step]!;
}

function assertApprover(step: RequestStep, user: string): number {
  const index = step.approvers.findIndex((a) => a.user === user && a.decision === undefined);
  if (index < 0) throw new EngineError('access.denied', `You are not asked to decide step ${step.name} of this request`);
  return index;
}

const withEntry = (step: RequestStep, index: number, entry: ApproverEntry): RequestStep => ({ ...step, approvers: step.approvers.map((a, i) => (i === index ? entry : a)) });
const note = (comment: string | undefined) => (comment ? { comment } : {});

export interface Decision {
  readonly user: string;
  readonly at: string;
  readonly comment?: string;
}

/** An approval: the step is done on the first approval (`first`) or the last one (`all`); the request moves on or is approved. */
export async function approveRequest(process: ApprovalProcessDef, request: ApprovalRequest, d: Decision, ctx: AdvanceContext): Promise<ApprovalRequest> {
  const step = assertPending(request);
  const index = assertApprover(step, d.user);
  let next = withEntry(step, index, { ...step.approvers[index]!, decision: 'approved', at: d.at, ...note(d.comment) });
  const done = step.mode === 'first' || next.approvers.every((a) => a.decision === 'approved' || a.decision === 'delegated');
  if (done) next = { ...next, status: 'approved' };
  const steps = request.steps.map((s, i) => (i === request.step ? next : s));
  const recorded: ApprovalRequest = { ...request, steps, updatedAt: d.at, events: [...request.events, { at: d.at, by: d.user, action: 'approved', step: step.name, ...note(d.comment) }] };
  return done ? advance(process, recorded, request.step! + 1, ctx) : recorded;
}

/**
 * A rejection decides the step whatever its mode. `backTo` a step before the current one
 * asks that step's approvers again (the steps in between wait again); to the submitter (the
 * default) the request is rejected and the record is released.
 */
export async function rejectRequest(process: ApprovalProcessDef, request: ApprovalRequest, d: Decision & { backTo?: string }, ctx: AdvanceContext): Promise<ApprovalRequest> {
  const step = assertPending(request);
  const index = assertApprover(step, d.user);
  const current = request.step!;
  const rejected = { ...withEntry(step, index, { ...step.approvers[index]!, decision: 'rejected', at: d.at, ...note(d.comment) }), status: 'rejected' as const };
  const steps = request.steps.map((s, i) => (i === current ? rejected : s));
  const backTo = d.backTo && d.backTo !== 'submitter' ? d.backTo : null;
  if (backTo === null) {
    return { ...request, steps, status: 'rejected', step: null, updatedAt: d.at, events: [...request.events, { at: d.at, by: d.user, action: 'rejected', step: step.name, ...note(d.comment) }] };
  }
  const target = process.steps.findIndex((s) => s.name === backTo);
  if (target < 0 || target >= current) throw new EngineError('request.invalid', `backTo must name a step before ${step.name}, or "submitter"`, [{ path: '/backTo', code: 'notAnEarlierStep', message: `"${backTo}" is not a step before ${step.name}`, params: { steps: process.steps.slice(0, current).map((s) => s.name) } }]);
  // The steps from the target on wait again and ask afresh; the decisions made stay in the events.
  const reset = steps.map((s, i) => (i >= target && i <= current ? { ...s, status: 'waiting' as const, approvers: [] } : s));
  return advance(process, { ...request, steps: reset, updatedAt: d.at, events: [...request.events, { at: d.at, by: d.user, action: 'returned', step: step.name, to: backTo, ...note(d.comment) }] }, target, ctx);
}

/** An approver hands their decision to another active, eligible user, who is asked in their place. */
export function delegateRequest(request: ApprovalRequest, d: Decision & { to: string }, ctx: ResolveContext): ApprovalRequest {
  const step = assertPending(request);
  const index = assertApprover(step, d.user);
  const to = ctx.users.find((u) => u.id === d.to || u.email.toLowerCase() === d.to.toLowerCase());
  if (!to || !to.active || !ctx.eligible(to)) throw new EngineError('request.invalid', 'Delegate to an active user who may read the record', [{ path: '/to', code: 'notAnApprover', message: 'not an active user who may read this object', params: { field: 'to' } }]);
  if (to.id === request.submittedBy || step.approvers.some((a) => a.user === to.id && a.decision === undefined)) {
    throw new EngineError('request.invalid', 'That user cannot take this decision', [{ path: '/to', code: 'notAnApprover', message: 'the submitter, or already asked in this step', params: { field: 'to' } }]);
  }
  const entries = step.approvers.map((a, i) => (i === index ? { ...a, decision: 'delegated' as const, at: d.at, delegatedTo: to.id, ...note(d.comment) } : a));
  const next: RequestStep = { ...step, approvers: [...entries.filter((a) => a.user !== to.id), { user: to.id, via: `delegate:${d.user}` }] };
  return {
    ...request,
    steps: request.steps.map((s, i) => (i === request.step ? next : s)),
    updatedAt: d.at,
    events: [...request.events, { at: d.at, by: d.user, action: 'delegated', step: step.name, to: to.id, ...note(d.comment) }],
  };
}

/** The submitter (or an administrator) takes a pending request back; the record is released. */
export function recallRequest(process: ApprovalProcessDef, request: ApprovalRequest, d: Decision & { administrator: boolean }): ApprovalRequest {
  const step = assertPending(request);
  if (d.user !== request.submittedBy && !d.administrator) throw new EngineError('access.denied', 'Only the submitter recalls a request');
  if (process.allowRecall === false && !d.administrator) throw denied('noRecall', `${process.name} requests cannot be recalled`);
  return {
    ...request,
    status: 'recalled',
    step: null,
    steps: request.steps.map((s, i) => (i === request.step ? { ...s, status: 'waiting' as const } : s)),
    updatedAt: d.at,
    events: [...request.events, { at: d.at, by: d.user, action: 'recalled', step: step.name, ...note(d.comment) }],
  };
}
