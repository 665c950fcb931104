import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { Filter } from '../../engine/query/listQuery';
import { planList } from '../../engine/query/listQuery';
import { matchesAll } from '../../engine/query/matchesFilter';
import { contribution } from '../../engine/records/rollups';
import { redefinedFields } from '../../engine/metadata/diffMetadata';
import type { MetadataBundle, RollupField } from '../../engine/metadata/types';
import type { RollupRecompute } from '../../engine/records/rollups';
import type { StoredRecord } from '../../engine/records/types';
import type { Services } from '../services';

/*
 * Roll-ups computed from the children rather than kept by deltas: a min or max after a child
 * write, and every roll-up a publish adds or redefines (so a new "number of opportunities" on
 * accounts does not start at zero). A parent's counters are written only if no child write
 * touched them since their sequence number was read; a parent that lost that race is computed
 * again from its own children, read through the child's index on the lookup.
 */

type Totals = { c: number; s: number; n: number } | { m: number | null };

/** Roll-up fields of `next` that `previous` did not have with the same definition. */
export function changedRollups(previous: MetadataBundle | null, next: MetadataBundle): Array<{ parent: string; field: RollupField }> {
  return redefinedFields(previous, next, 'rollup', definition).map(({ object, field }) => ({ parent: object, field }));
}

const definition = (f: RollupField) => JSON.stringify([f.child, f.via, f.function, f.field ?? null, Object.entries(f.where ?? {}).sort()]);

const extreme = (f: RollupField) => f.function === 'min' || f.function === 'max';

function accumulate(field: RollupField, into: Map<string, Totals>, record: StoredRecord): void {
  const c = contribution(field, record.values);
  if (!c) return;
  const was = into.get(c.parent);
  if (extreme(field)) {
    const m = was && 'm' in was ? was.m : null;
    if (c.v !== null && (m === null || (field.function === 'min' ? c.v < m : c.v > m))) into.set(c.parent, { m: c.v });
    else if (!was) into.set(c.parent, { m });
    return;
  }
  const t = was && 'c' in was ? was : { c: 0, s: 0, n: 0 };
  into.set(c.parent, { c: t.c + c.c, s: t.s + c.s, n: t.n + c.n });
}

const empty = (field: RollupField): Totals => (extreme(field) ? { m: null } : { c: 0, s: 0, n: 0 });

/** One parent's roll-up from its children, read through the child's index on the lookup. */
async function fromChildren(services: Services, tenant: string, bundle: CompiledBundle, parentId: string, field: RollupField): Promise<Totals> {
  const child = bundle.object(field.child);
  const filters: Filter[] = [{ field: field.via, op: 'eq', values: [parentId] }];
  const plan = planList(child, { filters, sort: null, limit: 200, cursor: null });
  const totals = new Map<string, Totals>();
  let cursor: string | null = null;
  do {
    const page: { records: StoredRecord[]; nextCursor: string | null } = await services.records.list(tenant, plan, cursor, (r) => matchesAll(child, r, plan.residual));
    for (const r of page.records) accumulate(field, totals, r);
    cursor = page.nextCursor;
  } while (cursor);
  return totals.get(parentId) ?? empty(field);
}

const seqOf = (item: Record<string, unknown> | undefined) => Number(item?.seq ?? 0);

/**
 * Computes one parent's roll-up from its children and writes it, unless a child write touched
 * the counters meanwhile (their sequence number moved): then it reads and computes again, up to
 * 8 times. `first` is a sequence number and value the caller already read, in that order.
 * False when children kept changing: the next child write recomputes it.
 */
export async function recomputeRollup(services: Services, tenant: string, bundle: CompiledBundle, job: RollupRecompute, first?: { seq: number; value: Totals }): Promise<boolean> {
  let attempt = first;
  for (let n = 0; n < 8; n++) {
    if (!attempt) {
      const seq = seqOf((await services.records.rollupItems(tenant, job.object, [job.id])).get(job.id));
      attempt = { seq, value: await fromChildren(services, tenant, bundle, job.id, job.field) };
    }
    if (await services.records.setRollupTotals(tenant, job.object, job.id, job.field.name, attempt.value, attempt.seq)) return true;
    attempt = undefined;
  }
  return false;
}

/**
 * Computes `fields` (roll-ups new or redefined in the version just published) for every parent
 * record. Returns, per `object.field`, how many parents were written.
 */
export async function backfillRollups(services: Services, tenant: string, bundle: CompiledBundle, fields: ReadonlyArray<{ parent: string; field: RollupField }>): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const { parent, field } of fields) {
    const parents: string[] = [];
    await services.records.forEachRecord(tenant, parent, (r) => parents.push(r.id));
    // Sequence numbers first: a child written after this read changes them, and its parent is computed again.
    const counters = await services.records.rollupItems(tenant, parent, parents);
    const totals = new Map<string, Totals>();
    await services.records.forEachRecord(tenant, field.child, (r) => accumulate(field, totals, r));
    let count = 0;
    for (const id of parents) {
      const item = counters.get(id);
      const had = item !== undefined && [`c_${field.name}`, `s_${field.name}`, `n_${field.name}`, `m_${field.name}`].some((k) => item[k] !== undefined);
      if (!totals.has(id) && !had) continue;
      const job = { object: parent, id, field };
      if (!(await recomputeRollup(services, tenant, bundle, job, { seq: seqOf(item), value: totals.get(id) ?? empty(field) }))) {
        throw new Error(`roll-up ${parent}.${field.name} of ${id}: children kept changing`);
      }
      count++;
    }
    written[`${parent}.${field.name}`] = count;
  }
  return written;
}
