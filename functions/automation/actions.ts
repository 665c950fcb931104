import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { CompiledBundle } from '../engine/compile/compileBundle';
import { EngineError } from '../engine/errors';
import type { AutomationActionDef, AutomationRuleDef } from '../engine/metadata/types';
import { workflowRule } from '../engine/workflows/compileWorkflow';
import { actionTurnKey } from '../engine/rules/turnKeys';
import type { StoredRecord } from '../engine/records/types';
import type { UserContext } from '../api/auth/tokens';
import type { Services } from '../api/services';
import { directory } from '../api/operations/directory';
import { actionValue, saveCreate, saveUpdate } from '../api/operations/save';
import type { SaveContext } from '../api/operations/save';
import type { ActionRun, RuleRun } from '../store/automationStore';
import { deliveryForAction, enqueueDeliveries } from '../webhooks';
import { resolveAssignee } from './assignees';
import { systemTransition } from '../api/operations/transitionWrite';
import type { RecordChange } from './types';

/*
 * After-save actions. Each action's effect is keyed by (event, rule, action index): record
 * writes carry the key as an effect marker in their own transaction, created records and
 * notifications take ids derived from it, webhook deliveries too. Delivering the same
 * change twice therefore applies each effect once. A failed action stops its rule; the run
 * records where, and a retry resumes from that action under the same keys.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id derived from an effect key: the same key always gives the same id. */
export function effectId(key: string, at: string): string {
  const digest = createHash('sha256').update(key).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32];
  return encodeTime(Date.parse(at), 10) + random;
}

export const effectKey = (eventId: string, rule: string, index: number) => `${eventId}#${rule}#${index}`;

/** How many times an action re-reads a record that changed under it before it gives up. */
const VERSION_RETRIES = 5;

/** The acting user of a change, with their current roles (validation-rule bypasses use them). */
async function actorOf(services: Services, tenant: string, userId: string): Promise<UserContext> {
  const dir = await directory(services, tenant);
  return { tenantId: tenant, userId, roles: dir.users.find((u) => u.id === userId)?.roles ?? [] };
}

interface RunInput {
  readonly services: Services;
  readonly bundle: CompiledBundle;
  readonly rule: AutomationRuleDef;
  readonly change: RecordChange;
  /** created, updated, deleted or timer. */
  readonly trigger: string;
}

