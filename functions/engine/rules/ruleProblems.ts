import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { ActionValue, AssigneeDef, AutomationActionDef, AutomationRuleDef, FieldDef, MetadataBundle, ObjectDef } from '../metadata/types';
import { BUILT_IN_ADMIN, SYSTEM_FIELDS } from '../metadata/types';
import { conditionProblems } from './conditions';

/*
 * Semantic checks of validation, assignment and automation rules: everything the meta-schema
 * cannot know — the objects, fields, roles and webhooks rules name, whether an operator fits
 * a field, whether an action may write the field it names and with a value that fits.
 * Nothing with a problem is published.
 */

/** Whether a literal value fits a field (the field type's own value schema decides). */
export type ValueCheck = (field: FieldDef, value: unknown) => boolean;

/** Actions a before-save rule may run: they change the record being saved, nothing else. */
export const BEFORE_SAVE_ACTIONS: ReadonlyArray<AutomationActionDef['type']> = ['setField', 'assign'];

/** Before-save rules per object: their runs are committed with the write, inside DynamoDB's 100-item transaction. */
export const MAX_BEFORE_SAVE_RULES = 20;

const DATE_SYSTEM_FIELDS = new Set(['created_at', 'updated_at']);

const defaultOf = (object: ObjectDef, field: string): string | undefined => {
  const def = object.fields.find((f) => f.name === field);
  return def && 'default' in def && typeof def.default === 'string' ? def.default : undefined;
};

function duplicates(names: readonly string[], path: string, what: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  names.forEach((name, i) => {
    if (seen.has(name)) problems.push({ path: `${path}/${i}/name`, code: 'duplicate', message: `${what} "${name}" is already used`, params: { name } });
    seen.add(name);
  });
  return problems;
}

const roleNames = (bundle: MetadataBundle) => new Set([BUILT_IN_ADMIN, ...(bundle.roles ?? []).map((r) => r.name)]);

function objectAt(bundle: MetadataBundle, name: string, path: string, problems: Problem[]): ObjectDef | null {
  const object = bundle.objects.find((o) => o.name === name);
  if (!object) problems.push({ path, code: 'unknownObject', message: `there is no object "${name}"`, params: { object: name } });
  return object ?? null;
}

function fieldAt(object: ObjectDef, name: string, path: string, problems: Problem[]): FieldDef | null {
  const field = object.fields.find((f) => f.name === name);
  if (!field && !(SYSTEM_FIELDS as readonly string[]).includes(name)) problems.push({ path, code: 'unknownField', message: `"${name}" is not a field of ${object.name}`, params: { field: name, object: object.name } });
  return field ?? null;
}

function roleProblems(bundle: MetadataBundle, role: string | undefined, path: string): Problem[] {
  return role !== undefined && !roleNames(bundle).has(role) ? [{ path, code: 'unknownRole', message: `there is no role "${role}"`, params: { role } }] : [];
}

function assigneeProblems(bundle: MetadataBundle, object: ObjectDef, assignee: AssigneeDef, path: string): Problem[] {
  const problems: Problem[] = [];
  if (assignee.type === 'roundRobin' || assignee.type === 'leastLoaded') {
    problems.push(...roleProblems(bundle, assignee.role, `${path}/role`));
    if (assignee.role && assignee.team) problems.push({ path, code: 'ambiguous', message: 'name a role or a team, not both' });
    if (assignee.type === 'leastLoaded') {
      if (!assignee.role && !assignee.team) problems.push({ path, code: 'required', message: 'least-loaded assignment needs a role or a team', params: { field: 'role' } });
      if (assignee.open) problems.push(...conditionProblems(assignee.open, object, `${path}/open`));
    }
  }
  return problems;
}

/** A value an action writes into `target`: a literal that fits it, a field of the source, or a time for a date. */
function valueProblems(to: ActionValue, target: FieldDef, source: ObjectDef, path: string, fits: ValueCheck): Problem[] {
  if ('value' in to) {
    if (to.value === null) return target.required ? [{ path: `${path}/value`, code: 'required', message: `${target.name} is required and cannot be cleared`, params: { field: target.name } }] : [];
    return fits(target, to.value) ? [] : [{ path: `${path}/value`, code: 'valueMismatch', message: `the value does not fit ${target.name} (${target.type})`, params: { field: target.name, type: target.type } }];
  }
  if ('field' in to) {
    const problems: Problem[] = [];
    const from = fieldAt(source, to.field, `${path}/field`, problems);
    if (from && from.type !== target.type && !(fieldType(from).widget === fieldType(target).widget)) {
      problems.push({ path: `${path}/field`, code: 'valueMismatch', message: `${from.name} (${from.type}) does not fit ${target.name} (${target.type})`, params: { field: target.name } });
    }
    return problems;
  }
  return target.type === 'date' || target.type === 'datetime' ? [] : [{ path, code: 'valueMismatch', message: `a time fits only a date or datetime field, not ${target.type}`, params: { field: target.name } }];
}

