import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { ApprovalProcessDef, AutomationActionDef, FieldDef, MetadataBundle, ObjectDef, WorkflowDef } from '../metadata/types';
import { BUILT_IN_ADMIN } from '../metadata/types';
import { computeAccess } from '../permissions/access';
import { conditionProblems } from '../rules/conditions';
import { actionProblems } from '../rules/ruleProblems';
import type { ValueCheck } from '../rules/ruleProblems';

/*
 * Semantic checks of workflows and approval processes — what the meta-schema cannot know:
 * the field is a picklist and the states are its options, transitions lead from and to
 * states that exist, every state can be reached from an initial one, guards and actions fit
 * the object, and every approval step has someone who could approve it.
 */

const NUMERIC = new Set(['number', 'currency', 'percent']);

function duplicates(names: readonly string[], path: string, what: string): Problem[] {
  const seen = new Set<string>();
  return names.flatMap((name, i) => {
    const dup = seen.has(name);
    seen.add(name);
    return dup ? [{ path: `${path}/${i}/name`, code: 'duplicate', message: `${what} "${name}" is already used`, params: { name } }] : [];
  });
}

const roleNames = (bundle: MetadataBundle) => new Set([BUILT_IN_ADMIN, ...(bundle.roles ?? []).map((r) => r.name)]);

function fieldNamed(object: ObjectDef, name: string, path: string, problems: Problem[]): FieldDef | null {
  const field = object.fields.find((f) => f.name === name) ?? null;
  if (!field) problems.push({ path, code: 'unknownField', message: `"${name}" is not a field of ${object.name}`, params: { field: name, object: object.name } });
  return field;
}

function actionsProblems(bundle: MetadataBundle, object: ObjectDef, actions: readonly AutomationActionDef[] | undefined, path: string, fits: ValueCheck): Problem[] {
  return (actions ?? []).flatMap((a, i) => actionProblems(bundle, object, { timing: 'after' }, a, `${path}/${i}`, fits));
}

/** States no transition chain reaches from an initial state. */
function unreachable(wf: WorkflowDef, initial: readonly string[]): Set<string> {
  const reached = new Set(initial);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of wf.transitions) {
      if (reached.has(t.to)) continue;
      if (t.from.includes('*') ? reached.size > 0 : t.from.some((f) => reached.has(f))) {
        reached.add(t.to);
        changed = true;
      }
    }
  }
  return new Set(wf.states.map((s) => s.name).filter((s) => !reached.has(s)));
}

function workflowProblems(bundle: MetadataBundle, wf: WorkflowDef, path: string, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  const object = bundle.objects.find((o) => o.name === wf.object);
  if (!object) return [{ path: `${path}/object`, code: 'unknownObject', message: `there is no object "${wf.object}"`, params: { object: wf.object } }];
  const field = fieldNamed(object, wf.field, `${path}/field`, problems);
  if (field && field.type !== 'picklist') problems.push({ path: `${path}/field`, code: 'notAPicklist', message: `a workflow runs on a picklist field; ${wf.field} is ${field.type}`, params: { field: wf.field, type: field.type } });
  const options = field?.type === 'picklist' ? field.options : null;
  const states = new Set(wf.states.map((s) => s.name));
  const known = (state: string, at: string) => {
    if (!states.has(state)) problems.push({ path: at, code: 'unknownState', message: `"${state}" is not a state of workflow ${wf.name}`, params: { state } });
  };

  problems.push(...duplicates(wf.states.map((s) => s.name), `${path}/states`, 'state'));
  wf.states.forEach((state, i) => {
    const at = `${path}/states/${i}`;
    if (options && !options.some((o) => o.value === state.name)) problems.push({ path: `${at}/name`, code: 'unknownState', message: `"${state.name}" is not an option of ${wf.field}`, params: { state: state.name, field: wf.field } });
    state.requiredFields?.forEach((f, j) => fieldNamed(object, f, `${at}/requiredFields/${j}`, problems));
    problems.push(...duplicates((state.sla ?? []).map((s) => s.name), `${at}/sla`, 'service level'));
    (state.sla ?? []).forEach((level, j) => {
      const slaPath = `${at}/sla/${j}`;
      if (level.after.business && !bundle.settings?.businessHours) problems.push({ path: `${slaPath}/after/business`, code: 'noBusinessHours', message: 'the tenant has no business hours (settings.businessHours)' });
      if (level.conditions) problems.push(...conditionProblems(level.conditions, object, `${slaPath}/conditions`));
      problems.push(...actionsProblems(bundle, object, level.actions, `${slaPath}/actions`, fits));
    });
  });
  if (options) {
    options.forEach((o) => {
      if (!o.inactive && !states.has(o.value)) problems.push({ path: `${path}/states`, code: 'missingState', message: `${wf.field} option "${o.value}" is not a state of the workflow`, params: { state: o.value } });
    });
  }

  const fieldDefault = field && 'default' in field && typeof field.default === 'string' ? field.default : undefined;
  const initial = wf.initial?.length ? wf.initial : fieldDefault ? [fieldDefault] : wf.states[0] ? [wf.states[0].name] : [];
  wf.initial?.forEach((s, i) => known(s, `${path}/initial/${i}`));
  if (field && fieldDefault !== undefined && !initial.includes(fieldDefault)) {
    problems.push({ path: `${path}/initial`, code: 'initialState', message: `${wf.field} defaults to ${fieldDefault}, which is not an initial state`, params: { field: wf.field } });
  }
  if (field && fieldDefault === undefined && !field.required) {
    problems.push({ path: `${path}/field`, code: 'initialState', message: `${wf.field} needs a default (an initial state) or must be required, or records could start outside the workflow`, params: { field: wf.field } });
  }
  for (const [key, allowed] of [['probabilityField', new Set(['number', 'percent'])], ['amountField', NUMERIC]] as const) {
    const name = wf[key];
    if (name === undefined) continue;
    const f = fieldNamed(object, name, `${path}/${key}`, problems);
    if (f && (!allowed.has(f.type) || (key === 'probabilityField' && !fieldType(f).writable))) {
      problems.push({ path: `${path}/${key}`, code: 'type', message: `${key} must be a ${[...allowed].join(' or ')} field${key === 'probabilityField' ? ' that can be written' : ''}; ${name} is ${f.type}`, params: { field: name } });
    }
  }

  problems.push(...duplicates(wf.transitions.map((t) => t.name), `${path}/transitions`, 'transition'));
  const roles = roleNames(bundle);
  wf.transitions.forEach((t, i) => {
    const at = `${path}/transitions/${i}`;
    t.from.forEach((s, j) => s !== '*' && known(s, `${at}/from/${j}`));
    known(t.to, `${at}/to`);
    t.roles?.forEach((r, j) => {
      if (!roles.has(r)) problems.push({ path: `${at}/roles/${j}`, code: 'unknownRole', message: `there is no role "${r}"`, params: { role: r } });
    });
    t.guards?.forEach((g, j) => problems.push(...conditionProblems(g.conditions, object, `${at}/guards/${j}/conditions`)));
    t.requiredFields?.forEach((f, j) => fieldNamed(object, f, `${at}/requiredFields/${j}`, problems));
    problems.push(...actionsProblems(bundle, object, t.actions, `${at}/actions`, fits));
  });
  if (!problems.some((p) => p.code === 'unknownState')) {
    wf.states.forEach((s, i) => {
      if (unreachable(wf, initial).has(s.name)) problems.push({ path: `${path}/states/${i}/name`, code: 'unreachable', message: `no transition leads to ${s.name} from an initial state (${initial.join(', ')})`, params: { state: s.name } });
    });
  }
  return problems;
}

