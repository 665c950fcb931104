import type { CompiledBundle } from '../engine/compile/compileBundle';
import { EngineError } from '../engine/errors';
import type { AutomationRuleDef } from '../engine/metadata/types';
import type { StoredRecord } from '../engine/records/types';
import { objectRules } from '../engine/rules/objectRules';
import { timerDue } from '../engine/rules/timerDue';
import type { Services } from '../api/services';
import { currentBundle } from '../api/operations/currentBundle';
import { TimerStore } from '../store/timerStore';
import type { Timer, TimerRef } from '../store/timerStore';
import { keys } from '../store/keys';
import { recordDepthLimit, runRule } from './actions';
import type { RecordChange } from './types';
import { MAX_CASCADE_DEPTH } from './types';

/*
 * Time-triggered rules (e.g. 3 days before close_date; 4 business hours after created_at
 * unless someone answered). Each (record, rule) has at most one timer item. The stream
 * consumer keeps it in step with the record (`syncTimers`); a periodic tick — every minute in
 * AWS, every few seconds locally — fires what is due (`runDueTimers`), after reading the
 * record again and asking the rule again, so a timer never acts on a stale picture.
 */

export interface TimerOptions {
  /**
   * How long after its due time a timer may still be set: a change the stream delivers a
   * little late (or a date set to "now") still fires. One AWS tick plus the stream's usual lag.
   * @default 120000
   */
  readonly graceMs?: number;
  /** Timers fired per tick at most; the rest wait for the next tick. @default 500 */
  readonly limit?: number;
  /** Timers handled at once. @default 4 */
  readonly concurrency?: number;
  /** How long a fired timer is kept as a marker (it only has to outlive the grace). @default 86400 */
  readonly keepFiredSeconds?: number;
}

const settings = (options: TimerOptions = {}) => ({
  graceMs: options.graceMs ?? 120_000,
  limit: options.limit ?? 500,
  concurrency: options.concurrency ?? 4,
  keepFiredSeconds: options.keepFiredSeconds ?? 86_400,
});

const storeOf = (services: Services) => new TimerStore(services.doc, services.tableName);

const log = (level: 'warn' | 'error', msg: string, detail: Record<string, unknown>) => console[level](JSON.stringify({ level, msg, ...detail }));

/**
 * When `rule` is due for `record`, or null. A calendar that cannot be computed (a zone ICU
 * does not know, a week without working time — metadata published before such calendars
 * were refused) sets no timer and says so in the log, rather than failing the stream batch
 * again and again.
 */
async function dueFor(bundle: CompiledBundle, rule: AutomationRuleDef, record: StoredRecord, actor: string, now: Date): Promise<Date | null> {
  try {
    return await timerDue(rule, record, { settings: bundle.bundle.settings, actor, now });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    log('error', 'timer due time cannot be computed', { tenant: bundle.tenantId, rule: rule.name, record: record.id, error: error.message });
    return null;
  }
}

/**
 * Keeps each time-triggered rule's timer on the changed record in step: set or moved when
 * the record matches the rule and the due time is ahead (or passed less than the grace ago),
 * removed when it no longer matches, the date is blank, or the record is deleted. A timer
 * already at the computed due time — pending, or fired — is left as it is, so repeated
 * deliveries and the firing's own changes do not set it again. Timers of rules that are no
 * longer time-triggered go too. Idempotent; an older change delivered late changes nothing.
 */
export async function syncTimers(services: Services, bundle: CompiledBundle, change: RecordChange, options: TimerOptions = {}): Promise<void> {
  const { graceMs } = settings(options);
  const store = storeOf(services);
  const timed = bundle.hasObject(change.object) ? objectRules(bundle.bundle, change.object).timed : [];
  const existing = new Map((await store.ofRecord(change.tenant, change.object, change.id)).map((t) => [t.rule, t] as const));
  if (timed.length === 0 && existing.size === 0) return;
  const now = services.now();
  const version = change.record.version;
  const ref = (rule: string): TimerRef => ({ tenant: change.tenant, object: change.object, recordId: change.id, rule });

  for (const rule of timed) {
    const current = existing.get(rule.name) ?? null;
    existing.delete(rule.name);
    if (current && current.recordVersion > version) continue;
    const due = change.event === 'deleted' ? null : await dueFor(bundle, rule, change.record, change.actor, now);
    const dueAt = due?.toISOString() ?? null;
    if (dueAt !== null && current?.dueAt === dueAt) continue;
    if (due && dueAt && due.getTime() >= now.getTime() - graceMs) {
      await store.set({ ...ref(rule.name), dueAt, recordVersion: version, setBy: change.actor, depth: change.depth, setAt: now.toISOString() });
    } else if (current) {
      await store.remove(ref(rule.name), { recordVersion: version });
    }
  }
  for (const stale of existing.values()) if (stale.recordVersion <= version) await store.remove(stale, { recordVersion: version });
}