/** Applies one action; returns what it did. Throws when it fails. */
async function apply(input: RunInput, action: AutomationActionDef, index: number, actor: UserContext): Promise<Pick<ActionRun, 'status' | 'detail'>> {
  const { services, bundle, rule, change } = input;
  const key = effectKey(change.eventId, rule.name, index);
  const cause = { rule: rule.name, eventId: change.eventId, depth: change.depth + 1 };
  const ctx = (object: string): SaveContext => ({ services, actor, bundle, object: bundle.object(object), cause, effect: key });
  const update = async (values: (current: StoredRecord) => Promise<Record<string, unknown>>): Promise<Pick<ActionRun, 'status' | 'detail'>> => {
    for (let attempt = 0; ; attempt++) {
      const current = await services.records.get(change.tenant, change.object, change.id);
      if (!current) return { status: 'skipped', detail: { reason: 'the record no longer exists' } };
      const body = await values(current);
      try {
        const saved = await saveUpdate(ctx(change.object), current, body, current.version);
        return { status: 'applied', detail: { ...body, version: saved?.version ?? current.version } };
      } catch (error) {
        if (error instanceof EngineError && error.code === 'automation.alreadyApplied') return { status: 'alreadyApplied', detail: body };
        if (error instanceof EngineError && error.code === 'record.versionConflict' && attempt < VERSION_RETRIES) continue;
        throw error;
      }
    }
  };
  const now = services.now();
  switch (action.type) {
    case 'setField':
      return update(async (current) => ({ [action.field]: actionValue(action.to, current.values, bundle.object(change.object).fields.get(action.field)?.def, { now, settings: bundle.bundle.settings }) }));
    case 'assign':
      return update(async (current) => {
        const assigned = await resolveAssignee(services, change.tenant, action.assignee, current, actionTurnKey(change.object, rule.name, index));
        if (!assigned) throw new EngineError('validation.failed', 'Nobody to assign to: the role or team has no active member');
        return { owner: assigned.owner };
      });
    case 'createRecord': {
      const values = Object.fromEntries(Object.entries(action.values).map(([name, to]) => [name, actionValue(to, { ...change.record.values, id: change.id, owner: change.record.owner }, bundle.object(action.object).fields.get(name)?.def, { now, settings: bundle.bundle.settings })]));
      const id = effectId(key, change.at);
      try {
        const created = await saveCreate({ ...ctx(action.object), recordId: id }, values);
        return { status: 'applied', detail: { object: action.object, id: created.id } };
      } catch (error) {
        if (error instanceof EngineError && error.code === 'automation.alreadyApplied') return { status: 'alreadyApplied', detail: { object: action.object, id } };
        throw error;
      }
    }
    case 'notify': {
      const dir = await directory(services, change.tenant);
      const users = new Set<string>();
      for (const to of action.to) {
        if ('user' in to) {
          users.add(dir.users.find((u) => u.id === to.user || u.email === to.user)?.id ?? to.user);
        } else if ('role' in to) {
          for (const u of dir.users) if (u.active && u.roles.includes(to.role)) users.add(u.id);
        } else if ('owner' in to) {
          users.add(change.record.owner);
        } else {
          const manager = dir.users.find((u) => u.id === change.record.owner)?.manager;
          if (manager) users.add(manager);
        }
      }
      const known = [...users].filter((id) => dir.users.some((u) => u.id === id && u.active));
      let added = 0;
      for (const user of known) {
        const fresh = await services.automation.notify(change.tenant, { id: effectId(`${key}#${user}`, change.at), user, at: change.at, message: action.message, object: change.object, recordId: change.id, rule: rule.name, read: false });
        if (fresh) added++;
      }
      return { status: added === 0 && known.length > 0 ? 'alreadyApplied' : 'applied', detail: { users: known } };
    }
    case 'transition':
      for (let attempt = 0; ; attempt++) {
        const current = await services.records.get(change.tenant, change.object, change.id);
        if (!current) return { status: 'skipped', detail: { reason: 'the record no longer exists' } };
        try {
          const saved = await systemTransition(ctx(change.object), current, action.transition);
          return { status: 'applied', detail: { transition: action.transition, version: saved?.version ?? current.version } };
        } catch (error) {
          if (error instanceof EngineError && error.code === 'automation.alreadyApplied') return { status: 'alreadyApplied', detail: { transition: action.transition } };
          if (error instanceof EngineError && error.code === 'record.versionConflict' && attempt < VERSION_RETRIES) continue;
          throw error;
        }
      }
    case 'webhook': {
      const delivery = deliveryForAction(bundle.bundle, change, action.webhook, { rule: rule.name, action: index }, now);
      await enqueueDeliveries(services, [delivery]);
      return { status: 'applied', detail: { webhook: action.webhook, delivery: delivery.id } };
    }
  }
}

