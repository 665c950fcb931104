import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';
import { TABLE_SPEC, keys } from './keys';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** What a delivery is about; fixed when it is enqueued. */
export interface NewDelivery {
  readonly tenant: string;
  readonly id: string;
  readonly webhook: string;
  readonly object: string;
  readonly recordId: string;
  readonly event: string;
  /** The automation rule action that asked for it, when it was one. */
  readonly source?: { readonly rule: string; readonly action: number };
  /** The JSON body, exactly as it is sent and signed on every attempt. */
  readonly body: string;
  readonly createdAt: string;
}

/** A delivery as stored: what it is about, and how its attempts went. */
export interface DeliveryItem extends NewDelivery {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** When it is due (pending), or until when the attempt under way holds it. */
  readonly nextAt?: string;
  readonly updatedAt: string;
  readonly lastAttemptAt?: string;
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly lastUrl?: string;
  readonly deliveredAt?: string;
  readonly deadAt?: string;
  /** Whose attempt holds the delivery (a claim token). */
  readonly lease?: string;
}

export interface WebhookSecretItem {
  readonly secret: string;
  readonly createdAt: string;
  /** The secret before the last rotation, still signed with until `previousUntil`. */
  readonly previous?: string;
  readonly previousUntil?: string;
}

/** How an attempt ended, as the store records it. */
export type AttemptResult =
  | { readonly outcome: 'delivered'; readonly at: string; readonly status: number; readonly url: string; readonly expiresAt: number }
  | { readonly outcome: 'retry'; readonly at: string; readonly nextAt: string; readonly status?: number; readonly error: string; readonly url?: string }
  | { readonly outcome: 'dead'; readonly at: string; readonly status?: number; readonly error: string; readonly url?: string };

const { byObject } = TABLE_SPEC.indexes;
const DATA_FIELDS = ['tenant', 'id', 'webhook', 'object', 'recordId', 'event', 'source', 'body', 'createdAt', 'status', 'attempts', 'nextAt', 'updatedAt', 'lastAttemptAt', 'lastStatus', 'lastError', 'lastUrl', 'deliveredAt', 'deadAt', 'lease'] as const;

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
const shardOf = (id: string) => Number.parseInt(id.slice(0, 6), 16) % keys.WEBHOOK_DUE_SHARDS || 0;
const due = (tenant: string, id: string, at: string) => ({ gsi1pk: keys.webhookDuePartition(shardOf(id)), gsi1sk: keys.webhookDueSort(at, tenant, id) });
const strip = (item: Record<string, unknown>): DeliveryItem => Object.fromEntries(DATA_FIELDS.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])) as unknown as DeliveryItem;

/**
 * Webhook deliveries and signing secrets. A pending delivery carries the due-index keys
 * (`P#WHDUE#<shard>`, sorted by due time); a dead one carries the tenant's dead-list keys;
 * a delivered one carries neither, and expires (TTL) after a while.
 */
