import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { WritePlan } from '../../engine/records/types';
import type { Services } from '../services';
import { followOwner } from './ownerCascade';
import { recomputeRollup } from './rollupRecompute';

/**
 * Commits a plan, then recomputes the min/max roll-ups it touched and, when a master's owner
 * changed, moves its details to the new owner. Returns the plan as committed: a detail
 * record carries its master's owner, which the store reads at commit.
 */
export async function commitPlan(services: Services, tenant: string, bundle: CompiledBundle, plan: WritePlan): Promise<WritePlan> {
  const committed = await services.records.commit(tenant, plan);
  for (const job of plan.rollupRecompute) await recomputeRollup(services, tenant, bundle, job);
  await followOwner(services, tenant, bundle, committed);
  return committed;
}
