import type { AutomationRuleDef, TenantSettings } from '../metadata/types';
import type { StoredRecord } from '../records/types';
import { ConditionSet, factsOf } from './conditions';
import { addDuration, instantOf } from './durations';
import { STATE_ENTERED_AT } from '../workflows/compileWorkflow';

/*
 * When a time-triggered rule's timer is due for a record, or that it has none: the trigger's
 * date field moved by its offset, while the rule's conditions hold. The stream consumer asks
 * this to set, move or cancel timers; the tick asks it again before firing, so a timer always
 * acts on the record as it is then.
 */

/** A record's values with its system fields, as rule conditions and date triggers read them. */
export function recordValues(record: StoredRecord): Record<string, unknown> {
  return {
    ...record.values,
    id: record.id,
    version: record.version,
    owner: record.owner,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
    // When the record entered its workflow state: a workflow's SLA timers count from it.
    ...(record.workflow?.enteredAt ? { [STATE_ENTERED_AT]: record.workflow.enteredAt } : {}),
  };
}

/** Each rule's conditions compiled once (rules come from a cached, frozen bundle). */
const compiled = new WeakMap<AutomationRuleDef, ConditionSet<true>>();
function conditionsOf(rule: AutomationRuleDef): ConditionSet<true> {
  let set = compiled.get(rule);
  if (!set) compiled.set(rule, (set = new ConditionSet([{ conditions: rule.conditions, payload: true as const }])));
  return set;
}

export interface TimerContext {
  readonly settings: TenantSettings | undefined;
  /** The acting user the conditions see as `$user` (whose change set the timer). */
  readonly actor: string;
  readonly now: Date;
}

/**
 * The instant a time-triggered rule is due for a record, or null when it is not: the date
 * field is blank (or not a time), or the conditions do not hold. A date field (no time of day)
 * counts from the start of that day in the tenant's zone (UTC without business hours).
 * Conditions see the record as it is, with `$event` "timer" and nothing changed.
 */
export async function timerDue(rule: AutomationRuleDef, record: StoredRecord, ctx: TimerContext): Promise<Date | null> {
  const trigger = rule.trigger;
  if (trigger.on !== 'time') return null;
  const values = recordValues(record);
  const hours = ctx.settings?.businessHours;
  const base = instantOf(values[trigger.field], hours?.timeZone);
  if (!base) return null;
  const facts = factsOf({ values, previous: values, user: { id: ctx.actor, roles: [] }, event: 'timer', now: ctx.now, ...(hours ? { timeZone: hours.timeZone } : {}) });
  if ((await conditionsOf(rule).matching(facts)).length === 0) return null;
  return addDuration(base, trigger.offset, hours);
}
