import type { ApprovalProcessDef, AutomationActionDef, AutomationRuleDef, Labels, MetadataBundle, TransitionDef, WorkflowDef, WorkflowStateDef } from '../metadata/types';
import { ConditionSet } from '../rules/conditions';

/*
 * Workflows and approval processes of a published bundle, compiled once per bundle (the
 * bundle is frozen and cached per tenant+version): each object's state machine with its
 * guards as condition sets, its approval processes, and the automation rules the platform
 * derives from them — SLA timers per state, and the after-save halves of transition and
 * approval actions — under names no tenant rule can have (`sla:…`, `transition:…`, `approval:…`).
 */

/** The fact (and time-trigger field) holding when a record entered its current state. */
export const STATE_ENTERED_AT = '$stateEnteredAt';

/** Transition actions that join the transition's own write; the others run after save, from the stream. */
export const IN_WRITE_ACTIONS: ReadonlyArray<AutomationActionDef['type']> = ['setField', 'assign'];
/** Approval outcome actions that join the approval's write: a transition too, so "approved" and its state move together. */
export const APPROVAL_IN_WRITE_ACTIONS: ReadonlyArray<AutomationActionDef['type']> = ['setField', 'assign', 'transition'];

export const APPROVAL_EVENTS = ['submitted', 'approved', 'rejected', 'recalled'] as const;
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];
const EVENT_ACTIONS: Record<ApprovalEvent, 'onSubmit' | 'onApprove' | 'onReject' | 'onRecall'> = { submitted: 'onSubmit', approved: 'onApprove', rejected: 'onReject', recalled: 'onRecall' };

export interface CompiledTransition {
  readonly def: TransitionDef;
  /** The states it leaves; null: any state. */
  readonly from: ReadonlySet<string> | null;
  readonly guards: ReadonlyArray<{ readonly set: ConditionSet<true>; readonly message: Labels }>;
  /** The transition's required fields and the target state's, once each. */
  readonly required: readonly string[];
  readonly inWrite: readonly AutomationActionDef[];
  /** Name of the derived after-save rule, when the transition has after-save actions. */
  readonly afterRule: string | null;
}

export interface CompiledWorkflow {
  readonly def: WorkflowDef;
  readonly object: string;
  readonly field: string;
  readonly states: ReadonlyMap<string, WorkflowStateDef>;
  /** State names in declaration order (the funnel's order). */
  readonly order: readonly string[];
  readonly initial: ReadonlySet<string>;
  readonly transitions: ReadonlyMap<string, CompiledTransition>;
}

interface Compiled {
  readonly workflows: ReadonlyMap<string, CompiledWorkflow>;
  readonly processes: ReadonlyMap<string, readonly ApprovalProcessDef[]>;
  /** Derived automation rules by name. */
  readonly rules: ReadonlyMap<string, AutomationRuleDef>;
  readonly slaByObject: ReadonlyMap<string, readonly AutomationRuleDef[]>;
}

const active = <T extends { active?: boolean }>(x: T) => x.active !== false;

export const transitionRuleName = (workflow: string, transition: string) => `transition:${workflow}:${transition}`;
export const approvalRuleName = (process: string, event: ApprovalEvent) => `approval:${process}:${event}`;
export const slaRuleName = (workflow: string, state: string, sla: string) => `sla:${workflow}:${state}:${sla}`;

/** The actions of an approval process for an event, split into the write's own and the after-save ones. */
export function approvalActions(process: ApprovalProcessDef, event: ApprovalEvent): { inWrite: AutomationActionDef[]; after: AutomationActionDef[] } {
  const all = process[EVENT_ACTIONS[event]] ?? [];
  return { inWrite: all.filter((a) => APPROVAL_IN_WRITE_ACTIONS.includes(a.type)), after: all.filter((a) => !APPROVAL_IN_WRITE_ACTIONS.includes(a.type)) };
}

function initialStates(bundle: MetadataBundle, wf: WorkflowDef): string[] {
  if (wf.initial?.length) return wf.initial;
  const field = bundle.objects.find((o) => o.name === wf.object)?.fields.find((f) => f.name === wf.field);
  const byDefault = field && 'default' in field && typeof field.default === 'string' ? field.default : undefined;
  return byDefault ? [byDefault] : wf.states[0] ? [wf.states[0].name] : [];
}

