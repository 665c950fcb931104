import type { CompiledObject } from '../../engine/compile/compileObject';
import { EngineError, pointer } from '../../engine/errors';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import { indexEntries } from '../../engine/records/indexEntries';
import type { HistoryEntry, RecordWorkflow, StoredRecord, WritePlan } from '../../engine/records/types';
import { objectWorkflow } from '../../engine/workflows/compileWorkflow';
import type { CompiledWorkflow } from '../../engine/workflows/compileWorkflow';
import { leaves } from '../../engine/workflows/transitionReasons';
import { stateChangeItem } from '../../store/workflowStore';
import type { SaveContext } from './save';

/*
 * The workflow's part of the one write pipeline (save.ts), for every channel:
 *
 * - a workflow-governed field changes only through a transition: a direct change is refused
 *   (409 `workflow.transitionRequired`, naming the transitions that would get there), and a
 *   new record starts in an initial state;
 * - a record locked in an approval refuses edits (409 `record.locked`) — except the approval's
 *   own writes, automation's, and an administrator's (who may also set a governed field
 *   directly, to repair data; such a change is in history without a transition name);
 * - every state change stamps when the record entered its state (SLAs and time-in-state count
 *   from it), writes a state-log item for the funnel, and — for a transition — records its
 *   name in history and the after-save work the stream owes it, all in the write's transaction.
 */

/** What a transition or an approval adds to a write. */
export interface WorkflowWrite {
  /** The transition this write is (it may change the governed field). */
  readonly transition?: { readonly workflow: string; readonly name: string; readonly from: string | null; readonly to: string; readonly comment?: string };
  /** The approval request this write belongs to: its own writes pass the lock. */
  readonly approval?: {
    readonly request: string;
    /** The record's approval mark after the write; null releases the record. */
    readonly mark: RecordWorkflow['approval'] | null;
    readonly event: NonNullable<HistoryEntry['approval']>;
  };
  /** Derived rules (transition and approval actions) the stream runs after this version commits. */
  readonly after?: readonly string[];
  /** Items committed with the write (approval request, work items). */
  readonly items?: ReadonlyArray<Record<string, unknown>>;
  /** Write even when no field changes (an approval decision is a change of the record's state of approval). */
  readonly force?: boolean;
}

/** An administrator's own request (not automation acting for them). */
const administrator = (ctx: SaveContext) => !ctx.cause && ctx.actor.roles.includes(BUILT_IN_ADMIN);

const workflowOf = (ctx: SaveContext): CompiledWorkflow | null => objectWorkflow(ctx.bundle.bundle, ctx.object.name);

/** Transitions from `from` to `to`, for the message that refuses a direct change. */
const transitionsBetween = (wf: CompiledWorkflow, from: string | null, to: unknown) => [...wf.transitions.values()].filter((t) => t.def.to === to && leaves(t, from)).map((t) => t.def.name);

/** The lock and the governed field, before anything else of an update runs. */
export function assertWorkflowUpdate(ctx: SaveContext, current: StoredRecord, input: Readonly<Record<string, unknown>>, write: WorkflowWrite | undefined): void {
  const lock = current.workflow?.approval;
  if (lock?.lock && write?.approval?.request !== lock.request && !administrator(ctx) && !(ctx.cause && !write?.transition)) {
    throw new EngineError('record.locked', `This ${ctx.object.name} record is locked while it waits for approval`, [{ path: '', code: 'locked', message: 'the record is waiting for approval', params: { request: lock.request, process: lock.process } }], { request: lock.request });
  }
  const wf = workflowOf(ctx);
  if (!wf || write?.transition || administrator(ctx) || !(wf.field in input)) return;
  const from = (current.values[wf.field] as string | undefined) ?? null;
  const to = input[wf.field];
  if ((to ?? null) === from || (to === '' && from === null)) return;
  const ways = transitionsBetween(wf, from, to);
  throw new EngineError('workflow.transitionRequired', `${wf.field} is governed by workflow ${wf.def.name}: make a transition`, [
    { path: pointer(wf.field), code: 'transitionRequired', message: ways.length ? `use the transition ${ways.join(' or ')}` : `no transition leads from ${from ?? 'no state'} to ${String(to)}`, params: { field: wf.field, transitions: ways } },
  ]);
}

