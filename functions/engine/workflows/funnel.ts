import type { StateCategory } from '../metadata/types';
import type { CompiledWorkflow } from './compileWorkflow';

/*
 * Funnel figures of a workflow, from its state log (every state change, with when the record
 * had entered the state it left) and a count of the records in each state now. Definitions,
 * per state S, over the changes in the period:
 *
 * - entered: records that entered S (created in it, or moved into it);
 * - advanced: of those, records that later in the period entered a state ordered after S
 *   whose category is open or won (moving on, not dropping out);
 * - conversion: advanced / entered (null when none entered);
 * - exits and averageHoursInState: changes leaving S whose entry into S is known, and the mean
 *   time between entering and leaving.
 */

/** One state change, as the funnel reads it from the state log. */
export interface FunnelChange {
  readonly recordId: string;
  readonly version: number;
  readonly from: string | null;
  readonly to: string;
  readonly at: string;
  readonly fromEnteredAt: string | null;
  readonly amount: number | null;
}

export interface FunnelState {
  readonly state: string;
  readonly category: StateCategory;
  readonly probability: number | null;
  readonly color: string | null;
  /** Records in the state now (as the caller may see them), and the sum of their amounts. */
  readonly count: number;
  readonly amount: number | null;
  readonly entered: number;
  /** Sum of the amounts the records had when they entered. */
  readonly enteredAmount: number | null;
  readonly advanced: number;
  readonly conversion: number | null;
  readonly exits: number;
  readonly averageHoursInState: number | null;
}

const HOUR = 3_600_000;
const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

export function funnelFigures(wf: CompiledWorkflow, now: ReadonlyMap<string, { count: number; amount: number | null }>, changes: readonly FunnelChange[], withAmounts: boolean): FunnelState[] {
  const rank = new Map(wf.order.map((s, i) => [s, i] as const));
  const moving = (state: string) => {
    const c = wf.states.get(state)?.category;
    return c === 'open' || c === 'won';
  };
  const byRecord = new Map<string, FunnelChange[]>();
  for (const c of changes) byRecord.set(c.recordId, [...(byRecord.get(c.recordId) ?? []), c]);
  for (const list of byRecord.values()) list.sort((a, b) => a.at.localeCompare(b.at) || a.version - b.version);

  return wf.order.map((state) => {
    const def = wf.states.get(state)!;
    let entered = 0;
    let advanced = 0;
    let enteredAmount = 0;
    for (const list of byRecord.values()) {
      const first = list.findIndex((c) => c.to === state);
      if (first < 0) continue;
      entered++;
      enteredAmount += list[first]!.amount ?? 0;
      if (list.slice(first + 1).some((c) => (rank.get(c.to) ?? -1) > rank.get(state)! && moving(c.to))) advanced++;
    }
    const stays = changes.filter((c) => c.from === state && c.fromEnteredAt !== null).map((c) => Date.parse(c.at) - Date.parse(c.fromEnteredAt!));
    const current = now.get(state);
    return {
      state,
      category: def.category,
      probability: def.probability ?? null,
      color: def.color ?? null,
      count: current?.count ?? 0,
      amount: withAmounts ? (current?.amount ?? 0) : null,
      entered,
      enteredAmount: withAmounts ? round(enteredAmount, 2) : null,
      advanced,
      conversion: entered ? round(advanced / entered) : null,
      exits: stays.length,
      averageHoursInState: stays.length ? round(stays.reduce((a, b) => a + b, 0) / stays.length / HOUR) : null,
    };
  });
}