function compileOne(bundle: MetadataBundle, wf: WorkflowDef, rules: Map<string, AutomationRuleDef>, sla: AutomationRuleDef[]): CompiledWorkflow {
  const states = new Map(wf.states.map((s) => [s.name, s] as const));
  const transitions = new Map<string, CompiledTransition>();
  for (const t of wf.transitions) {
    const after = (t.actions ?? []).filter((a) => !IN_WRITE_ACTIONS.includes(a.type));
    const afterRule = after.length ? transitionRuleName(wf.name, t.name) : null;
    if (afterRule) rules.set(afterRule, { name: afterRule, object: wf.object, trigger: { on: 'updated' }, timing: 'after', actions: after });
    transitions.set(t.name, {
      def: t,
      from: t.from.includes('*') ? null : new Set(t.from),
      guards: (t.guards ?? []).map((g) => ({ set: new ConditionSet([{ conditions: g.conditions, payload: true as const }]), message: g.message })),
      required: [...new Set([...(t.requiredFields ?? []), ...(states.get(t.to)?.requiredFields ?? [])])],
      inWrite: (t.actions ?? []).filter((a) => IN_WRITE_ACTIONS.includes(a.type)),
      afterRule,
    });
  }
  for (const state of wf.states) {
    for (const level of state.sla ?? []) {
      const name = slaRuleName(wf.name, state.name, level.name);
      const inState = { fact: wf.field, operator: 'equal', value: state.name };
      const rule: AutomationRuleDef = {
        name,
        object: wf.object,
        trigger: { on: 'time', field: STATE_ENTERED_AT, offset: level.after },
        conditions: { all: [inState, ...(level.conditions ? [level.conditions] : [])] },
        timing: 'after',
        actions: level.actions,
      };
      rules.set(name, rule);
      sla.push(rule);
    }
  }
  return { def: wf, object: wf.object, field: wf.field, states, order: wf.states.map((s) => s.name), initial: new Set(initialStates(bundle, wf)), transitions };
}

const cache = new WeakMap<MetadataBundle, Compiled>();

function compiled(bundle: MetadataBundle): Compiled {
  let hit = cache.get(bundle);
  if (hit) return hit;
  const workflows = new Map<string, CompiledWorkflow>();
  const rules = new Map<string, AutomationRuleDef>();
  const slaByObject = new Map<string, AutomationRuleDef[]>();
  for (const wf of (bundle.workflows ?? []).filter(active)) {
    // One workflow per object (validation says so); the first wins should a draft say otherwise.
    if (workflows.has(wf.object)) continue;
    const sla: AutomationRuleDef[] = [];
    workflows.set(wf.object, compileOne(bundle, wf, rules, sla));
    slaByObject.set(wf.object, sla);
  }
  const processes = new Map<string, ApprovalProcessDef[]>();
  for (const p of (bundle.approvalProcesses ?? []).filter(active)) {
    processes.set(p.object, [...(processes.get(p.object) ?? []), p]);
    for (const event of ['submitted', 'approved', 'rejected', 'recalled'] as const) {
      const { after } = approvalActions(p, event);
      if (after.length) rules.set(approvalRuleName(p.name, event), { name: approvalRuleName(p.name, event), object: p.object, trigger: { on: 'updated' }, timing: 'after', actions: after });
    }
  }
  hit = { workflows, processes, rules, slaByObject };
  cache.set(bundle, hit);
  return hit;
}

/** The active workflow governing one of the object's fields, or null. */
export const objectWorkflow = (bundle: MetadataBundle, object: string): CompiledWorkflow | null => compiled(bundle).workflows.get(object) ?? null;

/** The object's active approval processes, in declaration order. */
export const approvalProcessesOf = (bundle: MetadataBundle, object: string): readonly ApprovalProcessDef[] => compiled(bundle).processes.get(object) ?? [];

/** The SLA levels of the object's workflow as time-triggered rules on `$stateEnteredAt` (the timers keep them). */
export const slaRules = (bundle: MetadataBundle, object: string): readonly AutomationRuleDef[] => compiled(bundle).slaByObject.get(object) ?? [];

/** A rule the platform derived from a workflow or an approval process, by name (the stream, the tick and retries find them here). */
export const workflowRule = (bundle: MetadataBundle, name: string): AutomationRuleDef | null => compiled(bundle).rules.get(name) ?? null;

/** Whether a value is blank as required fields see it. */
export const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