function processProblems(bundle: MetadataBundle, process: ApprovalProcessDef, path: string, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  const object = bundle.objects.find((o) => o.name === process.object);
  if (!object) return [{ path: `${path}/object`, code: 'unknownObject', message: `there is no object "${process.object}"`, params: { object: process.object } }];
  const roles = roleNames(bundle);
  const unknownRole = (r: string, at: string) => {
    if (roles.has(r)) return false;
    problems.push({ path: at, code: 'unknownRole', message: `there is no role "${r}"`, params: { role: r } });
    return true;
  };
  if (process.entryConditions) problems.push(...conditionProblems(process.entryConditions, object, `${path}/entryConditions`));
  process.submitterRoles?.forEach((r, i) => unknownRole(r, `${path}/submitterRoles/${i}`));
  problems.push(...duplicates(process.steps.map((s) => s.name), `${path}/steps`, 'step'));
  process.steps.forEach((step, i) => {
    const at = `${path}/steps/${i}`;
    if (step.conditions) problems.push(...conditionProblems(step.conditions, object, `${at}/conditions`));
    // An approver must be able to read what they approve: a role that may not read the object asks nobody.
    if (step.approvers.length === 0) problems.push({ path: `${at}/approvers`, code: 'noPossibleApprover', message: `nobody can approve step ${step.name}: it names no approvers`, params: { step: step.name } });
    step.approvers.forEach((a, j) => {
      if (a.type !== 'role' || unknownRole(a.role, `${at}/approvers/${j}/role`)) return;
      if (a.role !== BUILT_IN_ADMIN && !computeAccess(bundle, [a.role]).object(object.name).can.read) {
        problems.push({ path: `${at}/approvers/${j}/role`, code: 'noPossibleApprover', message: `holders of ${a.role} may not read ${object.name} records, so they cannot approve one`, params: { role: a.role, object: object.name } });
      }
    });
  });
  for (const key of ['onSubmit', 'onApprove', 'onReject', 'onRecall'] as const) problems.push(...actionsProblems(bundle, object, process[key], `${path}/${key}`, fits));
  // A transition among an outcome's actions joins the approval's write: at most one per outcome.
  for (const key of ['onSubmit', 'onApprove', 'onReject', 'onRecall'] as const) {
    const transitions = (process[key] ?? []).map((a, i) => [a, i] as const).filter(([a]) => a.type === 'transition');
    if (transitions.length > 1) problems.push({ path: `${path}/${key}/${transitions[1]![1]}`, code: 'tooMany', message: 'an approval outcome makes at most one transition', params: { limit: 1 } });
  }
  return problems;
}

/** Every problem of the bundle's workflows and approval processes, at JSON pointers into the bundle. */
export function workflowsProblems(bundle: MetadataBundle, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  const workflows = bundle.workflows ?? [];
  problems.push(...duplicates(workflows.map((w) => w.name), '/workflows', 'workflow'));
  const governed = new Set<string>();
  workflows.forEach((wf, i) => {
    if (wf.active !== false) {
      if (governed.has(wf.object)) problems.push({ path: `/workflows/${i}/object`, code: 'duplicate', message: `${wf.object} already has a workflow; an object has one`, params: { object: wf.object } });
      governed.add(wf.object);
    }
    problems.push(...workflowProblems(bundle, wf, pointer('workflows', i), fits));
  });
  const processes = bundle.approvalProcesses ?? [];
  problems.push(...duplicates(processes.map((p) => p.name), '/approvalProcesses', 'approval process'));
  processes.forEach((p, i) => problems.push(...processProblems(bundle, p, pointer('approvalProcesses', i), fits)));
  return problems;
}
