import type { Problem } from '../errors';
import { pointer } from '../errors';
import type { AssignmentEntryDef, AssignmentRuleSetDef, AutomationRuleDef, MetadataBundle, ValidationRuleDef } from '../metadata/types';
import { ConditionSet } from './conditions';
import { slaRules } from '../workflows/compileWorkflow';

/*
 * The rules of one object, compiled once per published bundle: each kind's conditions in one
 * json-rules-engine, split by the event they react to, so a write evaluates only the rules
 * its event can fire — in declaration order.
 */

export type ChangeEvent = 'created' | 'updated' | 'deleted';

export interface ObjectRules {
  readonly validation: ConditionSet<ValidationRuleDef>;
  readonly assignment: { readonly set: AssignmentRuleSetDef; readonly entries: ConditionSet<AssignmentEntryDef> } | null;
  /** Before-save automation by event (created, updated). */
  readonly before: Readonly<Record<'created' | 'updated', ConditionSet<AutomationRuleDef>>>;
  /** After-save automation by event. */
  readonly after: Readonly<Record<ChangeEvent, ConditionSet<AutomationRuleDef>>>;
  /** Time-triggered rules (with the workflow's SLA levels): each keeps one timer per record while its conditions hold. */
  readonly timed: readonly AutomationRuleDef[];
  /** Whether any rule of the object reacts to changes after save (the stream consumer's first question). */
  readonly anyAfter: boolean;
}

const active = <T extends { active?: boolean }>(x: T) => x.active !== false;

/** Whether a change-triggered rule fires for an event that changed `changed`. */
export function triggerFires(rule: AutomationRuleDef, event: ChangeEvent, changed: readonly string[]): boolean {
  const t = rule.trigger;
  if (t.on === 'time') return false;
  const fits = t.on === event || (t.on === 'createdOrUpdated' && event !== 'deleted');
  if (!fits) return false;
  if (event === 'updated' && t.fields?.length) return t.fields.some((f) => changed.includes(f));
  return true;
}

const cache = new WeakMap<MetadataBundle, Map<string, ObjectRules>>();

export function objectRules(bundle: MetadataBundle, object: string): ObjectRules {
  let perBundle = cache.get(bundle);
  if (!perBundle) cache.set(bundle, (perBundle = new Map()));
  let rules = perBundle.get(object);
  if (!rules) perBundle.set(object, (rules = compile(bundle, object)));
  return rules;
}

function compile(bundle: MetadataBundle, object: string): ObjectRules {
  const validation = (bundle.validationRules ?? []).filter((r) => r.object === object && active(r));
  const set = (bundle.assignmentRules ?? []).find((r) => r.object === object && active(r)) ?? null;
  const automation = (bundle.automationRules ?? []).filter((r) => r.object === object && active(r));
  const byEvent = (timing: 'before' | 'after', event: ChangeEvent) =>
    new ConditionSet(
      automation
        .filter((r) => (r.timing ?? 'after') === timing && r.trigger.on !== 'time')
        .filter((r) => r.trigger.on === event || (r.trigger.on === 'createdOrUpdated' && event !== 'deleted'))
        .map((r) => ({ conditions: r.conditions, payload: r })),
    );
  const after = { created: byEvent('after', 'created'), updated: byEvent('after', 'updated'), deleted: byEvent('after', 'deleted') };
  // A workflow's service levels are time-triggered rules too, on when the record entered its state.
  const timed = [...automation.filter((r) => r.trigger.on === 'time'), ...slaRules(bundle, object)];
  return {
    validation: new ConditionSet(validation.map((r) => ({ conditions: r.conditions, payload: r }))),
    assignment: set ? { set, entries: new ConditionSet(set.entries.map((e) => ({ conditions: e.conditions, payload: e }))) } : null,
    before: { created: byEvent('before', 'created'), updated: byEvent('before', 'updated') },
    after,
    timed,
    anyAfter: after.created.size + after.updated.size + after.deleted.size + timed.length > 0,
  };
}

/**
 * Every validation rule whose error condition holds, as problems — all at once, each at its
 * field (or the record) with the tenant's message in every locale. Rules a role may bypass
 * do not stop that role's writes.
 */
export async function validationProblems(rules: ObjectRules, facts: Record<string, unknown>, roles: readonly string[]): Promise<Problem[]> {
  if (rules.validation.size === 0) return [];
  const failing = await rules.validation.matching(facts);
  return failing
    .filter((r) => !(r.bypassRoles ?? []).some((role) => roles.includes(role)))
    .map((r) => ({
      path: r.field ? pointer(r.field) : '',
      code: 'rule',
      message: r.message.en ?? Object.values(r.message)[0] ?? r.name,
      params: { rule: r.name, ...(r.field ? { field: r.field } : {}), messages: r.message },
    }));
}
