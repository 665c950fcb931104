/**
 * The table's key layout, as data. The repository builds every key here and the CDK
 * `DataTable` construct reads `TABLE_SPEC`, so the two cannot drift. Every key starts with
 * the tenant (`T#<tenant>#…`); tenant ids cannot contain `#`.
 *
 * The one exception: the due-work partitions `P#…DUE#<shard>` (pending webhook deliveries on
 * `by_object`, pending timers on `by_owner`) are index keys that hold every tenant's items,
 * because the periodic tick must find what is due across tenants with one Query per shard and
 * never a Scan. Base-table keys still start with the tenant, the due sort key names the
 * tenant, and the tick re-reads each item under its tenant's key before acting on it.
 */
import { createHash } from 'node:crypto';
import { MAX_INDEX_SLOTS } from '../engine/metadata/indexes';

const guardKey = (key: string) => (Buffer.byteLength(key) <= 512 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`);

export interface GsiSpec {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

const slotSpecs: GsiSpec[] = Array.from({ length: MAX_INDEX_SLOTS }, (_, i) => ({
  indexName: `slot${i + 1}`,
  partitionKey: `s${i + 1}pk`,
  sortKey: `s${i + 1}sk`,
}));

export const TABLE_SPEC = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** All GSIs project every attribute: a list page is one Query, never a Query plus GetItems. */
  indexes: {
    byObject: { indexName: 'by_object', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    byOwner: { indexName: 'by_owner', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    slots: slotSpecs,
  },
  stream: 'NEW_AND_OLD_IMAGES',
  /** Items with this attribute (epoch seconds) expire: automation effect markers. */
  timeToLive: 'expiresAt',
} as const;

export const allGsis = (): GsiSpec[] => [TABLE_SPEC.indexes.byObject, TABLE_SPEC.indexes.byOwner, ...TABLE_SPEC.indexes.slots];

export const slotSpec = (slot: number): GsiSpec => {
  const spec = TABLE_SPEC.indexes.slots[slot - 1];
  if (!spec) throw new Error(`no index slot ${slot}`);
  return spec;
};

const t = (tenant: string) => `T#${tenant}`;

export const keys = {
  tenantPrefix: (tenant: string) => `${t(tenant)}#`,
  tenant: (tenant: string) => ({ pk: `${t(tenant)}#TENANT`, sk: 'TENANT' }),

  record: (tenant: string, object: string, id: string) => ({ pk: `${t(tenant)}#R#${object}#${id}`, sk: 'R' }),
  historySk: (entryId: string) => `H#${entryId}`,
  /** Roll-up counters of a record, beside it in its partition (a child's transaction updates them without touching the record). */
  ROLLUP_SK: 'ROLLUP',
  HISTORY_PREFIX: 'H#',
  /**
   * Beside a deleted record, in its partition: the origin of the delete (an import's undo with
   * automations off), for the stream consumer — a REMOVE's image cannot say who deleted.
   */
  DELETE_ORIGIN_SK: 'DELETED',
  objectPartition: (tenant: string, object: string) => `${t(tenant)}#O#${object}`,
  ownerPartition: (tenant: string, object: string, owner: string) => `${t(tenant)}#O#${object}#OWN#${owner}`,
  /** Generic slot partition: tenant, object, then the engine's index partition (index name and equality values). */
  slotPartition: (tenant: string, object: string, partition: string) => `${t(tenant)}#O#${object}#I#${partition}`,

  /** Long unique values are hashed so the key stays under DynamoDB's 2 KB partition-key limit. */
  guard: (tenant: string, object: string, field: string, key: string) => ({ pk: `${t(tenant)}#U#${object}#${field}#${guardKey(key)}`, sk: 'U' }),
  counter: (tenant: string, object: string, field: string) => ({ pk: `${t(tenant)}#N#${object}#${field}`, sk: 'N' }),

  metadata: (tenant: string) => `${t(tenant)}#META`,
  HEAD_SK: 'HEAD',
  DRAFT_SK: 'DRAFT',
  /** What a template shipped at the version a tenant installed: the base of a later three-way upgrade. */
  templateSnapshotSk: (name: string, version: string) => `TPL#${name}@${version}`,
  versionSk: (version: number) => `V#${String(version).padStart(9, '0')}`,
  VERSION_PREFIX: 'V#',

  /** A webhook delivery, by its id (derived from the event and the webhook): the source of truth of its status. */
  webhookDelivery: (tenant: string, id: string) => ({ pk: `${t(tenant)}#WHD#${id}`, sk: 'WHD' }),
  /** A webhook's signing secret: in the table, never in metadata (which is kept in git). */
  webhookSecret: (tenant: string, webhook: string) => ({ pk: `${t(tenant)}#WHSECRET#${webhook}`, sk: 'WHSECRET' }),
  /** Dead deliveries are listed, newest first, through the by-object index under a reserved object name. */
  WEBHOOK_DEAD_OBJECT: '_webhook_dead',
  /**
   * Pending deliveries of every tenant, on the by-object index sorted by due time, so the
   * delivery tick finds what is due with one Query per shard. A partition family not led by a
   * tenant (see the exception above): a work queue across tenants holds only (due time,
   * tenant, delivery id), and the delivery is then read under its tenant's key. Sharded by
   * delivery id so no partition takes more than 1/WEBHOOK_DUE_SHARDS of the writes.
   */
  WEBHOOK_DUE_SHARDS: 8,
  webhookDuePartition: (shard: number) => `P#WHDUE#${shard}`,
  webhookDueSort: (dueAt: string, tenant: string, id: string) => `${dueAt}#${tenant}#${id}`,

  /** A record's timer for one time-triggered rule: beside the record's own partition, one item per (record, rule). */
  timer: (tenant: string, object: string, id: string, rule: string) => ({ pk: `${t(tenant)}#TIMER#${object}#${id}`, sk: rule }),
  timerPartition: (tenant: string, object: string, id: string) => `${t(tenant)}#TIMER#${object}#${id}`,
  /**
   * Pending timers of every tenant on the by-owner index, sorted by due time, so the tick
   * finds what is due with one Query per shard (see the exception above). Sharded by record
   * so no partition takes more than 1/TIMER_DUE_SHARDS of the writes.
   */
  TIMER_DUE_SHARDS: 8,
  timerDuePartition: (shard: number) => `P#TIMERDUE#${shard}`,
  timerDueSort: (dueAt: string, tenant: string, object: string, id: string, rule: string) => `${dueAt}#${tenant}#${object}#${id}#${rule}`,

  user: (tenant: string, userId: string) => ({ pk: `${t(tenant)}#USER#${userId}`, sk: 'USER' }),
  login: (tenant: string, email: string) => ({ pk: `${t(tenant)}#LOGIN#${email.trim().toLowerCase()}`, sk: 'LOGIN' }),
  /** Users are listed through the by-object index under a reserved object name. */
  USERS_OBJECT: '_user',
  team: (tenant: string, teamId: string) => ({ pk: `${t(tenant)}#TEAM#${teamId}`, sk: 'TEAM' }),
  TEAMS_OBJECT: '_team',
  /** Audit entries: one partition per tenant and day, so a busy tenant does not write one hot partition forever. */
  auditPartition: (tenant: string, day: string) => `${t(tenant)}#AUDIT#${day}`,
  auditSk: (entryId: string) => `A#${entryId}`,
  /** An applied automation effect (event, rule, action): written in the effect's own transaction. */
  effect: (tenant: string, key: string) => ({ pk: `${t(tenant)}#EFFECT#${guardKey(key)}`, sk: 'EFFECT' }),
  /** Round-robin turn counters, one per assignment entry or assign action (names: engine/rules/turnKeys.ts). */
  turn: (tenant: string, key: string) => ({ pk: `${t(tenant)}#TURN#${key}`, sk: 'TURN' }),
  /** Turn counters are listed through the by-object index under a reserved object name (so a backup finds every one by Query). */
  TURNS_OBJECT: '_turn',
  /** Rule runs: under the record they ran on; listed per rule through the by-object index. */
  runPartition: (tenant: string, object: string, id: string) => `${t(tenant)}#RUNS#${object}#${id}`,
  runsOfRule: (tenant: string, rule: string) => `${t(tenant)}#RULERUNS#${rule}`,
  /** A user's in-app notifications, newest last. */
  notifications: (tenant: string, user: string) => `${t(tenant)}#NOTIF#${user}`,
  /**
   * Workflow items under a record's own partition (kept after a delete, like history): its
   * approval requests, their approvers' work items, and its state log (one item per state change).
   */
  APPROVAL_PREFIX: 'AP#',
  approvalSk: (requestId: string) => `AP#${requestId}`,
  approvalWorkSk: (requestId: string, user: string) => `APW#${requestId}#${user}`,
  stateLogSk: (version: number) => `WF#${String(version).padStart(9, '0')}`,
  /** A user's pending approvals, on the by-owner index: a work item carries these keys only while it waits for that user. */
  approvalInbox: (tenant: string, user: string) => `${t(tenant)}#INBOX#${user}`,
  /** An object's state changes in time order, on the by-object index, so a funnel is read by Query. */
  stateLog: (tenant: string, object: string) => `${t(tenant)}#STATELOG#${object}`,
  loginFailures: (tenant: string, email: string) => ({ pk: `${t(tenant)}#LOGINFAIL#${email.trim().toLowerCase()}`, sk: 'LOGINFAIL' }),
  /**
   * An integration's API key, by its id. The secret is presented as `tsk_<tenant>_<id>_<secret>`,
   * so a request finds the item with one GetItem; only the secret's SHA-256 is stored.
   */
  apiKey: (tenant: string, keyId: string) => ({ pk: `${t(tenant)}#APIKEY#${keyId}`, sk: 'APIKEY' }),
  /** API keys are listed through the by-object index under a reserved object name. */
  API_KEYS_OBJECT: '_apikey',
  /** A user's saved list views of one object (private and shared): one partition per (object, user), one item per view. */
  savedViews: (tenant: string, object: string, owner: string) => `${t(tenant)}#VIEWS#${object}#${owner}`,
  savedViewSk: (id: string) => `V#${id}`,
  /** Shared views of an object, listed through the by-object index (a sparse entry: only shared views carry it). */
  sharedViews: (tenant: string, object: string) => `${t(tenant)}#VIEWS#${object}#SHARED`,

  /**
   * A record's duplicate-rule match key: one item per (rule, key, record), written and removed
   * in the record's own transaction. The records sharing a key are one Query on its partition
   * (consistent); `rule` is the rule's name and version (`name@hash`), so a changed rule's keys
   * never mix with the old ones.
   */
  matchKey: (tenant: string, object: string, rule: string, key: string, recordId: string) => ({ pk: `${t(tenant)}#DUP#${object}#${rule}#${guardKey(key)}`, sk: recordId }),
  matchKeyPartition: (tenant: string, object: string, rule: string, key: string) => `${t(tenant)}#DUP#${object}#${rule}#${guardKey(key)}`,
  /** Every key of a rule on the by-object index, sorted by key: records sharing one are adjacent, so duplicate groups are read in order, page by page. */
  matchKeyGroups: (tenant: string, object: string, rule: string) => `${t(tenant)}#DUPS#${object}#${rule}`,
  matchKeyGroupSort: (key: string, recordId: string) => `${guardKey(key)}\u0001${recordId}`,

  /** An import job (its settings, progress and counts), with its uploaded rows in chunks and one result item per row under it. */
  importJob: (tenant: string, id: string) => ({ pk: `${t(tenant)}#IMPORT#${id}`, sk: 'JOB' }),
  importPartition: (tenant: string, id: string) => `${t(tenant)}#IMPORT#${id}`,
  /** Rows as uploaded, up to 100 per chunk item; a batch of the run is one chunk. */
  importChunkSk: (chunk: number) => `C#${String(chunk).padStart(6, '0')}`,
  IMPORT_CHUNK_PREFIX: 'C#',
  /** A row's outcome (created, updated with its before-image, skipped, failed with its problems), written with the row's own write. */
  importRowSk: (row: number) => `ROW#${String(row).padStart(7, '0')}`,
  IMPORT_ROW_PREFIX: 'ROW#',
  /** A dry run's outcomes of one chunk's rows. */
  importDrySk: (chunk: number) => `DRY#${String(chunk).padStart(6, '0')}`,
  IMPORT_DRY_PREFIX: 'DRY#',
  /** A tenant's import jobs, newest first, on the by-object index. */
  imports: (tenant: string) => `${t(tenant)}#IMPORTS`,
} as const;