/** The event id a timer fires under: the same timer at the same due time always fires as the same event. */
export const timerEventId = (timer: Pick<Timer, 'object' | 'recordId' | 'rule' | 'dueAt'>): string => `timer:${timer.object}:${timer.recordId}:${timer.rule}@${timer.dueAt}`;

type Outcome = 'fired' | 'cancelled' | 'moved' | 'skipped';

/** Handles one timer the due index named: fire, cancel, move — or skip when another tick or a change got there first. */
async function handleDue(services: Services, store: TimerStore, ref: TimerRef, now: Date, keepFiredSeconds: number): Promise<Outcome> {
  const at = now.toISOString();
  const timer = await store.get(ref);
  if (!timer || timer.state !== 'pending' || timer.dueAt > at) return 'skipped';
  const cancel = async () => ((await store.remove(timer, { pendingAt: timer.dueAt })) ? 'cancelled' : 'skipped');

  let bundle: CompiledBundle;
  try {
    bundle = await currentBundle(services, timer.tenant);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'metadata.notFound') return cancel();
    throw error;
  }
  const rule = bundle.hasObject(timer.object) ? objectRules(bundle.bundle, timer.object).timed.find((r) => r.name === timer.rule) : undefined;
  if (!rule) return cancel();
  const record = await services.records.get(timer.tenant, timer.object, timer.recordId);
  if (!record) return cancel();
  const due = await dueFor(bundle, rule, record, timer.setBy, now);
  if (!due) return cancel();
  // The record's date moved later and the stream has not caught up yet: wait for the new time.
  if (due.getTime() > now.getTime()) return (await store.move(timer, due.toISOString(), record.version)) ? 'moved' : 'skipped';

  const values = { ...record.values, owner: record.owner };
  const change: RecordChange = {
    eventId: timerEventId(timer),
    tenant: timer.tenant,
    object: timer.object,
    id: timer.recordId,
    event: 'updated',
    before: values,
    after: values,
    record,
    previous: record,
    actor: timer.setBy,
    at: timer.dueAt,
    depth: timer.depth,
  };
  if (timer.depth >= MAX_CASCADE_DEPTH) await recordDepthLimit(services, rule, change, 'timer');
  else await runRule({ services, bundle, rule, change, trigger: 'timer' });
  await store.markFired(timer, at, Math.floor(now.getTime() / 1000) + keepFiredSeconds);
  return 'fired';
}

/**
 * Fires every timer due by `now`, across tenants: one Query per shard of the due index (never
 * a Scan), soonest first, at most `limit` per call. Each timer's record is read again and its
 * rule asked again: a record that is gone or no longer matches cancels the timer; a matching
 * one runs the rule (trigger "timer") under an event id derived from the timer and its due
 * time, so a tick that runs twice applies each effect once. A fired timer leaves the index
 * only if it was not moved meanwhile. A timer whose handling throws stays due for the next tick.
 */
export async function runDueTimers(services: Services, now: Date, options: TimerOptions = {}): Promise<{ fired: number; cancelled: number; moved: number; failed: number }> {
  const { limit, concurrency, keepFiredSeconds } = settings(options);
  const store = storeOf(services);
  const at = now.toISOString();
  const shards = Array.from({ length: keys.TIMER_DUE_SHARDS }, (_, i) => i);
  // Each shard is read up to the whole limit, so one busy shard is not held to 1/8 of it; the soonest go first.
  const found = (await Promise.all(shards.map(async (s) => (await store.dueIn(s, at, limit)).map((ref) => ({ ref, shard: s }))))).flat();
  const due = found.slice(0, limit).map((f) => f.ref);
  const counts = { fired: 0, cancelled: 0, moved: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const ref = due[next++]!;
      try {
        const outcome = await handleDue(services, store, ref, now, keepFiredSeconds);
        if (outcome !== 'skipped') counts[outcome] += 1;
      } catch (error) {
        counts.failed += 1;
        log('error', 'timer failed; it stays due for the next tick', { ...ref, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
  return counts;
}
