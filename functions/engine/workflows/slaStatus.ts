import type { MetadataBundle } from '../metadata/types';
import type { StoredRecord } from '../records/types';
import { timerDue } from '../rules/timerDue';
import { objectWorkflow, slaRuleName, slaRules } from './compileWorkflow';

/*
 * Where a record stands against the service levels of its workflow state: when it entered the
 * state (kept on the record by every transition) and when each level that applies is due —
 * computed exactly as the SLA timers are (`timerDue`: business hours, holidays, the level's
 * conditions), so a board shows what the timers will do, not a guess.
 */

/** A level is "near" once this share of its allowed time has passed. */
export const SLA_NEAR_SHARE = 0.8;

export type SlaState = 'ok' | 'near' | 'breached';

export interface SlaMark {
  readonly state: string;
  /** When the record entered its state (ISO instant). */
  readonly enteredAt: string;
  /** The levels of the state that apply to the record, soonest first. */
  readonly levels: ReadonlyArray<{ readonly name: string; readonly dueAt: string; readonly status: SlaState }>;
  /** The soonest level's due time and the worst status over the levels. */
  readonly dueAt: string;
  readonly status: SlaState;
}

const RANK: Record<SlaState, number> = { ok: 0, near: 1, breached: 2 };

export function slaState(enteredAt: Date, dueAt: Date, now: Date): SlaState {
  if (now.getTime() >= dueAt.getTime()) return 'breached';
  return now.getTime() - enteredAt.getTime() >= SLA_NEAR_SHARE * (dueAt.getTime() - enteredAt.getTime()) ? 'near' : 'ok';
}

/** The record's SLA mark, or null: no workflow, no state entered, or no level of its state applies. */
export async function slaMark(bundle: MetadataBundle, object: string, record: StoredRecord, now: Date): Promise<SlaMark | null> {
  const wf = objectWorkflow(bundle, object);
  const state = record.values[wf?.field ?? ''];
  const enteredAt = record.workflow?.enteredAt;
  if (!wf || typeof state !== 'string' || !enteredAt) return null;
  const prefix = slaRuleName(wf.def.name, state, '');
  const rules = slaRules(bundle, object).filter((r) => r.name.startsWith(prefix));
  if (!rules.length) return null;
  const entered = new Date(enteredAt);
  const levels: Array<{ name: string; dueAt: string; status: SlaState }> = [];
  for (const rule of rules) {
    const due = await timerDue(rule, record, { settings: bundle.settings, actor: record.owner, now });
    if (due) levels.push({ name: rule.name.slice(prefix.length), dueAt: due.toISOString(), status: slaState(entered, due, now) });
  }
  if (!levels.length) return null;
  levels.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const status = levels.reduce<SlaState>((worst, l) => (RANK[l.status] > RANK[worst] ? l.status : worst), 'ok');
  return { state, enteredAt, levels, dueAt: levels[0]!.dueAt, status };
}
