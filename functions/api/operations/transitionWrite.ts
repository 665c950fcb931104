import { EngineError, pointer } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { StoredRecord } from '../../engine/records/types';
import { objectWorkflow, transitionRuleName } from '../../engine/workflows/compileWorkflow';
import type { CompiledTransition, CompiledWorkflow } from '../../engine/workflows/compileWorkflow';
import { transitionReasons } from '../../engine/workflows/transitionReasons';
import type { TransitionReason } from '../../engine/workflows/transitionReasons';
import { saveUpdate } from './save';
import type { SaveContext, WorkflowSave } from './save';

/*
 * A transition as a write: checked (from-state, roles, lock, guards, required fields), then
 * made as one saveUpdate of the state field with the values sent along and the transition's
 * own setField and assign actions — one transaction, in history under the transition's name.
 * Its other actions run after save, from the stream. People, automation and approvals all
 * transition through here.
 */

export interface PreparedTransition {
  readonly input: Record<string, unknown>;
  readonly write: WorkflowSave;
}

export interface TransitionOptions {
  /** `person`: roles and manual-only apply. */
  readonly mode: 'person' | 'system';
  /** Values written with the transition (required fields a form asked for). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Whether the approval lock stops this transition. */
  readonly locked: boolean;
  readonly comment?: string;
  /** Required fields the caller cannot see are not named. */
  readonly visible?: (field: string) => boolean;
}

export function workflowFor(ctx: SaveContext): CompiledWorkflow {
  const wf = objectWorkflow(ctx.bundle.bundle, ctx.object.name);
  if (!wf) throw new EngineError('route.notFound', `${ctx.object.name} has no workflow`, [], { object: ctx.object.name });
  return wf;
}

export function transitionNamed(wf: CompiledWorkflow, name: string): CompiledTransition {
  const t = wf.transitions.get(name);
  if (!t) throw new EngineError('route.notFound', `Workflow ${wf.def.name} has no transition "${name}"`, [], { transition: name });
  return t;
}

/** The reasons as problems: a required field at its pointer, anything else at the record. */
export function reasonProblems(reasons: readonly TransitionReason[]): Problem[] {
  return reasons.flatMap((r): Problem[] => {
    if (r.code === 'requiredFields' && r.fields?.length) return r.fields.map((f) => ({ path: pointer(f), code: 'required', message: `${f} must be filled for this transition`, params: { field: f } }));
    return [{ path: '', code: r.code, message: r.message, ...(r.messages ? { params: { messages: r.messages } } : {}) }];
  });
}

/** Checks a transition for a record and returns the write that makes it; 403 for a role that may not, 409 with every reason otherwise. */
export async function prepareTransition(ctx: SaveContext, current: StoredRecord, name: string, options: TransitionOptions): Promise<PreparedTransition> {
  const wf = workflowFor(ctx);
  const t = transitionNamed(wf, name);
  const values = { ...current.values, owner: current.owner, ...(options.values ?? {}) };
  const reasons = await transitionReasons(t, {
    workflow: wf,
    values,
    previous: { ...current.values, owner: current.owner },
    user: { id: ctx.actor.userId, roles: ctx.actor.roles },
    mode: options.mode,
    locked: options.locked,
    now: ctx.services.now(),
    timeZone: ctx.bundle.bundle.settings?.businessHours?.timeZone,
    ...(options.visible ? { visible: options.visible } : {}),
  });
  if (reasons.some((r) => r.code === 'role')) throw new EngineError('access.denied', `You may not make the transition ${name}`, reasonProblems(reasons.filter((r) => r.code === 'role')));
  if (reasons.length) throw new EngineError('workflow.transitionDenied', `The transition ${name} cannot be made now: ${reasons.map((r) => r.message).join('; ')}`, reasonProblems(reasons), { transition: name, reasons });
  const from = (current.values[wf.field] as string | undefined) ?? null;
  return {
    input: { ...(options.values ?? {}), [wf.field]: t.def.to },
    write: {
      transition: { workflow: wf.def.name, name, from, to: t.def.to, ...(options.comment ? { comment: options.comment } : {}) },
      ...(t.afterRule ? { after: [t.afterRule] } : {}),
      ...(t.inWrite.length ? { actions: t.inWrite, actionsRule: transitionRuleName(wf.def.name, name) } : {}),
      force: true,
    },
  };
}

/** A transition made by automation (an action of a rule or an SLA): no roles, but the lock, guards and required fields apply. */
export async function systemTransition(ctx: SaveContext, current: StoredRecord, name: string): Promise<StoredRecord | null> {
  const prepared = await prepareTransition(ctx, current, name, { mode: 'system', locked: current.workflow?.approval?.lock === true });
  return saveUpdate(ctx, current, prepared.input, current.version, { workflow: prepared.write });
}
