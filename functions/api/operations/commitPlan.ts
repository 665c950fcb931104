import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { Filter } from '../../engine/query/listQuery';
import { planList } from '../../engine/query/listQuery';
import { matchesAll } from '../../engine/query/matchesFilter';
import type { RollupRecompute } from '../../engine/records/rollups';
import type { StoredRecord, WritePlan } from '../../engine/records/types';
import type { Services } from '../services';
import { followOwner } from './ownerCascade';

/**
 * Commits a plan, then recomputes the min/max roll-ups it touched and, when a master's owner
 * changed, moves its details to the new owner. Returns the plan as committed: a detail
 * record carries its master's owner, which the store reads at commit.
 */
export async function commitPlan(services: Services, tenant: string, bundle: CompiledBundle, plan: WritePlan): Promise<WritePlan> {
  const committed = await services.records.commit(tenant, plan);
  for (const job of plan.rollupRecompute) await recomputeExtreme(services, tenant, bundle, job);
  await followOwner(services, tenant, bundle, committed);
  return committed;
}

/**
 * Recomputes a min or max roll-up from the parent's children, read through the child's
 * index on the lookup. The result is written only if no child write happened meanwhile
 * (the counters' sequence number is unchanged); otherwise it is read and computed again.
 */
export async function recomputeExtreme(services: Services, tenant: string, bundle: CompiledBundle, job: RollupRecompute): Promise<void> {
  const child = bundle.object(job.field.child);
  const filters: Filter[] = [
    { field: job.field.via, op: 'eq', values: [job.id] },
    ...Object.entries(job.field.where ?? {}).map(([field, value]) => ({ field, op: 'eq' as const, values: [value] })),
  ];
  const plan = planList(child, { filters, sort: null, limit: 200, cursor: null });
  for (let attempt = 0; attempt < 8; attempt++) {
    const seq = Number((await services.records.rollupItems(tenant, job.object, [job.id])).get(job.id)?.seq ?? 0);
    let best: number | null = null;
    let cursor: string | null = null;
    do {
      const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(tenant, plan, cursor, (r) => matchesAll(child, r, plan.residual));
      for (const r of page.records) {
        const v = r.values[job.field.field!];
        if (typeof v !== 'number') continue;
        if (best === null || (job.field.function === 'min' ? v < best : v > best)) best = v;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (await services.records.setRollupExtreme(tenant, job.object, job.id, job.field.name, best, seq)) return;
  }
}
