import type { Labels } from '../metadata/types';
import { BUILT_IN_ADMIN } from '../metadata/types';
import type { ActingUser } from '../rules/conditions';
import { factsOf } from '../rules/conditions';
import type { CompiledTransition, CompiledWorkflow } from './compileWorkflow';
import { isBlank } from './compileWorkflow';

/*
 * Why a transition cannot be made now — every reason at once, so a form can show them all
 * and a board can grey out a column with its explanation. An empty list means it can.
 */

export type ReasonCode = 'notFromState' | 'automatic' | 'role' | 'locked' | 'guard' | 'requiredFields';

export interface TransitionReason {
  readonly code: ReasonCode;
  readonly message: string;
  /** A guard's own message, in every locale the tenant wrote. */
  readonly messages?: Labels;
  /** Required fields still blank. */
  readonly fields?: readonly string[];
}

export interface TransitionCheck {
  readonly workflow: CompiledWorkflow;
  /** The record's values (with `owner`) as the transition would see them: stored values with the values sent along. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The stored values, for `$previous`. */
  readonly previous: Readonly<Record<string, unknown>>;
  readonly user: ActingUser;
  /** `person`: a request through the API (roles and manual-only apply); `system`: automation, SLAs, approvals. */
  readonly mode: 'person' | 'system';
  /** Locked in an approval (and not this approval's own write, nor an administrator). */
  readonly locked: boolean;
  readonly now: Date;
  readonly timeZone?: string | undefined;
  /** Required fields the caller cannot see are reported without their names. @default every field is visible */
  readonly visible?: (field: string) => boolean;
}

const isAdmin = (user: ActingUser) => user.roles.includes(BUILT_IN_ADMIN);

/** Whether a transition leaves `state`. */
export const leaves = (t: CompiledTransition, state: string | null): boolean => t.from === null || (state !== null && t.from.has(state));

/** Fields the transition's own setField actions fill, so they do not count as missing. */
const filledByActions = (t: CompiledTransition) => new Set(t.inWrite.flatMap((a) => (a.type === 'setField' && !('value' in a.to && a.to.value === null) ? [a.field] : [])));

export async function transitionReasons(t: CompiledTransition, check: TransitionCheck): Promise<TransitionReason[]> {
  const reasons: TransitionReason[] = [];
  const state = (check.values[check.workflow.field] as string | undefined) ?? null;
  if (!leaves(t, state)) reasons.push({ code: 'notFromState', message: `${t.def.name} leaves ${[...(t.from ?? [])].join(', ')}, and the record is ${state === null ? 'in no state' : `in ${state}`}` });
  if (check.mode === 'person' && t.def.manual === false) reasons.push({ code: 'automatic', message: `${t.def.name} is made by automation and approvals only` });
  if (check.mode === 'person' && t.def.roles && !isAdmin(check.user) && !t.def.roles.some((r) => check.user.roles.includes(r))) {
    reasons.push({ code: 'role', message: `${t.def.name} is for ${t.def.roles.join(', ')}` });
  }
  if (check.locked) reasons.push({ code: 'locked', message: 'the record is locked while it waits for approval' });
  if (t.guards.length) {
    const facts = factsOf({ values: check.values, previous: check.previous, user: check.user, event: 'updated', now: check.now, ...(check.timeZone ? { timeZone: check.timeZone } : {}) });
    for (const guard of t.guards) {
      if ((await guard.set.matching(facts)).length === 0) reasons.push({ code: 'guard', message: guard.message.en ?? Object.values(guard.message)[0] ?? 'a guard condition does not hold', messages: guard.message });
    }
  }
  const filled = filledByActions(t);
  const missing = t.required.filter((f) => !filled.has(f) && isBlank(check.values[f]));
  if (missing.length) {
    const visible = check.visible ?? (() => true);
    const named = missing.filter(visible);
    reasons.push({
      code: 'requiredFields',
      message: named.length === missing.length ? `fill ${missing.join(', ')} first` : `fill ${[...named, 'a field you cannot see'].join(', ')} first`,
      fields: named,
    });
  }
  return reasons;
}
