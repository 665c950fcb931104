import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { EngineError } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { ActionValue, AutoNumberField, AutomationActionDef, FieldDef } from '../../engine/metadata/types';
import { planCreate, planPatch } from '../../engine/records/planWrites';
import type { WriteContext } from '../../engine/records/planWrites';
import type { Cause, StoredRecord, WriteOrigin, WritePlan } from '../../engine/records/types';
import { factsOf } from '../../engine/rules/conditions';
import type { FactInput } from '../../engine/rules/conditions';
import { addDuration } from '../../engine/rules/durations';
import { assertFieldLogic } from '../../engine/rules/fieldLogic';
import { objectRules, validationProblems } from '../../engine/rules/objectRules';
import { actionTurnKey, assignmentTurnKey } from '../../engine/rules/turnKeys';
import type { ObjectRules } from '../../engine/rules/objectRules';
import type { ActionRun, RuleRun } from '../../store/automationStore';
import { runItem } from '../../store/automationStore';
import { resolveAssignee } from '../../automation/assignees';
import type { Assigned } from '../../automation/assignees';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { commitPlan } from './commitPlan';
import { checkDuplicates } from './duplicateCheck';
import type { DuplicateMatch } from './duplicateCheck';
import { assertNotConverted } from './conversionWrite';
import { assertWorkflowCreate, assertWorkflowUpdate, touchPlan, withProbability, withWorkflow } from './workflowWrite';
import type { WorkflowWrite } from './workflowWrite';

/*
 * The one write pipeline. Every channel that creates or changes a record — the API, the
 * batch API, imports, automation actions, workflow transitions — saves through here, so the
 * same steps run in the same order for all of them:
 *
 *   0. a converted record (a lead) refuses edits (conversionWrite.ts); workflow: a record locked in approval refuses edits, a governed field changes only
 *      through a transition, a new record starts in an initial state (workflowWrite.ts);
 *   1. plan: the object's schema (types, required, read-only, picklists, formulas);
 *   2. a transition's or approval's own setField and assign actions, then before-save
 *      automation rules: their changes join the same write;
 *   3. assignment rules (on create, unless the caller named an owner);
 *   4. conditional field logic and validation rules, every failure reported at once;
 *   5. one transaction: the record, its history, guards, references, roll-ups, the workflow's
 *      state log and approval items — and, for an automated write, the effect marker that
 *      makes a redelivered action a no-op.
 *
 * After-save rules do not run here: they follow from the table's stream.
 */

export interface SaveContext {
  readonly services: Services;
  /** The acting user: a person, an integration key's principal, or the user whose change fired a rule. */
  readonly actor: UserContext;
  readonly bundle: CompiledBundle;
  readonly object: CompiledObject;
  /** Set when automation writes: the rule, the event and the cascade depth. */
  readonly cause?: Cause;
  /** The automation effect key the write is idempotent under. */
  readonly effect?: string;
  /** The new record's id, when the caller decides it. */
  readonly recordId?: string;
  /** Imports may switch rules off (assignment and before-save automation); validation always runs. @default true */
  readonly automation?: boolean;
  /** Marks the write as an import's (stored on the record, honoured by the stream consumer); its history names the job. */
  readonly origin?: WriteOrigin;
  /** Items committed in the write's own transaction (an import row's outcome and before-image), made once every check has run (so they may carry its warnings). */
  readonly alongside?: () => ReadonlyArray<Record<string, unknown>>;
  /** `skip`: no duplicate-rule check (merges, an import's undo). Warnings of `warn` rules are added to `report`. @default "check" */
  readonly duplicates?: 'check' | 'skip';
  readonly report?: SaveReport;
}

/** What a save found besides its own result: records that look like duplicates (warn rules, bypassed block rules). */
export interface SaveReport {
  readonly duplicates: DuplicateMatch[];
}

