import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Labels } from '../engine/metadata/types';
import { TABLE_SPEC, keys } from './keys';
import { decodeCursor, encodeCursor } from './cursor';

/** One action of a rule run, as it went. */
export interface ActionRun {
  readonly index: number;
  readonly type: string;
  status: 'applied' | 'alreadyApplied' | 'failed' | 'skipped' | 'pending';
  /** What it did, for people: the field and value set, the record created, who was notified. */
  detail?: Record<string, unknown>;
  error?: string;
}

/**
 * One rule execution: which rule ran on which record, why (trigger), what came of it, and
 * each action's outcome. Kept so an administrator can see why something happened — and
 * retry what failed from the failed step.
 */
export interface RuleRun {
  readonly id: string;
  readonly rule: string;
  readonly kind: 'automation' | 'assignment' | 'validation';
  readonly object: string;
  readonly recordId: string;
  /** created, updated, deleted, timer, reassign. */
  readonly trigger: string;
  readonly eventId: string;
  /** When the change that fired the rule happened (effect ids derive from it, so a retry reuses them). */
  readonly changedAt: string;
  readonly depth: number;
  readonly at: string;
  outcome: 'applied' | 'failed' | 'depthLimit' | 'partial';
  actions: ActionRun[];
  error?: string;
  /** Attempts so far (retries add one). */
  attempts: number;
  /** The acting user of the change that fired the rule. */
  readonly actor: string;
}

export interface Notification {
  /** Time-ordered (a ULID whose time is the change's), so a user's list reads newest first. */
  readonly id: string;
  readonly user: string;
  readonly at: string;
  readonly message: Labels;
  readonly object?: string;
  readonly recordId?: string;
  readonly rule?: string;
  read: boolean;
}

const PAGE = 50;

/** A run's item: under the record it ran on, and on the by-object index under its rule. */
export function runItem(tenant: string, run: RuleRun): Record<string, unknown> {
  const { byObject } = TABLE_SPEC.indexes;
  return {
    pk: keys.runPartition(tenant, run.object, run.recordId),
    sk: run.id,
    kind: 'run',
    tenant,
    [byObject.partitionKey]: keys.runsOfRule(tenant, run.rule),
    [byObject.sortKey]: run.id,
    run,
  };
}

/** Rule runs, round-robin turns and notifications in the single table. */
export class AutomationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Advances a round-robin counter by `count` turns (one atomic ADD, so concurrent callers never
   * share a turn) and returns the last of them: the caller owns turns `end - count + 1 … end`.
   * The same write lists the counter on the by-object index under `keys.TURNS_OBJECT`, where a
   * backup finds it (a counter last advanced before that entry existed gets it on its next turn).
   */
  async nextTurn(tenant: string, key: string, count = 1): Promise<number> {
    const { byObject } = TABLE_SPEC.indexes;
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.turn(tenant, key),
        UpdateExpression: 'SET kind = :k, tenant = :t, turnKey = :key, #gpk = :gpk, #gsk = :key ADD n :count',
        ExpressionAttributeNames: { '#gpk': byObject.partitionKey, '#gsk': byObject.sortKey },
        ExpressionAttributeValues: { ':count': count, ':k': 'turn', ':t': tenant, ':key': key, ':gpk': keys.objectPartition(tenant, keys.TURNS_OBJECT) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes!.n);
  }

  /** Writes a run (a retry overwrites it with its new outcome). */
  async putRun(tenant: string, run: RuleRun): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: runItem(tenant, run) }));
  }

  async run(tenant: string, object: string, recordId: string, runId: string): Promise<RuleRun | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.runPartition(tenant, object, recordId), sk: runId }, ConsistentRead: true }));
    return Item?.kind === 'run' ? (Item.run as RuleRun) : null;
  }

  /** Runs on one record, newest first. */
  runsOfRecord(tenant: string, object: string, recordId: string, cursor: string | null, limit = PAGE) {
    return this.page({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.runPartition(tenant, object, recordId) } }, cursor, limit);
  }

  /** Runs of one rule, newest first. */
  runsOfRule(tenant: string, rule: string, cursor: string | null, limit = PAGE) {
    const { byObject } = TABLE_SPEC.indexes;
    return this.page({ IndexName: byObject.indexName, KeyConditionExpression: `${byObject.partitionKey} = :p`, ExpressionAttributeValues: { ':p': keys.runsOfRule(tenant, rule) } }, cursor, limit);
  }

  private async page(query: { IndexName?: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, string> }, cursor: string | null, limit: number): Promise<{ items: RuleRun[]; nextCursor: string | null }> {
    const partition = query.ExpressionAttributeValues[':p']!;
    const signature = `runs|${partition}`;
    const { byObject } = TABLE_SPEC.indexes;
    const allowed: Record<string, string | { prefix: string }> = query.IndexName
      ? { [byObject.partitionKey]: partition, [byObject.sortKey]: { prefix: '' }, pk: { prefix: partition.slice(0, partition.indexOf('#RULERUNS#')) }, sk: { prefix: '' } }
      : { pk: partition, sk: { prefix: '' } };
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, ...query, ScanIndexForward: false, Limit: Math.min(limit, 200), ExclusiveStartKey: cursor ? decodeCursor(cursor, signature, allowed) : undefined }),
    );
    return { items: (out.Items ?? []).map((i) => i.run as RuleRun), nextCursor: out.LastEvaluatedKey ? encodeCursor(signature, out.LastEvaluatedKey) : null };
  }

  /** Adds a notification once: the id is the effect's, so a redelivered action does not notify twice. */
  async notify(tenant: string, n: Notification): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: keys.notifications(tenant, n.user), sk: n.id, kind: 'notification', tenant, notification: n },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A user's notifications, newest first. */
  async notifications(tenant: string, user: string, cursor: string | null, limit = PAGE): Promise<{ items: Notification[]; nextCursor: string | null }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.notifications(tenant, user) },
        ScanIndexForward: false,
        Limit: Math.min(limit, 200),
        ExclusiveStartKey: cursor ? decodeCursor(cursor, `notifications|${user}`, { pk: keys.notifications(tenant, user), sk: { prefix: '' } }) : undefined,
      }),
    );
    return { items: (out.Items ?? []).map((i) => i.notification as Notification), nextCursor: out.LastEvaluatedKey ? encodeCursor(`notifications|${user}`, out.LastEvaluatedKey) : null };
  }

  /** Marks one notification read; false when the user has no such notification. */
  async markRead(tenant: string, user: string, id: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.notifications(tenant, user), sk: id },
          UpdateExpression: 'SET notification.#r = :t',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#r': 'read' },
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