/** A new record starts in one of the workflow's initial states (administrators may create it in any, to load existing data). */
export function assertWorkflowCreate(ctx: SaveContext, planned: StoredRecord): void {
  const wf = workflowOf(ctx);
  if (!wf || administrator(ctx)) return;
  const state = planned.values[wf.field];
  if (typeof state === 'string' && wf.initial.has(state)) return;
  throw new EngineError('workflow.transitionRequired', `New ${ctx.object.name} records start in ${[...wf.initial].join(' or ')}`, [
    { path: pointer(wf.field), code: 'initialState', message: `a new record starts in ${[...wf.initial].join(' or ')}`, params: { field: wf.field, allowed: [...wf.initial] } },
  ]);
}

/**
 * The workflow's probability for the state a write enters, into `probabilityField`, unless
 * the write sets that field itself.
 */
export function withProbability(ctx: SaveContext, current: StoredRecord | null, input: Record<string, unknown>): Record<string, unknown> {
  const wf = workflowOf(ctx);
  const field = wf?.def.probabilityField;
  if (!wf || !field || field in input) return input;
  const state = (input[wf.field] ?? (current ? undefined : defaultState(ctx.object, wf))) as string | undefined;
  if (state === undefined || state === current?.values[wf.field]) return input;
  const probability = wf.states.get(state)?.probability;
  return probability === undefined ? input : { ...input, [field]: probability };
}

function defaultState(object: CompiledObject, wf: CompiledWorkflow): string | undefined {
  const def = object.fields.get(wf.field)?.def;
  return def && 'default' in def && typeof def.default === 'string' ? def.default : undefined;
}

/** A write that changes no field but must be made (an approval decision): the record at the next version, in history. */
export function touchPlan(ctx: SaveContext, current: StoredRecord, expectedVersion: number): WritePlan {
  const at = ctx.services.now().toISOString();
  const version = expectedVersion + 1;
  const record: StoredRecord = { ...current, version, updatedAt: at, updatedBy: ctx.actor.userId };
  return {
    op: 'update',
    object: ctx.object.name,
    id: current.id,
    record,
    expectedVersion,
    indexEntries: indexEntries(ctx.object, current.values, current.id),
    guardsToAdd: [],
    guardsToRemove: [],
    references: [],
    history: ctx.object.def.trackHistory === false ? null : { id: ctx.services.newId(), at, by: ctx.actor.userId, op: 'update', version, owner: current.owner, changes: {} },
    rollupDeltas: [],
    rollupRecompute: [],
  };
}

/** The plan with the workflow's marks on the record, its state-log item, history notes and the write's items. */
export function withWorkflow(ctx: SaveContext, plan: WritePlan, current: StoredRecord | null, write: WorkflowWrite | undefined): WritePlan {
  const record = plan.record!;
  const wf = workflowOf(ctx);
  if (!wf && !write && !current?.workflow) return plan;
  const { after: _done, ...kept } = current?.workflow ?? {};
  const mark: { -readonly [K in keyof RecordWorkflow]: RecordWorkflow[K] } = { ...kept };
  const items: Array<Record<string, unknown>> = [];
  if (wf) {
    const from = (current?.values[wf.field] as string | undefined) ?? null;
    const to = (record.values[wf.field] as string | undefined) ?? null;
    if (current === null || from !== to) {
      const at = record.updatedAt;
      if (to === null) {
        delete mark.state;
        delete mark.enteredAt;
      } else {
        mark.state = to;
        mark.enteredAt = at;
        const amount = wf.def.amountField ? record.values[wf.def.amountField] : undefined;
        items.push(
          stateChangeItem(ctx.actor.tenantId, ctx.object.name, {
            recordId: record.id,
            version: record.version,
            from,
            to,
            at,
            by: ctx.actor.userId,
            fromEnteredAt: from !== null && current?.workflow?.state === from ? (current.workflow.enteredAt ?? null) : null,
            transition: write?.transition?.name ?? null,
            owner: record.owner,
            amount: typeof amount === 'number' ? amount : null,
          }),
        );
      }
    }
  }
  if (write?.approval) {
    if (write.approval.mark) mark.approval = write.approval.mark;
    else delete mark.approval;
  }
  if (write?.after?.length) mark.after = { version: record.version, rules: [...write.after] };
  const history = plan.history && write ? { ...plan.history, ...(write.transition ? { transition: write.transition } : {}), ...(write.approval ? { approval: write.approval.event } : {}) } : plan.history;
  return {
    ...plan,
    record: Object.keys(mark).length ? { ...record, workflow: mark } : withoutWorkflow(record),
    history,
    alongside: [...(plan.alongside ?? []), ...items, ...(write?.items ?? [])],
  };
}

function withoutWorkflow(record: StoredRecord): StoredRecord {
  const { workflow: _gone, ...rest } = record;
  return rest;
}