const writeContext = (ctx: SaveContext, recordId?: string): WriteContext => ({ userId: ctx.actor.userId, now: ctx.services.now(), newId: ctx.services.newId, ...(recordId ? { recordId } : {}) });

function factContext(ctx: SaveContext): Omit<FactInput, 'values' | 'previous'> {
  return { user: { id: ctx.actor.userId, roles: ctx.actor.roles }, now: ctx.services.now(), timeZone: ctx.bundle.bundle.settings?.businessHours?.timeZone };
}

/** What before-save rules and assignment decided, recorded as runs once the write commits. */
interface Decisions {
  readonly runs: Array<Omit<RuleRun, 'id' | 'recordId' | 'at' | 'attempts' | 'actor' | 'eventId' | 'changedAt' | 'depth'>>;
  /** Owner set by an assignment that gives the record to a queue (a team). */
  queue?: string;
  /** The failed assignment run this write retries: its outcome is recorded in that run. */
  readonly retrying?: RuleRun;
}

/** The value an action writes, shaped for the target field (a date field gets the day). */
export function actionValue(to: ActionValue, values: Readonly<Record<string, unknown>>, target: FieldDef | undefined, ctx: { now: Date; settings: CompiledBundle['bundle']['settings'] }): unknown {
  if ('value' in to) return to.value;
  if ('field' in to) return values[to.field] ?? null;
  const at = to.offset ? addDuration(ctx.now, to.offset, ctx.settings?.businessHours) : ctx.now;
  return target?.type === 'date' ? at.toISOString().slice(0, 10) : at.toISOString();
}

/**
 * Runs the before-save rules that match, folding their changes into the input. Each rule
 * sees the values as the rules before it left them.
 */
async function beforeSave(ctx: SaveContext, rules: ObjectRules, event: 'created' | 'updated', input: Record<string, unknown>, planned: StoredRecord, previous: StoredRecord | null, decisions: Decisions): Promise<Record<string, unknown>> {
  const set = rules.before[event];
  if (set.size === 0) return input;
  const values: Record<string, unknown> = { ...planned.values };
  const matching = await set.matching(factsOf({ ...factContext(ctx), values, previous: previous?.values ?? null, event }));
  const next = { ...input };
  for (const rule of matching) {
    const actions = await applyInWrite(ctx, rule.actions, rule.name, next, values, planned, decisions);
    decisions.runs.push({ rule: rule.name, kind: 'automation', object: ctx.object.name, trigger: event, outcome: 'applied', actions });
  }
  return next;
}

/** Applies setField and assign actions to the input of a write (`next`), each seeing what the ones before it left in `values`. */
async function applyInWrite(ctx: SaveContext, list: readonly AutomationActionDef[], name: string, next: Record<string, unknown>, values: Record<string, unknown>, planned: StoredRecord, decisions: Decisions): Promise<ActionRun[]> {
  const actions: ActionRun[] = [];
  for (const [index, action] of list.entries()) {
    if (action.type === 'setField') {
      const value = actionValue(action.to, values, ctx.object.fields.get(action.field)?.def, { now: ctx.services.now(), settings: ctx.bundle.bundle.settings });
      next[action.field] = value;
      values[action.field] = value;
      actions.push({ index, type: action.type, status: 'applied', detail: { field: action.field, value } });
    } else if (action.type === 'assign') {
      const assigned = await assign(ctx, action.assignee, actionTurnKey(ctx.object.name, name, index), { object: ctx.object.name, owner: (next.owner as string | undefined) ?? planned.owner, values }, decisions);
      if (assigned) next.owner = assigned.owner;
      actions.push({ index, type: action.type, status: assigned ? 'applied' : 'skipped', detail: assigned ? { owner: assigned.owner } : { reason: 'nobody to assign to' } });
    }
  }
  return actions;
}

async function assign(ctx: SaveContext, assignee: Parameters<typeof resolveAssignee>[2], turnKey: string, record: Parameters<typeof resolveAssignee>[3], decisions: Decisions): Promise<Assigned | null> {
  const assigned = await resolveAssignee(ctx.services, ctx.actor.tenantId, assignee, record, turnKey);
  if (assigned) decisions.queue = assigned.kind === 'team' ? assigned.owner : undefined;
  return assigned;
}

