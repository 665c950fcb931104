import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Services } from '../api/services';
import { currentBundle } from '../api/operations/currentBundle';
import { directory } from '../api/operations/directory';
import { changedFields, factsOf } from '../engine/rules/conditions';
import { objectRules, triggerFires } from '../engine/rules/objectRules';
import type { Cause, WriteOrigin } from '../engine/records/types';
import { isRestoreWrite, recordFromItem } from '../store/recordItems';
import { enqueueDeliveries, webhookDeliveriesFor } from '../webhooks';
import { recordDepthLimit, runRule } from './actions';
import { syncTimers } from './timers';
import { runWorkflowEffects } from './workflowEffects';
import type { RecordChange } from './types';
import { MAX_CASCADE_DEPTH } from './types';

/*
 * The after-save half of automation. The table's stream (NEW_AND_OLD_IMAGES) delivers each
 * committed record change at least once — locally through the stream poller, in AWS through
 * the Lambda event source. For each change: the after-save rules it fires run their actions
 * (each effect applied once, see actions.ts), time-triggered rules' timers are set or
 * cancelled, and webhook subscriptions get their deliveries.
 */

type Image = Record<string, AttributeValue>;

/** A record change from a stream record, or null for items that are not records (history, guards, counters…). */
export function changeOf(record: DynamoDBRecord): RecordChange | null {
  const data = record.dynamodb;
  if (!data || !record.eventID) return null;
  // Only record items (sk "R"): history, guards, counters, metadata and the rest are not changes to react to.
  const image = (data.NewImage ?? data.OldImage) as Image | undefined;
  if (image?.kind?.S !== 'record' || image.sk?.S !== 'R') return null;
  const newItem = data.NewImage ? unmarshall(data.NewImage as Image) : null;
  const oldItem = data.OldImage ? unmarshall(data.OldImage as Image) : null;
  const item = newItem ?? oldItem;
  if (!item || item.kind !== 'record' || item.sk !== 'R') return null;
  // A tenant restore puts records back as they were: nothing happened to them (see isRestoreWrite).
  if (newItem && isRestoreWrite(newItem)) return null;
  // Every change of a record writes a new version. A write that keeps it is upkeep (a publish
  // filling a new index's slots in), not a change: nothing to react to.
  if (newItem && oldItem && newItem.version === oldItem.version) return null;
  const event = record.eventName === 'INSERT' ? 'created' : record.eventName === 'REMOVE' ? 'deleted' : 'updated';
  const after = newItem ? recordFromItem(newItem) : null;
  const before = oldItem ? recordFromItem(oldItem) : null;
  const current = (after ?? before)!;
  const cause = newItem?.cause as Cause | undefined;
  return {
    eventId: record.eventID,
    tenant: String(item.tenant),
    object: current.object,
    id: current.id,
    event,
    before: before ? { ...before.values, owner: before.owner } : null,
    after: after ? { ...after.values, owner: after.owner } : null,
    record: current,
    previous: event === 'created' ? null : before,
    actor: current.updatedBy,
    at: event === 'deleted' ? approximateTime(data.ApproximateCreationDateTime) : current.updatedAt,
    depth: cause?.depth ?? 0,
    // An import run with automations switched off marks its writes; a delete's image cannot say who deleted: see withDeleteOrigin.
    ...((newItem?.origin as WriteOrigin | undefined)?.automation === false ? { automation: false as const } : {}),
  };
}

/** Lambda's events carry epoch seconds; the Streams client (the local poller) a Date. */
function approximateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(typeof value === 'number' ? value * 1000 : Date.now()).toISOString();
}

/** Everything a change sets off. Rule failures are recorded in runs, not thrown; what throws is infrastructure. */
export async function handleChange(services: Services, change: RecordChange): Promise<void> {
  const bundle = await currentBundle(services, change.tenant).catch(() => null);
  if (!bundle || !bundle.hasObject(change.object)) return;
  const rules = objectRules(bundle.bundle, change.object);
  if (rules.anyAfter && change.automation !== false) {
    const changed = changedFields(change.before, change.after ?? change.before ?? {});
    const actor = (await directory(services, change.tenant)).users.find((u) => u.id === change.actor);
    const facts = factsOf({
      values: change.after ?? change.before ?? {},
      previous: change.event === 'created' ? null : change.before,
      user: { id: change.actor, roles: actor?.roles ?? [] },
      event: change.event,
      now: services.now(),
      timeZone: bundle.bundle.settings?.businessHours?.timeZone,
    });
    const fired = (await rules.after[change.event].matching(facts)).filter((r) => triggerFires(r, change.event, changed));
    for (const rule of fired) {
      if (change.depth >= MAX_CASCADE_DEPTH) await recordDepthLimit(services, rule, change, change.event);
      else await runRule({ services, bundle, rule, change, trigger: change.event });
    }
    if (rules.timed.length) await syncTimers(services, bundle, change);
  }
  await runWorkflowEffects(services, bundle, change);
  await enqueueDeliveries(services, await webhookDeliveriesFor(bundle.bundle, change, services.now()));
}

/**
 * A delete's image cannot say who deleted: a delete marked with an origin (an import's undo
 * with automations off) left a marker beside the record, read here (one GetItem per delete).
 */
async function withDeleteOrigin(services: Services, change: RecordChange): Promise<RecordChange> {
  if (change.event !== 'deleted' || change.automation === false) return change;
  const origin = await services.records.deleteOrigin(change.tenant, change.object, change.id, change.record.version);
  return origin?.automation === false ? { ...change, automation: false } : change;
}

/**
 * A batch from the stream, in order. The first change that fails (an infrastructure error)
 * and everything after it is reported back, so Lambda (or the local poller) delivers them
 * again — at least once; the effect keys make the second delivery harmless.
 */
export async function handleStreamRecords(services: Services, records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const record of records) {
    const found = changeOf(record);
    if (!found) continue;
    try {
      const change = await withDeleteOrigin(services, found);
      await handleChange(services, change);
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'stream change failed', eventId: record.eventID, error: (error as Error).message }));
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
