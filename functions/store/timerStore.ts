import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_SPEC, keys } from './keys';

/**
 * One time-triggered rule's timer on one record. `pending` timers carry the due-index keys
 * (`P#TIMERDUE#<shard>`, sorted by due time) and are what the tick finds; a `fired` timer
 * has left the index and stays only as a marker that this due time has fired (so a change
 * made by the firing itself does not set it again), until it expires.
 */
export interface Timer {
  readonly tenant: string;
  readonly object: string;
  readonly recordId: string;
  readonly rule: string;
  /** ISO instant (`toISOString`, so due times sort as text). */
  readonly dueAt: string;
  readonly state: 'pending' | 'fired';
  /** The record version the timer was computed from: a late, repeated stream delivery of an older change never overwrites it. */
  readonly recordVersion: number;
  /** Whose change set the timer: the rule acts as that user when it fires. */
  readonly setBy: string;
  /** The automation cascade depth of that change. */
  readonly depth: number;
  readonly setAt: string;
  readonly firedAt?: string;
}

export type TimerRef = Pick<Timer, 'tenant' | 'object' | 'recordId' | 'rule'>;

const { byOwner } = TABLE_SPEC.indexes;
const FIELDS = ['tenant', 'object', 'recordId', 'rule', 'dueAt', 'state', 'recordVersion', 'setBy', 'depth', 'setAt', 'firedAt'] as const;

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
const strip = (item: Record<string, unknown>): Timer => Object.fromEntries(FIELDS.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])) as unknown as Timer;
const keyOf = (t: TimerRef) => keys.timer(t.tenant, t.object, t.recordId, t.rule);

/** A record's timers all go to one shard (a move rewrites only the sort key). */
export const timerShard = (tenant: string, object: string, recordId: string): number =>
  createHash('sha256').update(`${tenant}#${object}#${recordId}`).digest().readUInt32BE(0) % keys.TIMER_DUE_SHARDS;

/** A pending timer's due-index attributes (they name the tenant mid-key, so a restore under another tenant rebuilds them). */
export const timerDueKeys = (t: TimerRef & { dueAt: string }) => ({
  [byOwner.partitionKey]: keys.timerDuePartition(timerShard(t.tenant, t.object, t.recordId)),
  [byOwner.sortKey]: keys.timerDueSort(t.dueAt, t.tenant, t.object, t.recordId, t.rule),
});

/** Timers in the single table. Every write is conditional, so stream deliveries and ticks can race and repeat. */
export class TimerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A record's timers, one per time-triggered rule that has one (a consistent read of its timer partition). */
  async ofRecord(tenant: string, object: string, recordId: string): Promise<Timer[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.timerPartition(tenant, object, recordId) }, ConsistentRead: true }),
    );
    return (Items ?? []).map(strip);
  }

  async get(ref: TimerRef): Promise<Timer | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(ref), ConsistentRead: true }));
    return Item?.kind === 'timer' ? strip(Item) : null;
  }

  /** Sets (or moves) a pending timer, unless one computed from a newer record version is there. */
  async set(timer: Omit<Timer, 'state' | 'firedAt'>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(timer), kind: 'timer', ...timer, state: 'pending', ...timerDueKeys(timer) },
          ConditionExpression: 'attribute_not_exists(pk) OR recordVersion <= :v',
          ExpressionAttributeValues: { ':v': timer.recordVersion },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Removes a timer: for the stream consumer, unless a newer record version set it
   * (`{ recordVersion }`); for the tick, only while it is still pending at the due time it
   * found (`{ pendingAt }`), so a timer moved meanwhile is kept.
   */
  async remove(ref: TimerRef, guard: { readonly recordVersion: number } | { readonly pendingAt: string }): Promise<boolean> {
    const condition =
      'recordVersion' in guard
        ? { ConditionExpression: 'recordVersion <= :v', ExpressionAttributeValues: { ':v': guard.recordVersion } }
        : { ConditionExpression: '#state = :pending AND dueAt = :due', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':pending': 'pending', ':due': guard.pendingAt } };
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(ref), ...condition }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Pending timers due by `now` in one shard, soonest first (the index is eventually consistent: re-read before acting). */
  async dueIn(shard: number, now: string, limit: number): Promise<TimerRef[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byOwner.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk <= :bound',
        ExpressionAttributeNames: { '#pk': byOwner.partitionKey, '#sk': byOwner.sortKey, '#tenant': 'tenant', '#object': 'object', '#record': 'recordId', '#rule': 'rule' },
        // Tenant ids are [a-z0-9-]: `~` sorts after every one of them.
        ExpressionAttributeValues: { ':pk': keys.timerDuePartition(shard), ':bound': `${now}#~` },
        ProjectionExpression: '#tenant, #object, #record, #rule',
        Limit: limit,
      }),
    );
    return (Items ?? []).map((i) => ({ tenant: String(i.tenant), object: String(i.object), recordId: String(i.recordId), rule: String(i.rule) }));
  }

  /** Takes a fired timer out of the due index, keeping it as a marker until `expiresAt` (epoch seconds); false when it moved meanwhile. */
  async markFired(timer: Timer, firedAt: string, expiresAt: number): Promise<boolean> {
    return this.update(timer, 'SET #state = :fired, firedAt = :at, expiresAt = :exp REMOVE #gpk, #gsk', { ':fired': 'fired', ':at': firedAt, ':exp': expiresAt }, { '#gpk': byOwner.partitionKey, '#gsk': byOwner.sortKey });
  }

  /**
   * Moves a pending timer to a later due time computed from `recordVersion` (the record
   * changed and the stream has not caught up); false when the timer changed meanwhile.
   */
  async move(timer: Timer, dueAt: string, recordVersion: number): Promise<boolean> {
    return this.update(timer, 'SET dueAt = :next, recordVersion = :v, #gsk = :gsk', { ':next': dueAt, ':v': Math.max(recordVersion, timer.recordVersion), ':gsk': timerDueKeys({ ...timer, dueAt })[byOwner.sortKey] }, { '#gsk': byOwner.sortKey });
  }

  private async update(timer: Timer, expression: string, values: Record<string, unknown>, names: Record<string, string>): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(timer),
          ConditionExpression: '#state = :pending AND dueAt = :due',
          UpdateExpression: expression,
          ExpressionAttributeNames: { '#state': 'state', ...names },
          ExpressionAttributeValues: { ':pending': 'pending', ':due': timer.dueAt, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