/** The first assignment entry that matches gives the record its owner. */
export async function assignmentFor(ctx: SaveContext, rules: ObjectRules, record: { owner: string; values: Readonly<Record<string, unknown>> }, previous: Readonly<Record<string, unknown>> | null, event: 'created' | 'updated', decisions: Decisions): Promise<Assigned | null> {
  if (!rules.assignment) return null;
  const entry = await rules.assignment.entries.first(factsOf({ ...factContext(ctx), values: record.values, previous, event }));
  if (!entry) return null;
  const assigned = await assign(ctx, entry.assignee, assignmentTurnKey(ctx.object.name, entry.name), { object: ctx.object.name, ...record }, decisions);
  decisions.runs.push({
    rule: `assignment:${ctx.object.name}`,
    kind: 'assignment',
    object: ctx.object.name,
    trigger: event,
    outcome: assigned ? 'applied' : 'failed',
    actions: [{ index: 0, type: 'assign', status: assigned ? 'applied' : 'failed', detail: { entry: entry.name, ...(assigned ? { owner: assigned.owner } : {}) }, ...(assigned ? {} : { error: 'nobody to assign to (no active member)' }) }],
  });
  return assigned;
}

/** Field logic and validation rules on the values a write would leave; all problems at once. */
async function assertRules(ctx: SaveContext, rules: ObjectRules, before: StoredRecord | null, after: StoredRecord, event: 'created' | 'updated'): Promise<void> {
  const problems: Problem[] = [];
  try {
    await assertFieldLogic(ctx.object, before?.values ?? null, after.values, factContext(ctx));
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    problems.push(...error.details);
  }
  const facts = factsOf({ ...factContext(ctx), values: { ...after.values, owner: after.owner }, previous: before ? { ...before.values, owner: before.owner } : null, event });
  problems.push(...(await validationProblems(rules, facts, ctx.actor.roles)));
  if (problems.length) throw new EngineError('validation.failed', `The ${ctx.object.name} record is not valid`, problems);
  // Duplicate rules last: only a record that is otherwise valid is compared with others.
  if (ctx.duplicates !== 'skip' && ctx.object.duplicateRules.length > 0) {
    const warnings = await checkDuplicates(ctx.services, ctx.actor, ctx.bundle, ctx.object, after, before);
    ctx.report?.duplicates.push(...warnings);
  }
}

/** A queue owner is a team: the transaction checks the team exists, not a user. */
function withQueueOwner(plan: WritePlan, queue: string | undefined): WritePlan {
  if (!queue || plan.record?.owner !== queue) return plan;
  return { ...plan, references: plan.references.map((r) => (r.path === '/owner' ? { ...r, kind: 'team' as const } : r)) };
}

function automated(ctx: SaveContext, plan: WritePlan): WritePlan {
  const imported = ctx.origin || ctx.alongside ? importedWrite(ctx, plan) : plan;
  if (!ctx.cause && !ctx.effect) return imported;
  return {
    ...imported,
    ...(ctx.cause ? { cause: ctx.cause, history: imported.history ? { ...imported.history, via: ctx.cause } : null } : {}),
    ...(ctx.effect ? { effect: ctx.effect } : {}),
  };
}

/** An import's write: marked with its origin (history names the job), with the row's outcome in the same transaction. */
function importedWrite(ctx: SaveContext, plan: WritePlan): WritePlan {
  return {
    ...plan,
    ...(ctx.origin ? { origin: ctx.origin, history: plan.history ? { ...plan.history, import: ctx.origin.import } : null } : {}),
    ...(ctx.alongside ? { alongside: [...(plan.alongside ?? []), ...ctx.alongside()] } : {}),
  };
}

