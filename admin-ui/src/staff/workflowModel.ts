/** Workflow answers as the staff app reads them (pure: no React), see workflow.tsx. */
import { pickLabel } from '../labels';
import type { Labels } from '../labels';

export interface TransitionReason {
  readonly code: string;
  readonly message: string;
  readonly messages?: Labels;
  readonly fields?: readonly string[];
}

export interface TransitionOption {
  readonly name: string;
  readonly label?: Labels;
  readonly from: readonly string[];
  readonly to: string;
  readonly available: boolean;
  readonly reasons: readonly TransitionReason[];
}

export interface TransitionsAnswer {
  readonly workflow: string | null;
  readonly field: string | null;
  readonly state: string | null;
  readonly approval: { readonly request: string; readonly process: string; readonly locked: boolean } | null;
  readonly transitions: readonly TransitionOption[];
}

/** Whether the API serves workflows for this object (the typed path) or at all (the generic one). */
export const hasWorkflowApi = (hasRoute: (k: string) => boolean, object: string) =>
  hasRoute(`GET /api/objects/${object}/records/{id}/transitions`) || hasRoute('GET /api/objects/{object}/records/{id}/transitions');

export const transitionText = (t: Pick<TransitionOption, 'name' | 'label'>, language: 'en' | 'zh-CN') => pickLabel(t.label, language, t.name);

/** Why a transition cannot be made, in the language (a guard's own message when the tenant wrote one). */
export const reasonText = (t: Pick<TransitionOption, 'reasons'>, language: 'en' | 'zh-CN') => t.reasons.map((r) => (r.messages ? pickLabel(r.messages, language, r.message) : r.message)).join('; ');

/** Transitions that leave the record's state, and whether the only thing missing is fields the user can fill. */
export function offeredTransitions(answer: TransitionsAnswer): Array<TransitionOption & { needsFields: readonly string[] }> {
  return answer.transitions
    .filter((t) => !t.reasons.some((r) => r.code === 'notFromState' || r.code === 'automatic'))
    .map((t) => ({ ...t, needsFields: t.reasons.every((r) => r.code === 'requiredFields' && (r.fields?.length ?? 0) > 0) ? t.reasons.flatMap((r) => r.fields ?? []) : [] }));
}

