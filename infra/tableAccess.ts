/**
 * What each route group's function may do to the table: only the DynamoDB actions its code
 * sends, read from `functions/store` (see the list per group). A store method that sends a
 * new command needs its action here, or it fails in AWS with AccessDenied — DynamoDB Local
 * enforces no IAM, so only the CDK template tests see this table.
 *
 * TransactWriteItems is not an IAM action: DynamoDB authorises each item of a transaction
 * as PutItem, UpdateItem, DeleteItem or ConditionCheckItem. Scan is never granted (law 5:
 * every list is a Query).
 */
import type { RouteGroup } from '../functions/api/http';
import type { AutomationFunctionName } from './bundling';
import { TABLE_SPEC, allGsis } from '../functions/store/keys';

export type TableAction = 'GetItem' | 'BatchGetItem' | 'BatchWriteItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem' | 'Query';

export interface TableAccess {
  /** Actions on the table itself. */
  readonly actions: readonly TableAction[];
  /** Indexes the group queries (Query is the only action allowed on an index). */
  readonly indexes: readonly string[];
}

const { byObject } = TABLE_SPEC.indexes;

export const TABLE_ACCESS: Readonly<Record<RouteGroup, TableAccess>> = {
  /** GET /api/health touches nothing. */
  system: { actions: [], indexes: [] },
  /**
   * GET /api/me: the caller, their user and tenant (GetItem). POST /auth/login also writes
   * login failures and audit entries, but only with the local identity provider: with Cognito
   * (always, in AWS) it refuses before reading anything.
   */
  auth: { actions: ['GetItem'], indexes: [] },
  /**
   * MetadataStore: head / version / draft (GetItem), saveDraft (PutItem), discardDraft
   * (DeleteItem), versions (Query on the table), publish (a transaction of Put and Delete);
   * after a publish, backfillIndexSlots (Query on by_object, UpdateItem per record); the audit
   * entry of a publish (PutItem); the caller (GetItem). A duplicate rule published anew gets the
   * match keys of existing records (Query on by_object, BatchWriteItem of Puts).
   * A publish's data migrations patch records as the records group does (transactions of Put,
   * Update, Delete and ConditionCheck; a master-detail backfill reads masters with BatchGetItem;
   * min/max roll-ups are recomputed through the child's index: Query on any index). Purging a
   * removed field updates records and their history entries (UpdateItem) and deletes its guards.
   */
  metadata: { actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem', 'Query'], indexes: allGsis().map((g) => g.indexName) },
  /**
   * RecordStore: get (GetItem), commit (a transaction of Put, Delete and ConditionCheck),
   * nextCounter (UpdateItem), history and lastOwner (Query on the table), list (Query on any
   * index); the record scope's users and teams (Query on by_object); the caller and the
   * metadata it serves from (GetItem); roll-up counters beside a page of records (BatchGetItem)
   * and min/max recomputation (UpdateItem). The batch route sends each item through the same
   * createRecord / patchRecord, so it needs nothing more.
   */
  /**
   * Export and search read records as lists do (Query on any index, roll-up counters, the caller's scope).
   * Imports write records through the same pipeline as the records group (transactions of Put,
   * Update, Delete and ConditionCheck; counters; roll-ups; deletes on undo), store their jobs,
   * chunks and row outcomes (PutItem, BatchWriteItem; Query on the table and by_object), and
   * read match keys by Query; merges commit transactions of record writes. Duplicate groups
   * read match keys on by_object.
   * In every group, the caller is a user (GetItem) or an API key (GetItem of its item).
   */
  data: { actions: ['GetItem', 'BatchGetItem', 'BatchWriteItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query'], indexes: allGsis().map((g) => g.indexName) },
  records: { actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query'], indexes: allGsis().map((g) => g.indexName) },
  /**
   * Users and teams: user, team, metadata (GetItem), users and teams (Query on by_object),
   * createUser (a transaction of Puts), updateUser (UpdateItem), putTeam and audit entries
   * (PutItem), the audit of a day (Query on the table); access explanations read a record (GetItem).
   * API keys: create (PutItem), list (Query on by_object), revoke (UpdateItem), audit entries (PutItem).
   * Webhook administration: a signing secret (GetItem; PutItem on first use and rotation), the
   * metadata naming the webhook (GetItem), a delivery (GetItem), replay (UpdateItem), the dead
   * list (Query on by_object), audit entries (PutItem).
   */
  admin: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], indexes: [byObject.indexName] },
  /** The OpenAPI document: the caller (a user's or an API key's item), the tenant and the published metadata (GetItem). */
  docs: { actions: ['GetItem'], indexes: [] },
};

/**
 * The API's authorizer (`functions/api/lambda/authorizer.ts`): an API key's item (GetItem).
 * Cognito tokens it verifies against the user pool's public keys, without the table.
 */
export const AUTHORIZER_ACCESS: TableAccess = { actions: ['GetItem'], indexes: [] };

/**
 * The webhook queue's consumer (`functions/automation/lambda/webhooks.ts`, issue 11's
 * `Automation` construct): a delivery and its signing secret (GetItem; PutItem makes the secret
 * on first use), the published metadata naming the webhook (GetItem), claiming an attempt and
 * recording its outcome (UpdateItem). It also needs `sqs:SendMessage` on its own queue, to
 * announce a retry for when it is due.
 */
export const WEBHOOK_QUEUE_ACCESS: TableAccess = { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] };

/**
 * What `runDueDeliveries` (the one-minute schedule's backstop behind the queue) adds to the
 * consumer's: due deliveries by Query on the by-object index, one per shard of the due partition.
 * Whoever enqueues (the stream consumer) needs PutItem, and `sqs:SendMessage` on the queue.
 */
export const WEBHOOK_TICK_ACCESS: TableAccess = { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [byObject.indexName] };

/** Record writes through the one write pipeline (`functions/api/operations/save.ts`), as automation actions make them. */
const RECORD_WRITES: TableAccess = TABLE_ACCESS.records;

/**
 * What each automation function may do to the table. The stream consumer and the tick run
 * rule actions, which write records through the same pipeline as the records group
 * (transactions of Put, Update, Delete and ConditionCheck; counters; roll-ups; the directory
 * and least-loaded counts by Query on the indexes), plus what automation itself keeps: rule
 * runs, notifications and round-robin turns (PutItem, UpdateItem), timers (Query on the
 * table, PutItem, DeleteItem, UpdateItem, GetItem; the tick's Query on by_owner), webhook
 * deliveries (PutItem; the due-delivery Query on by_object when no queue is configured). All
 * of that is within the records group's grant, so they share it.
 *
 * The webhook consumer reads the published metadata and the delivery (GetItem), claims and
 * finishes it (UpdateItem) and creates a webhook's signing secret on first use (PutItem).
 */
export const AUTOMATION_ACCESS: Readonly<Record<AutomationFunctionName, TableAccess>> = {
  stream: RECORD_WRITES,
  tick: RECORD_WRITES,
  webhooks: { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] },
};