/** A failed assignment run that a reassign retried: the same run, with the reassign's outcome and one more attempt. */
function retried(run: RuleRun, outcome: Decisions['runs'][number]): RuleRun {
  const { error: _failure, ...rest } = run;
  return { ...rest, outcome: outcome.outcome, actions: outcome.actions, attempts: run.attempts + 1 };
}

/** The runs of the rules that shaped a write, as items committed with it. */
function withRuns(ctx: SaveContext, plan: WritePlan, decisions: Decisions): WritePlan {
  if (decisions.runs.length === 0) return plan;
  const record = plan.record!;
  const at = ctx.services.now().toISOString();
  const runs = decisions.runs.map((run) =>
    runItem(ctx.actor.tenantId, decisions.retrying && run.kind === 'assignment' ? retried(decisions.retrying, run) : {
      ...run,
      id: ctx.services.newId(),
      recordId: record.id,
      at,
      attempts: 1,
      actor: ctx.actor.userId,
      eventId: ctx.cause?.eventId ?? `request:${record.id}@${record.version}`,
      changedAt: record.updatedAt,
      depth: ctx.cause?.depth ?? 0,
    }),
  );
  return { ...plan, alongside: [...(plan.alongside ?? []), ...runs] };
}

const zeros = (object: CompiledObject) => Object.fromEntries(object.autoNumberFields.map((f) => [f.name, 0]));

/** Creates a record through the pipeline; returns it as stored. */
export async function saveCreate(ctx: SaveContext, given: Record<string, unknown>): Promise<StoredRecord> {
  const pending = await checkCreate(ctx, given);
  const plan = await commitPlan(ctx.services, ctx.actor.tenantId, ctx.bundle, await pending.finish());
  return plan.record!;
}

/** A create that passed every check of the pipeline, not yet written: `finish` draws its auto-numbers and returns the plan to commit. */
export interface PendingCreate {
  /** The record as it would be stored (auto-numbers not drawn yet). */
  readonly record: StoredRecord;
  finish(): Promise<WritePlan>;
}

/**
 * Steps 1–4 of a create: every check, nothing written. Callers that commit several writes in
 * one transaction (a lead's conversion) check them all before any draws a number.
 */
export async function checkCreate(ctx: SaveContext, given: Record<string, unknown>): Promise<PendingCreate> {
  const rules = objectRules(ctx.bundle.bundle, ctx.object.name);
  const input = withProbability(ctx, null, given);
  const recordId = ctx.recordId ?? ctx.services.newId();
  const decisions: Decisions = { runs: [] };
  // Validate before drawing numbers, so a bad request does not burn auto-number values.
  let probe = planCreate(ctx.object, input, writeContext(ctx, recordId), zeros(ctx.object));
  let body = input;
  if (ctx.automation !== false) {
    body = await beforeSave(ctx, rules, 'created', input, probe.record!, null, decisions);
    if (body.owner === undefined && rules.assignment && rules.assignment.set.onCreate !== false) {
      const assigned = await assignmentFor(ctx, rules, probe.record!, null, 'created', decisions);
      if (assigned) body = { ...body, owner: assigned.owner };
    }
    if (body !== input) probe = planCreate(ctx.object, body, writeContext(ctx, recordId), zeros(ctx.object));
  }
  assertWorkflowCreate(ctx, probe.record!);
  await assertRules(ctx, rules, null, probe.record!, 'created');
  return {
    record: probe.record!,
    finish: async () => {
      const numbers: Record<string, number> = {};
      for (const field of ctx.object.autoNumberFields) {
        numbers[field.name] = await ctx.services.records.nextCounter(ctx.actor.tenantId, ctx.object.name, field.name, (field as AutoNumberField).start ?? 1);
      }
      const planned = ctx.object.autoNumberFields.length === 0 ? probe : planCreate(ctx.object, body, writeContext(ctx, recordId), numbers);
      // As committed: a master-detail record's owner is its master's, read at commit.
      return withWorkflow(ctx, withRuns(ctx, automated(ctx, withQueueOwner(planned, decisions.queue)), decisions), null, undefined);
    },
  };
}

