import { mergeRollups } from '../engine/records/rollups';
import type { WritePlan } from '../engine/records/types';
import { isEngineError } from '../engine/errors';
import type { RecordStore } from './recordStore';

/** What a group-commit store has done: shared transactions, plans in them, groups written one by one. */
export interface GroupCommitStats {
  groups: number;
  grouped: number;
  fallbacks: number;
}

/**
 * A refusal of the whole shared transaction that says nothing was written: a write's condition
 * failed (mapped to that write's answer — an id taken by an earlier attempt included — or
 * DynamoDB's cancellation), or two writes touched one item. Anything else (a lost connection)
 * is every write's failure, as it would be alone.
 */
const refused = (error: unknown) => isEngineError(error) || ['TransactionCanceledException', 'ValidationException', 'RecordIdCollision'].includes((error as Error)?.name);

/**
 * `inner` for many independent writes at once (an import's batch): plans committed within a few
 * milliseconds of each other go to DynamoDB as ONE transaction, up to its item limit, instead of
 * one transaction each. Each caller still gets its own answer: when the shared transaction is
 * refused, nothing of it was written, and every plan is committed again on its own — so a
 * row's error is its own, exactly as without grouping. Reads are `inner`'s.
 *
 * Only for writes that do not read each other (the import puts rows that could meet in one
 * lane, written in order); one tenant per store.
 *
 * @param expected how many writers commit side by side: a group is sent as soon as that many
 *   plans wait, or after `windowMs` otherwise.
 */
export function groupCommits(inner: RecordStore, expected: () => number, windowMs = 4, maxItems = 100): RecordStore & { readonly stats: GroupCommitStats } {
  const store = Object.create(inner) as RecordStore & { stats: GroupCommitStats };
  store.stats = { groups: 0, grouped: 0, fallbacks: 0 };
  let queue: Array<{ plan: WritePlan; resolve: (p: WritePlan) => void; reject: (e: unknown) => void }> = [];
  let items = 0;
  let tenant: string | null = null;
  let timer: NodeJS.Timeout | null = null;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const group = queue;
    queue = [];
    items = 0;
    if (group.length === 0) return;
    const alone = (entry: (typeof group)[number]) => inner.commit(tenant!, entry.plan).then(entry.resolve, entry.reject);
    if (group.length === 1) {
      void alone(group[0]!);
      return;
    }
    void (async () => {
      try {
        const committed = await inner.commitMany(tenant!, mergeRollups(group.map((g) => g.plan)));
        store.stats.groups++;
        store.stats.grouped += group.length;
        // Each caller gets its plan as committed, with its own roll-up work (the merge moved it to the first).
        group.forEach((g, i) => g.resolve({ ...committed[i]!, rollupDeltas: g.plan.rollupDeltas, rollupRecompute: g.plan.rollupRecompute }));
      } catch (error) {
        if (!refused(error)) {
          for (const g of group) g.reject(error);
          return;
        }
        // Nothing of the group was written: each plan alone, for its own answer.
        store.stats.fallbacks++;
        await Promise.all(group.map(alone));
      }
    })();
  };

  store.commit = (t: string, plan: WritePlan): Promise<WritePlan> => {
    if (tenant !== null && tenant !== t) throw new Error('a group-commit store serves one tenant');
    tenant = t;
    const size = inner.transactionSize(t, plan) + plan.rollupDeltas.length;
    if (size >= maxItems) return inner.commit(t, plan);
    if (items + size > maxItems) flush();
    return new Promise<WritePlan>((resolve, reject) => {
      queue.push({ plan, resolve, reject });
      items += size;
      if (queue.length >= Math.max(1, expected())) flush();
      else timer ??= setTimeout(flush, windowMs);
    });
  };
  return store;
}
