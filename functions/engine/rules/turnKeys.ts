import type { MetadataBundle } from '../metadata/types';

/*
 * Names of round-robin turn counters (`keys.turn`), one per place an assignee is declared.
 * Built here only, so the assignment code that advances a counter and a backup that looks
 * one up by its name cannot drift apart.
 */

/** The counter of one entry of an object's assignment rules. */
export const assignmentTurnKey = (object: string, entry: string): string => `${object}#assign#${entry}`;

/** The counter of one `assign` action of a rule (an automation rule, or one derived from a workflow or an approval process). */
export const actionTurnKey = (object: string, rule: string, index: number): string => `${object}#${rule}#${index}`;

/**
 * The counters a bundle's assignment rules and automation rules can advance (round-robin
 * assignees only). Rules derived from workflows and approval processes are not named here:
 * their counters are found through the by-object index (see `AutomationStore.nextTurn`).
 */
export function turnKeysOf(bundle: MetadataBundle): string[] {
  const found: string[] = [];
  for (const set of bundle.assignmentRules ?? []) {
    for (const entry of set.entries) if (entry.assignee.type === 'roundRobin') found.push(assignmentTurnKey(set.object, entry.name));
  }
  for (const rule of bundle.automationRules ?? []) {
    rule.actions.forEach((action, index) => {
      if (action.type === 'assign' && action.assignee.type === 'roundRobin') found.push(actionTurnKey(rule.object, rule.name, index));
    });
  }
  return found;
}