/** What a transition or an approval brings to an update: its marks and items, and its own setField and assign actions. */
export interface WorkflowSave extends WorkflowWrite {
  /** setField and assign actions applied to the write before the before-save rules, recorded as a run of `actionsRule`. */
  readonly actions?: readonly AutomationActionDef[];
  readonly actionsRule?: string;
}

/**
 * Changes a record through the pipeline. Null when nothing changes. `reassign` runs the
 * assignment rules on this record as an update (the "reassign" action); `workflow` makes
 * the write a transition or an approval step (see workflowWrite.ts).
 */
export async function saveUpdate(ctx: SaveContext, current: StoredRecord, given: Record<string, unknown>, expectedVersion: number, options: UpdateOptions = {}): Promise<StoredRecord | null> {
  const plan = await checkUpdate(ctx, current, given, expectedVersion, options);
  return plan ? (await commitPlan(ctx.services, ctx.actor.tenantId, ctx.bundle, plan)).record! : null;
}

export interface UpdateOptions {
  readonly reassign?: boolean;
  /** With `reassign`: the failed assignment run this reassign retries (its outcome goes there, not to a new run). */
  readonly retrying?: RuleRun;
  readonly workflow?: WorkflowSave;
}

/** Every step of an update but the commit: the plan to commit, or null when nothing changes. */
export async function checkUpdate(ctx: SaveContext, current: StoredRecord, given: Record<string, unknown>, expectedVersion: number, options: UpdateOptions = {}): Promise<WritePlan | null> {
  assertNotConverted(ctx, current);
  assertWorkflowUpdate(ctx, current, given, options.workflow);
  const rules = objectRules(ctx.bundle.bundle, ctx.object.name);
  const decisions: Decisions = { runs: [], ...(options.retrying ? { retrying: options.retrying } : {}) };
  const input = withProbability(ctx, current, given);
  let plan = planPatch(ctx.object, current, input, expectedVersion, writeContext(ctx));
  let body = input;
  const own = options.workflow?.actions ?? [];
  if (own.length) {
    const values: Record<string, unknown> = { ...(plan?.record ?? current).values };
    body = { ...input };
    const actions = await applyInWrite(ctx, own, options.workflow?.actionsRule ?? 'workflow', body, values, plan?.record ?? current, decisions);
    decisions.runs.push({ rule: options.workflow?.actionsRule ?? 'workflow', kind: 'automation', object: ctx.object.name, trigger: 'transition', outcome: 'applied', actions });
    plan = planPatch(ctx.object, current, body, expectedVersion, writeContext(ctx));
  }
  if (ctx.automation !== false && (plan || options.reassign)) {
    const after = plan?.record ?? current;
    const shaped = plan ? await beforeSave(ctx, rules, 'updated', body, after, current, decisions) : body;
    if (options.reassign) {
      const assigned = await assignmentFor(ctx, rules, { owner: (shaped.owner as string | undefined) ?? after.owner, values: after.values }, current.values, 'updated', decisions);
      if (!assigned) throw new EngineError('validation.failed', `No assignment rule of ${ctx.object.name} assigns this record`, [{ path: '/owner', code: 'noAssignee', message: 'no assignment entry matched, or nobody can take it', params: { field: 'owner' } }]);
      body = { ...shaped, owner: assigned.owner };
    } else body = shaped;
    if (body !== input) plan = planPatch(ctx.object, current, body, expectedVersion, writeContext(ctx));
  }
  if (!plan && options.workflow?.force) plan = touchPlan(ctx, current, expectedVersion);
  if (!plan) return null;
  await assertRules(ctx, rules, current, plan.record!, 'updated');
  return withWorkflow(ctx, withRuns(ctx, automated(ctx, withQueueOwner(plan, decisions.queue)), decisions), current, options.workflow);
}
