import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { match } from '../../engine/errors';
import { MAX_MASTER_DEPTH } from '../../engine/metadata/relationships';
import { planList } from '../../engine/query/listQuery';
import { matchesAll } from '../../engine/query/matchesFilter';
import { planOwnerFollow } from '../../engine/records/masterDetail';
import type { StoredRecord, WritePlan } from '../../engine/records/types';
import type { Services } from '../services';

/** Details moved per transaction: two items each (record, history), within DynamoDB's 100. */
const BATCH = 45;

/**
 * After a committed write changed the owner of a record that is a master, its details take
 * the new owner — found through their index on the master-detail lookup, page by page, and
 * written in bounded transactions — and their own details after them. Idempotent: details
 * already at the owner are skipped, so running it again finishes an interrupted cascade, and
 * any later re-parent or create under the master checks the master's owner in its own transaction.
 */
export async function followOwner(services: Services, tenant: string, bundle: CompiledBundle, committed: WritePlan): Promise<void> {
  const record = committed.record;
  if (committed.op !== 'update' || !record || committed.ownerBefore === undefined || record.owner === committed.ownerBefore) return;
  await cascade(services, tenant, bundle, bundle.object(committed.object), record.id, record.owner, record.updatedBy, 1);
}

async function cascade(services: Services, tenant: string, bundle: CompiledBundle, master: CompiledObject, id: string, owner: string, actor: string, depth: number): Promise<void> {
  if (depth > MAX_MASTER_DEPTH) return;
  for (const { object, field } of master.details) {
    const child = bundle.object(object);
    const plan = planList(child, { filters: [{ field, op: 'eq', values: [id] }], sort: null, limit: 200, cursor: null });
    let cursor: string | null = null;
    do {
      const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(tenant, plan, cursor, (r) => matchesAll(child, r, plan.residual));
      const moving = page.records.filter((r) => r.owner !== owner);
      for (let i = 0; i < moving.length; i += BATCH) await follow(services, tenant, child, field, id, moving.slice(i, i + BATCH), owner, actor);
      if (child.details.length > 0) for (const r of page.records) await cascade(services, tenant, bundle, child, r.id, owner, actor, depth + 1);
      cursor = page.nextCursor;
    } while (cursor);
  }
}

/** One batch in one transaction; if a concurrent write got there first, each record again, freshly read. */
async function follow(services: Services, tenant: string, child: CompiledObject, field: string, masterId: string, records: StoredRecord[], owner: string, actor: string): Promise<void> {
  const ctx = { userId: actor, now: services.now(), newId: services.newId };
  try {
    await services.records.commitMany(tenant, records.map((r) => planOwnerFollow(child, r, owner, ctx)));
    return;
  } catch (error) {
    if (!match(error, 'record.versionConflict') && !match(error, 'record.notFound')) throw error;
  }
  for (const r of records) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await services.records.get(tenant, child.name, r.id);
      if (!fresh || fresh.owner === owner || fresh.values[field] !== masterId) break;
      try {
        await services.records.commit(tenant, planOwnerFollow(child, fresh, owner, ctx));
        break;
      } catch (error) {
        if (!match(error, 'record.versionConflict')) throw error;
      }
    }
  }
}