/** A field an action writes: it exists and is writable (not system, formula, roll-up or auto-number). */
function writableField(object: ObjectDef, name: string, path: string, problems: Problem[]): FieldDef | null {
  const field = fieldAt(object, name, path, problems);
  if ((SYSTEM_FIELDS as readonly string[]).includes(name)) {
    problems.push({ path, code: 'readOnly', message: `${name} is a system field${name === 'owner' ? '; use an assign action' : ''}`, params: { field: name } });
    return null;
  }
  if (field && !fieldType(field).writable) {
    problems.push({ path, code: 'readOnly', message: `${name} is a ${field.type} field and is computed, not set`, params: { field: name } });
    return null;
  }
  return field;
}

/** The field of `object` a workflow governs, if any: actions move it with transitions, never with setField. */
function governedField(bundle: MetadataBundle, object: string): string | null {
  return (bundle.workflows ?? []).find((w) => w.object === object && w.active !== false)?.field ?? null;
}

/** Problems of one action of a rule — or of a workflow's transition, SLA or approval process, which take the same actions. */
export function actionProblems(bundle: MetadataBundle, object: ObjectDef, rule: Pick<AutomationRuleDef, 'timing'>, action: AutomationActionDef, path: string, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  if ((rule.timing ?? 'after') === 'before' && !BEFORE_SAVE_ACTIONS.includes(action.type)) {
    problems.push({ path: `${path}/type`, code: 'notBeforeSave', message: `a before-save rule may only set fields and assign; ${action.type} runs after save`, params: { allowed: BEFORE_SAVE_ACTIONS } });
  }
  switch (action.type) {
    case 'setField': {
      if (governedField(bundle, object.name) === action.field) {
        problems.push({ path: `${path}/field`, code: 'governedField', message: `a workflow governs ${action.field}: use a transition action`, params: { field: action.field } });
        break;
      }
      const target = writableField(object, action.field, `${path}/field`, problems);
      if (target) problems.push(...valueProblems(action.to, target, object, `${path}/to`, fits));
      break;
    }
    case 'assign':
      problems.push(...assigneeProblems(bundle, object, action.assignee, `${path}/assignee`));
      break;
    case 'createRecord': {
      const created = objectAt(bundle, action.object, `${path}/object`, problems);
      if (!created) break;
      for (const [name, to] of Object.entries(action.values)) {
        const target = writableField(created, name, `${path}/values${pointer(name)}`, problems);
        if (target) problems.push(...valueProblems(to, target, object, `${path}/values${pointer(name)}`, fits));
      }
      const wf = (bundle.workflows ?? []).find((w) => w.object === created.name && w.active !== false);
      const start = wf ? action.values[wf.field] : undefined;
      if (wf && start && 'value' in start && typeof start.value === 'string' && !(wf.initial ?? [defaultOf(created, wf.field) ?? wf.states[0]?.name]).includes(start.value)) {
        problems.push({ path: `${path}/values${pointer(wf.field)}/value`, code: 'initialState', message: `${created.name} records start in ${(wf.initial ?? []).join(', ') || 'their default state'}, not ${start.value}`, params: { field: wf.field } });
      }
      for (const field of created.fields) {
        if (field.required && !('default' in field && field.default !== undefined) && fieldType(field).writable && !(field.name in action.values)) {
          problems.push({ path: `${path}/values`, code: 'required', message: `${created.name}.${field.name} is required and has no default`, params: { field: field.name } });
        }
      }
      break;
    }
    case 'notify':
      action.to.forEach((to, i) => {
        if ('role' in to) problems.push(...roleProblems(bundle, to.role, `${path}/to/${i}/role`));
      });
      break;
    case 'transition': {
      const wf = (bundle.workflows ?? []).find((w) => w.object === object.name && w.active !== false);
      if (!wf) problems.push({ path: `${path}/transition`, code: 'noWorkflow', message: `${object.name} has no workflow to transition`, params: { object: object.name } });
      else if (!wf.transitions.some((t) => t.name === action.transition)) problems.push({ path: `${path}/transition`, code: 'unknownTransition', message: `workflow ${wf.name} has no transition "${action.transition}"`, params: { transition: action.transition } });
      break;
    }
    case 'webhook':
      if (!(bundle.webhooks ?? []).some((w) => w.name === action.webhook)) problems.push({ path: `${path}/webhook`, code: 'unknownWebhook', message: `there is no webhook "${action.webhook}"`, params: { webhook: action.webhook } });
      break;
  }
  return problems;
}

