import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRequest } from '../engine/workflows/approvalRequest';
import { TABLE_SPEC, keys } from './keys';
import { decodeCursor, encodeCursor } from './cursor';

/*
 * Workflow items, all under the record's own partition so they are written in the record's
 * transaction (as `alongside` items of its write plan) and exported with it:
 *
 * - an approval request (`AP#<request>`), the whole request as one item;
 * - one work item per approver and request (`APW#<request>#<user>`), which carries the
 *   by-owner index keys of the approver's inbox only while it waits for them — a decided one
 *   is put again without them and leaves the inbox, no delete needed;
 * - one state-log item per state change (`WF#<version>`), on the by-object index of the
 *   object's state log sorted by time, which the funnel reads by Query.
 */

const { byObject, byOwner } = TABLE_SPEC.indexes;

/** One state change of a record, as the funnel reads it. */
export interface StateChange {
  readonly recordId: string;
  readonly version: number;
  readonly from: string | null;
  readonly to: string;
  readonly at: string;
  readonly by: string;
  /** When the record had entered `from` (null when unknown: created before the workflow, or in no state). */
  readonly fromEnteredAt: string | null;
  readonly transition: string | null;
  /** The record's owner and amount at the change. */
  readonly owner: string;
  readonly amount: number | null;
}

/** A waiting approval in someone's inbox. */
export interface WorkItem {
  readonly request: string;
  readonly process: string;
  readonly object: string;
  readonly recordId: string;
  readonly recordName: string | null;
  readonly step: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  /** Who asked this user: `delegate:<user>` when someone handed the decision over. */
  readonly via: string;
  readonly since: string;
}

const pad = (version: number) => String(version).padStart(9, '0');

export function stateChangeItem(tenant: string, object: string, change: StateChange): Record<string, unknown> {
  return {
    pk: keys.record(tenant, object, change.recordId).pk,
    sk: keys.stateLogSk(change.version),
    kind: 'stateChange',
    tenant,
    object,
    ...change,
    [byObject.partitionKey]: keys.stateLog(tenant, object),
    [byObject.sortKey]: `${change.at}#${change.recordId}#${pad(change.version)}`,
  };
}

export function requestItem(tenant: string, request: ApprovalRequest): Record<string, unknown> {
  return { pk: keys.record(tenant, request.object, request.recordId).pk, sk: keys.approvalSk(request.id), kind: 'approvalRequest', tenant, request };
}

/** A work item: in the user's inbox while `waiting`, out of it (kept as a record of who was asked) once not. */
export function workItem(tenant: string, user: string, item: WorkItem, waiting: boolean): Record<string, unknown> {
  return {
    pk: keys.record(tenant, item.object, item.recordId).pk,
    sk: keys.approvalWorkSk(item.request, user),
    kind: 'approvalWork',
    tenant,
    user,
    waiting,
    ...item,
    ...(waiting ? { [byOwner.partitionKey]: keys.approvalInbox(tenant, user), [byOwner.sortKey]: `${item.since}#${item.request}` } : {}),
  };
}

const strip = <T>(item: Record<string, unknown>, fields: readonly string[]): T => Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as T;
const CHANGE_FIELDS = ['recordId', 'version', 'from', 'to', 'at', 'by', 'fromEnteredAt', 'transition', 'owner', 'amount'] as const;
const WORK_FIELDS = ['request', 'process', 'object', 'recordId', 'recordName', 'step', 'submittedBy', 'submittedAt', 'via', 'since'] as const;

export class WorkflowStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async request(tenant: string, object: string, recordId: string, requestId: string): Promise<ApprovalRequest | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.record(tenant, object, recordId).pk, sk: keys.approvalSk(requestId) }, ConsistentRead: true }));
    return Item?.kind === 'approvalRequest' ? (Item.request as ApprovalRequest) : null;
  }

  /** A record's approval requests, newest first (request ids are time-ordered). */
  async requestsOf(tenant: string, object: string, recordId: string): Promise<ApprovalRequest[]> {
    const out: ApprovalRequest[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': keys.record(tenant, object, recordId).pk, ':p': keys.APPROVAL_PREFIX },
          ScanIndexForward: false,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (item.kind === 'approvalRequest') out.push(item.request as ApprovalRequest);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** A user's waiting approvals, oldest first, one page (by Query on the inbox partition of the by-owner index). */
  async inbox(tenant: string, user: string, limit: number, cursor: string | null): Promise<{ items: WorkItem[]; nextCursor: string | null }> {
    const partition = keys.approvalInbox(tenant, user);
    const signature = `inbox:${partition}`;
    const start = cursor ? decodeCursor(cursor, signature, { [byOwner.partitionKey]: partition, [byOwner.sortKey]: { prefix: '' }, pk: { prefix: keys.tenantPrefix(tenant) }, sk: { prefix: 'APW#' } }) : undefined;
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byOwner.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': byOwner.partitionKey },
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: (page.Items ?? []).map((i) => strip<WorkItem>(i, WORK_FIELDS)), nextCursor: page.LastEvaluatedKey ? encodeCursor(signature, page.LastEvaluatedKey) : null };
  }

  /** An object's state changes between two instants, oldest first, at most `max` (by Query on the state log). */
  async stateChanges(tenant: string, object: string, from: string, to: string, max: number): Promise<{ changes: StateChange[]; complete: boolean }> {
    const changes: StateChange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byObject.indexName,
          KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#p': byObject.partitionKey, '#s': byObject.sortKey },
          // `~` sorts after the `#<record>#<version>` that follows every instant.
          ExpressionAttributeValues: { ':p': keys.stateLog(tenant, object), ':from': from, ':to': `${to}~` },
          Limit: Math.min(1000, max - changes.length + 1),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) changes.push(strip<StateChange>(item, CHANGE_FIELDS));
      start = page.LastEvaluatedKey;
    } while (start && changes.length <= max);
    const complete = changes.length <= max && !start;
    return { changes: changes.slice(0, max), complete };
  }
}