export class WebhookStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Puts a new pending delivery, due at once; false when one with this id exists (the same change enqueued again). */
  async enqueue(delivery: NewDelivery): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.webhookDelivery(delivery.tenant, delivery.id),
            kind: 'webhookDelivery',
            ...delivery,
            status: 'pending',
            attempts: 0,
            nextAt: delivery.createdAt,
            updatedAt: delivery.createdAt,
            ...due(delivery.tenant, delivery.id, delivery.createdAt),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async delivery(tenant: string, id: string): Promise<DeliveryItem | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(tenant, id), ConsistentRead: true }));
    return Item ? strip(Item) : null;
  }

  /** Pending deliveries due by `now` in one shard, soonest first (the index is eventually consistent: claim before trusting). */
  async dueIn(shard: number, now: string, limit: number): Promise<Array<{ tenant: string; id: string }>> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk <= :bound',
        ExpressionAttributeNames: { '#pk': byObject.partitionKey, '#sk': byObject.sortKey },
        // Tenant ids are [a-z0-9-]: `~` sorts after every one of them.
        ExpressionAttributeValues: { ':pk': keys.webhookDuePartition(shard), ':bound': `${now}#~` },
        ProjectionExpression: 'tenant, id',
        Limit: limit,
      }),
    );
    return (Items ?? []).map((i) => ({ tenant: String(i.tenant), id: String(i.id) }));
  }

  /**
   * Takes a due pending delivery for one attempt: counts the attempt and moves its due time to
   * `leaseUntil`, so a worker that dies mid-attempt leaves it to be retried then. Null when it
   * is not pending and due (another worker has it, or it is done).
   */
  async claim(tenant: string, id: string, now: string, leaseUntil: string, token: string): Promise<DeliveryItem | null> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(tenant, id),
          ConditionExpression: '#status = :pending AND nextAt <= :now',
          UpdateExpression: 'SET attempts = attempts + :one, nextAt = :until, lease = :token, updatedAt = :now, lastAttemptAt = :now, #gsk = :gsk',
          ExpressionAttributeNames: { '#status': 'status', '#gsk': byObject.sortKey },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now, ':until': leaseUntil, ':token': token, ':one': 1, ':gsk': keys.webhookDueSort(leaseUntil, tenant, id) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? strip(Attributes) : null;
    } catch (error) {
      if (conditionFailed(error)) return null;
      throw error;
    }
  }

  /** Records how the attempt under `token` ended; false when another worker took the delivery over meanwhile (its result stands). */
  async finish(tenant: string, id: string, token: string, result: AttemptResult): Promise<boolean> {
    const names: Record<string, string> = { '#gsk': byObject.sortKey };
    if (result.outcome !== 'retry') Object.assign(names, { '#status': 'status', '#gpk': byObject.partitionKey });
    const values: Record<string, unknown> = { ':token': token, ':at': result.at };
    const set = ['updatedAt = :at'];
    const remove = ['lease'];
    const put = (name: string, value: unknown) => {
      if (value === undefined) return;
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    };
    put('lastStatus', result.status);
    put('lastUrl', result.url);
    if (result.outcome === 'delivered') {
      put('deliveredAt', result.at);
      put('expiresAt', result.expiresAt);
      values[':delivered'] = 'delivered';
      set.push('#status = :delivered');
      remove.push('nextAt', '#gpk', '#gsk', 'lastError');
    } else if (result.outcome === 'retry') {
      put('lastError', result.error);
      put('nextAt', result.nextAt);
      set.push('#gsk = :gsk');
      values[':gsk'] = keys.webhookDueSort(result.nextAt, tenant, id);
    } else {
      put('lastError', result.error);
      put('deadAt', result.at);
      values[':dead'] = 'dead';
      values[':gpk'] = keys.objectPartition(tenant, keys.WEBHOOK_DEAD_OBJECT);
      values[':gsk'] = `${result.at}#${id}`;
      set.push('#status = :dead', '#gpk = :gpk', '#gsk = :gsk');
      remove.push('nextAt');
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(tenant, id),
          ConditionExpression: 'lease = :token',
          UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** The tenant's dead deliveries, newest first, a page at a time. */
  async dead(tenant: string, limit: number, cursor?: string): Promise<{ items: DeliveryItem[]; nextCursor?: string }> {
    const partition = keys.objectPartition(tenant, keys.WEBHOOK_DEAD_OBJECT);
    const signature = `webhooks.dead:${tenant}`;
    const startKey = cursor
      ? decodeCursor(cursor, signature, { [byObject.partitionKey]: partition, [byObject.sortKey]: { prefix: '' }, pk: { prefix: keys.webhookDelivery(tenant, '').pk }, sk: 'WHD' })
      : undefined;
    const { Items, LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byObject.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return { items: (Items ?? []).map(strip), ...(LastEvaluatedKey ? { nextCursor: encodeCursor(signature, LastEvaluatedKey) } : {}) };
  }

  /** Puts a dead delivery back in the queue, due at `now`, with its attempts counted afresh. Null when it is not dead. */
  async replay(tenant: string, id: string, now: string): Promise<DeliveryItem | null> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(tenant, id),
          ConditionExpression: '#status = :dead',
          UpdateExpression: 'SET #status = :pending, attempts = :zero, nextAt = :now, updatedAt = :now, #gpk = :gpk, #gsk = :gsk REMOVE deadAt, lease',
          ExpressionAttributeNames: { '#status': 'status', '#gpk': byObject.partitionKey, '#gsk': byObject.sortKey },
          ExpressionAttributeValues: { ':dead': 'dead', ':pending': 'pending', ':zero': 0, ':now': now, ...Object.fromEntries(Object.entries(due(tenant, id, now)).map(([k, v]) => [k === 'gsi1pk' ? ':gpk' : ':gsk', v])) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? strip(Attributes) : null;
    } catch (error) {
      if (conditionFailed(error)) return null;
      throw error;
    }
  }

  async secret(tenant: string, webhook: string): Promise<WebhookSecretItem | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookSecret(tenant, webhook), ConsistentRead: true }));
    if (!Item) return null;
    return { secret: String(Item.secret), createdAt: String(Item.createdAt), ...(Item.previous ? { previous: String(Item.previous), previousUntil: String(Item.previousUntil) } : {}) };
  }

  /** Stores a webhook's first secret unless one exists; returns the one that is stored either way. */
  async createSecret(tenant: string, webhook: string, secret: string, at: string): Promise<WebhookSecretItem> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...keys.webhookSecret(tenant, webhook), kind: 'webhookSecret', tenant, webhook, secret, createdAt: at }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return { secret, createdAt: at };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.secret(tenant, webhook))!;
    }
  }

  /** Replaces the secret; the old one stays valid (signed with too) until `previousUntil`. */
  async rotateSecret(tenant: string, webhook: string, secret: string, at: string, previousUntil: string): Promise<WebhookSecretItem> {
    const current = await this.secret(tenant, webhook);
    const item = { secret, createdAt: at, ...(current ? { previous: current.secret, previousUntil } : {}) };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.webhookSecret(tenant, webhook), kind: 'webhookSecret', tenant, webhook, ...item } }));
    return item;
  }
}
