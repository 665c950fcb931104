import { EngineError } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { objectWorkflow } from '../../engine/workflows/compileWorkflow';
import { funnelFigures } from '../../engine/workflows/funnel';
import type { FunnelState } from '../../engine/workflows/funnel';
import { WorkflowStore } from '../../store/workflowStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { reachableOwners } from './directory';
import { target } from './records';
import { aggregateRecords } from './aggregate';

/** State changes read for one funnel at most; beyond it the answer says it is partial. */
export const MAX_FUNNEL_CHANGES = 10_000;
const DAY = 86_400_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

export interface Funnel {
  readonly workflow: string;
  readonly field: string;
  readonly amountField: string | null;
  readonly from: string;
  readonly to: string;
  readonly states: readonly FunnelState[];
  /** Records counted now, and state changes read for the period. */
  readonly records: number;
  readonly changes: number;
  /** False when more than 10,000 records or changes matched and the figures are partial. */
  readonly complete: boolean;
}

/**
 * A workflow's funnel as the caller may see it: the records in each state now (through the
 * same list machinery as aggregates: the caller's scope, Queries only) and, over `from`–`to`
 * (default: the last 365 days), the state changes of records whose owner the caller reaches,
 * read by Query from the object's state log — never a Scan.
 */
export async function funnel(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>): Promise<Funnel> {
  const t = await target(services, user, objectName);
  const wf = objectWorkflow(t.bundle.bundle, t.object.name);
  if (!wf) throw new EngineError('route.notFound', `${t.object.name} has no workflow`, [], { object: t.object.name });
  const problems: Problem[] = [];
  for (const key of Object.keys(query)) if (key !== 'from' && key !== 'to') problems.push({ path: `/${key}`, code: 'unknownParameter', message: 'a funnel takes from and to' });
  for (const key of ['from', 'to'] as const) if (query[key] !== undefined && (!INSTANT.test(query[key]!) || Number.isNaN(Date.parse(query[key]!)))) problems.push({ path: `/${key}`, code: 'format', message: `${key} is a date (YYYY-MM-DD) or a UTC instant`, params: { format: 'date' } });
  if (problems.length) throw new EngineError('query.invalid', 'The funnel query is not valid', problems);
  const to = query.to ?? services.now().toISOString();
  const from = query.from ?? new Date(Date.parse(to) - 365 * DAY).toISOString();

  const amountField = wf.def.amountField ?? null;
  const withAmounts = amountField !== null && t.access.fields.get(amountField)?.value !== 'hidden';
  const now = await aggregateRecords(services, user, objectName, { groupBy: wf.field, ...(withAmounts ? { sum: amountField } : {}) });
  const current = new Map(now.groups.filter((g) => g.key !== null).map((g) => [g.key!, { count: g.count, amount: withAmounts ? (g.sum[amountField!] ?? 0) : null }] as const));
  const owners = await reachableOwners(services, t.bundle, user, t.access);
  const read = await new WorkflowStore(services.doc, services.tableName).stateChanges(user.tenantId, t.object.name, from, to, MAX_FUNNEL_CHANGES);
  const changes = owners === null ? read.changes : read.changes.filter((c) => owners.includes(c.owner));
  return {
    workflow: wf.def.name,
    field: wf.field,
    amountField: withAmounts ? amountField : null,
    from,
    to,
    states: funnelFigures(wf, current, changes, withAmounts),
    records: now.total,
    changes: changes.length,
    complete: now.complete && read.complete,
  };
}
