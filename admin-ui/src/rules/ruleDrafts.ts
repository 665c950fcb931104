/**
 * Pure helpers of the rule editors: fresh rules and actions that start valid where they can,
 * which fields an action may write and a timed trigger may count from, and how a before-save
 * rule narrows the action types. The engine's field registry decides what is writable.
 */
import { fieldType } from '../../../functions/engine/fields';
import { BEFORE_SAVE_ACTIONS } from '../../../functions/engine/rules/ruleProblems';
import { API_NAME } from '../../../functions/engine/metadata/types';
import type { ActionValue, AutomationActionDef, AutomationRuleDef, AutomationTriggerDef, FieldDef, MetadataBundle, ObjectDef } from '../types';

export const ACTION_TYPES = ['setField', 'assign', 'createRecord', 'notify', 'webhook', 'transition'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const TRIGGERS = ['created', 'updated', 'createdOrUpdated', 'deleted', 'time'] as const;

/** Fields an action may set: not system fields, formulas, roll-ups or auto-numbers. */
export function writableFields(object: ObjectDef | undefined): FieldDef[] {
  return (object?.fields ?? []).filter((f) => fieldType(f).writable);
}

/** Fields a timed trigger may count from: dates and datetimes (date formulas too), and the record's creation and update times. */
export function dateFields(object: ObjectDef | undefined): string[] {
  const own = (object?.fields ?? []).filter((f) => f.type === 'date' || f.type === 'datetime' || (f.type === 'formula' && f.returnType === 'date')).map((f) => f.name);
  return [...own, 'created_at', 'updated_at'];
}

/** Action types a rule may use: a before-save rule only changes the record being saved. */
export function actionTypesFor(timing: AutomationRuleDef['timing'], bundle: MetadataBundle, object: string): ActionType[] {
  const hasWorkflow = ((bundle as { workflows?: Array<{ object: string }> }).workflows ?? []).some((w) => w.object === object);
  const all = ACTION_TYPES.filter((t) => t !== 'transition' || hasWorkflow);
  return (timing ?? 'after') === 'before' ? all.filter((t) => (BEFORE_SAVE_ACTIONS as readonly string[]).includes(t)) : all;
}

/**
 * A new action of a type. A created record starts with its required fields that have no
 * default, and a required lookup back to the triggering object is filled with the record's id.
 */
export function emptyAction(type: ActionType, object: ObjectDef, bundle: MetadataBundle, createObject?: string): AutomationActionDef {
  switch (type) {
    case 'setField': return { type, field: '', to: { value: null } };
    case 'assign': return { type, assignee: { type: 'ownerManager' } };
    case 'createRecord': {
      const created = bundle.objects.find((o) => o.name === createObject);
      const values: Record<string, ActionValue> = {};
      for (const f of writableFields(created)) {
        if (f.type === 'lookup' && f.target === object.name) values[f.name] = { field: 'id' };
        else if (f.required && !('default' in f && f.default !== undefined)) values[f.name] = { value: null };
      }
      return { type, object: createObject ?? '', values };
    }
    case 'notify': return { type, to: [{ owner: true }], message: { en: '' } };
    case 'webhook': return { type, webhook: (bundle.webhooks ?? []).find((w) => w.object === object.name)?.name ?? '' };
    default: return { type, transition: '' } as unknown as AutomationActionDef;
  }
}

/** A trigger of another kind, keeping the changed fields when both kinds have them. */
export function triggerOf(on: (typeof TRIGGERS)[number], previous: AutomationTriggerDef, object: ObjectDef | undefined): AutomationTriggerDef {
  if (on === 'time') return previous.on === 'time' ? previous : { on, field: dateFields(object)[0] ?? 'created_at', offset: { days: 1 } };
  const fields = previous.on !== 'time' ? previous.fields : undefined;
  return on === 'deleted' || !fields?.length ? { on } : { on, fields };
}

/** A new automation rule on an object: after save, on create, no actions yet. */
export function newAutomationRule(object: string): AutomationRuleDef {
  return { name: '', object, trigger: { on: 'created' }, actions: [] };
}

/** Drops what the editors leave empty (no description, no conditions, no changed-field list) so the draft holds only what was set. */
export function cleanRule<T extends { description?: Record<string, string | undefined>; conditions?: unknown }>(rule: T): T {
  const out = { ...rule };
  if (out.description && !Object.values(out.description).some(Boolean)) delete out.description;
  if (out.conditions === undefined) delete out.conditions;
  return out;
}

/** Why a rule's API name cannot be saved (`nameInvalid`, `nameTaken`), or null; `index` is the rule's own position (-1 when new). */
export function nameProblem(name: string, names: readonly string[], index: number): 'nameInvalid' | 'nameTaken' | null {
  if (!API_NAME.test(name)) return 'nameInvalid';
  return names.some((n, i) => n === name && i !== index) ? 'nameTaken' : null;
}