/** Runs a rule's actions from `from` on, into `run` (new or resumed); returns the run as recorded. */
async function execute(input: RunInput, run: RuleRun, from: number): Promise<RuleRun> {
  const actor = await actorOf(input.services, input.change.tenant, input.change.actor);
  const actions = [...run.actions];
  run.outcome = 'applied';
  delete run.error;
  for (let index = from; index < input.rule.actions.length; index++) {
    const action = input.rule.actions[index]!;
    try {
      const done = await apply(input, action, index, actor);
      actions[index] = { index, type: action.type, ...done };
    } catch (error) {
      const message = error instanceof EngineError ? `${error.message}${error.details.length ? `: ${error.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : ''}` : (error as Error).message;
      actions[index] = { index, type: action.type, status: 'failed', error: message };
      for (let rest = index + 1; rest < input.rule.actions.length; rest++) actions[rest] = { index: rest, type: input.rule.actions[rest]!.type, status: 'pending' };
      run.outcome = index === 0 ? 'failed' : 'partial';
      run.error = message;
      break;
    }
  }
  run.actions = actions;
  await input.services.automation.putRun(input.change.tenant, run);
  return run;
}

/** The step a stopped run goes on from; -1 for a run that has nothing left to do (applied, or stopped at the depth limit). */
function firstUnapplied(run: RuleRun): number {
  if (run.outcome === 'applied' || run.outcome === 'depthLimit') return -1;
  return run.actions.findIndex((a) => a.status === 'failed' || a.status === 'pending');
}

/** Runs an after-save (or timed) rule on a change, recording the run. */
export async function runRule(input: RunInput): Promise<RuleRun> {
  const { change, rule } = input;
  // One run per (event, rule). A redelivered change finds its run: one that finished stays as
  // recorded (its retries included); one that stopped goes on from the step that did not apply.
  const id = effectId(`${change.eventId}#${rule.name}`, change.at);
  const recorded = await input.services.automation.run(change.tenant, change.object, change.id, id);
  if (recorded) {
    const from = firstUnapplied(recorded);
    return from < 0 ? recorded : execute(input, { ...recorded, attempts: recorded.attempts + 1 }, from);
  }
  const run: RuleRun = {
    id,
    rule: rule.name,
    kind: 'automation',
    object: change.object,
    recordId: change.id,
    trigger: input.trigger,
    eventId: change.eventId,
    changedAt: change.at,
    depth: change.depth,
    at: input.services.now().toISOString(),
    outcome: 'applied',
    actions: [],
    attempts: 1,
    actor: change.actor,
  };
  return execute(input, run, 0);
}

/** Records that a rule would have run but the cascade is at its depth limit. */
export async function recordDepthLimit(services: Services, rule: AutomationRuleDef, change: RecordChange, trigger: string): Promise<RuleRun> {
  const run: RuleRun = {
    id: effectId(`${change.eventId}#${rule.name}`, change.at),
    rule: rule.name,
    kind: 'automation',
    object: change.object,
    recordId: change.id,
    trigger,
    eventId: change.eventId,
    changedAt: change.at,
    depth: change.depth,
    at: services.now().toISOString(),
    outcome: 'depthLimit',
    actions: rule.actions.map((a, index) => ({ index, type: a.type, status: 'skipped' })),
    error: `automation cascade reached its depth limit (${change.depth}); the rule did not run`,
    attempts: 1,
    actor: change.actor,
  };
  await services.automation.putRun(change.tenant, run);
  return run;
}

/** The answer to retrying a run that did not fail. */
export const notFailed = (run: RuleRun) => new EngineError('request.invalid', 'Only failed runs can be retried', [{ path: '/outcome', code: 'notFailed', message: `the run's outcome is ${run.outcome}` }]);

/**
 * Retries a failed or partial run from its first action that did not apply, under the same
 * effect keys (so actions that did apply are not applied again).
 */
export async function retryRun(services: Services, bundle: CompiledBundle, run: RuleRun, change: RecordChange): Promise<RuleRun> {
  const rule = (bundle.bundle.automationRules ?? []).find((r) => r.name === run.rule) ?? workflowRule(bundle.bundle, run.rule);
  if (!rule) throw new EngineError('request.invalid', `The rule "${run.rule}" no longer exists`, [{ path: '/rule', code: 'unknownRule', message: 'the rule is not in the published metadata' }]);
  const from = firstUnapplied(run);
  if (from < 0) throw notFailed(run);
  return execute({ services, bundle, rule, change, trigger: run.trigger }, { ...run, attempts: run.attempts + 1 }, from);
}
