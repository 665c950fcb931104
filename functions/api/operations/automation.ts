import { EngineError } from '../../engine/errors';
import { viewRun } from '../../engine/permissions/recordView';
import { RECORD_ID } from '../../engine/ids';
import type { RuleRun } from '../../store/automationStore';
import { notFailed, retryRun } from '../../automation/actions';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { requireAdmin } from './adminAccess';
import { currentBundle } from './currentBundle';
import { reachableRecord, reassignRecord, target } from './records';

/*
 * What automation did and why: rule runs per record (for whoever reaches the record) and per
 * rule (for administrators), retrying a failed run from its failed step, and each user's
 * in-app notifications.
 */

/** The runs on a record, for whoever reaches it, as they may see them (viewRun: no hidden field's value or name). */
export async function runsOfRecord(services: Services, user: UserContext, object: string, id: string, cursor: string | null) {
  const record = await reachableRecord(services, user, object, id);
  const t = await target(services, user, record.object);
  const page = await services.automation.runsOfRecord(user.tenantId, record.object, record.id, cursor);
  return { ...page, items: page.items.map((run) => viewRun(t.object, t.access, run)) };
}

export async function runsOfRule(services: Services, user: UserContext, rule: string, cursor: string | null) {
  await requireAdmin(services, user, 'manageMetadata');
  return services.automation.runsOfRule(user.tenantId, rule, cursor);
}

const runNotFound = (id: string) => new EngineError('record.notFound', `There is no rule run ${id}`, [], { id });

export async function retryRuleRun(services: Services, user: UserContext, object: string, recordId: string, runId: string): Promise<RuleRun> {
  await requireAdmin(services, user, 'manageMetadata');
  if (!RECORD_ID.test(runId) || !RECORD_ID.test(recordId)) throw runNotFound(runId);
  const run = await services.automation.run(user.tenantId, object, recordId, runId);
  if (!run) throw runNotFound(runId);
  const bundle = await currentBundle(services, user.tenantId);
  const record = await services.records.get(user.tenantId, object, recordId);
  if (!record || !bundle.hasObject(object)) throw new EngineError('record.referenced', 'The record this run acted on no longer exists; there is nothing to retry on', [], { object, id: recordId });
  // An assignment is retried by running the assignment rules on the record again (a reassign), recorded in this run.
  if (run.kind === 'assignment') {
    if (run.outcome !== 'failed') throw notFailed(run);
    await reassignRecord(services, user, object, recordId, record.version, run);
    return (await services.automation.run(user.tenantId, object, recordId, runId))!;
  }
  const values = { ...record.values, owner: record.owner };
  return retryRun(services, bundle, run, {
    eventId: run.eventId,
    tenant: user.tenantId,
    object,
    id: recordId,
    event: 'updated',
    before: values,
    after: values,
    record,
    previous: record,
    actor: run.actor,
    at: run.changedAt,
    depth: run.depth,
  });
}

export function myNotifications(services: Services, user: UserContext, cursor: string | null) {
  return services.automation.notifications(user.tenantId, user.userId, cursor);
}

export async function markNotificationRead(services: Services, user: UserContext, id: string): Promise<void> {
  if (!RECORD_ID.test(id) || !(await services.automation.markRead(user.tenantId, user.userId, id))) throw new EngineError('record.notFound', `There is no notification ${id}`, [], { id });
}