function automationProblems(bundle: MetadataBundle, rule: AutomationRuleDef, path: string, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  const object = objectAt(bundle, rule.object, `${path}/object`, problems);
  if (!object) return problems;
  const t = rule.trigger;
  if (t.on === 'time') {
    const field = fieldAt(object, t.field, `${path}/trigger/field`, problems);
    const isDate = field ? field.type === 'date' || field.type === 'datetime' || (field.type === 'formula' && field.returnType === 'date') : DATE_SYSTEM_FIELDS.has(t.field);
    if ((field || (SYSTEM_FIELDS as readonly string[]).includes(t.field)) && !isDate) problems.push({ path: `${path}/trigger/field`, code: 'notADate', message: `${t.field} is not a date or datetime field`, params: { field: t.field } });
    if (t.offset.business && t.offset.before) problems.push({ path: `${path}/trigger/offset`, code: 'notSupported', message: 'business-hour offsets count forwards from the date' });
    if (t.offset.business && !bundle.settings?.businessHours) problems.push({ path: `${path}/trigger/offset/business`, code: 'noBusinessHours', message: 'the tenant has no business hours (settings.businessHours)' });
  } else t.fields?.forEach((f, i) => fieldAt(object, f, `${path}/trigger/fields/${i}`, problems));
  if ((rule.timing ?? 'after') === 'before' && (t.on === 'deleted' || t.on === 'time')) {
    problems.push({ path: `${path}/timing`, code: 'notBeforeSave', message: `a ${t.on === 'time' ? 'timed' : 'delete'} rule runs after the fact; use timing "after"` });
  }
  if (rule.conditions) problems.push(...conditionProblems(rule.conditions, object, `${path}/conditions`));
  rule.actions.forEach((a, i) => problems.push(...actionProblems(bundle, object, rule, a, `${path}/actions/${i}`, fits)));
  return problems;
}

/** Every problem of the bundle's rules, at JSON pointers into the bundle. */
export function rulesProblems(bundle: MetadataBundle, fits: ValueCheck): Problem[] {
  const problems: Problem[] = [];
  const validation = bundle.validationRules ?? [];
  problems.push(...duplicates(validation.map((r) => r.name), '/validationRules', 'validation rule'));
  validation.forEach((rule, i) => {
    const path = `/validationRules/${i}`;
    const object = objectAt(bundle, rule.object, `${path}/object`, problems);
    if (!object) return;
    problems.push(...conditionProblems(rule.conditions, object, `${path}/conditions`));
    if (rule.field) fieldAt(object, rule.field, `${path}/field`, problems);
    rule.bypassRoles?.forEach((r, j) => problems.push(...roleProblems(bundle, r, `${path}/bypassRoles/${j}`)));
  });

  const sets = bundle.assignmentRules ?? [];
  const seenObjects = new Set<string>();
  sets.forEach((set, i) => {
    const path = `/assignmentRules/${i}`;
    if (seenObjects.has(set.object)) problems.push({ path: `${path}/object`, code: 'duplicate', message: `${set.object} already has assignment rules; an object has one ordered set`, params: { object: set.object } });
    seenObjects.add(set.object);
    const object = objectAt(bundle, set.object, `${path}/object`, problems);
    if (!object) return;
    problems.push(...duplicates(set.entries.map((e) => e.name), `${path}/entries`, 'assignment entry'));
    set.entries.forEach((entry, j) => {
      if (entry.conditions) problems.push(...conditionProblems(entry.conditions, object, `${path}/entries/${j}/conditions`));
      problems.push(...assigneeProblems(bundle, object, entry.assignee, `${path}/entries/${j}/assignee`));
    });
  });

  const automation = bundle.automationRules ?? [];
  problems.push(...duplicates(automation.map((r) => r.name), '/automationRules', 'automation rule'));
  // Each before-save rule that runs is recorded in the write's own transaction (100 items at most).
  const beforeCount = new Map<string, number>();
  automation.forEach((rule, i) => {
    if ((rule.timing ?? 'after') !== 'before') return;
    const n = (beforeCount.get(rule.object) ?? 0) + 1;
    beforeCount.set(rule.object, n);
    if (n === MAX_BEFORE_SAVE_RULES + 1) problems.push({ path: `/automationRules/${i}/timing`, code: 'tooMany', message: `${rule.object} has more than ${MAX_BEFORE_SAVE_RULES} before-save rules; combine them or run some after save`, params: { limit: MAX_BEFORE_SAVE_RULES } });
  });
  automation.forEach((rule, i) => problems.push(...automationProblems(bundle, rule, `/automationRules/${i}`, fits)));
  return problems;
}
