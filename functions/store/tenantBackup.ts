import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import { compileBundle } from '../engine/compile/compileBundle';
import { guardsOf } from '../engine/records/planWrites';
import type { MetadataBundle, StorageMap } from '../engine/metadata/types';
import { turnKeysOf } from '../engine/rules/turnKeys';
import { allMatchKeys } from '../engine/duplicates/duplicateRules';
import { exportLine, importItem } from './backupCodec';
import type { Item } from './backupCodec';
import { batchGetAll } from './batchGetAll';
import { byObjectQuery } from './byObject';
import { keys } from './keys';
import { queryAll } from './queryAll';
import { matchKeyItem, recordFromItem } from './recordItems';

/**
 * A tenant as a stream of JSON lines: a header, then every item with the tenant replaced by a
 * placeholder, so it can be restored under any tenant id (see backupCodec.ts). Items are found
 * by Query, or by BatchGetItem on keys the metadata names — never a Scan.
 *
 * Included, because a user would miss them:
 * - the tenant item, and the metadata partition (every version, the draft, template snapshots);
 * - users, teams and API keys (only the secret's hash, as stored; a restored key authenticates
 *   as `tsk_<restored tenant>_<id>_<secret>`, the same secret under the new tenant id);
 * - every record of every object any version ever had, with everything in its partition
 *   (history, roll-up counters, approval requests and work items, workflow state log), its rule
 *   runs, and its timers (a pending one is due again under the restored tenant: its due-index
 *   attributes are rebuilt; a fired one stays a marker until it expires);
 * - each user's notifications, and every saved view (private and shared) of every object, of
 *   every user and API key;
 * - auto-number counters, round-robin turn counters (listed on the by-object index, plus those
 *   the assignment and automation rules of any version name), and webhook signing secrets of
 *   every webhook any version declared.
 *
 * Rebuilt on import from what is included: login keys, unique guards, duplicate-rule match keys.
 *
 * Not included:
 * - audit entries (a day partition each; the restore is not the tenant's history of access);
 * - items of records deleted before the export (history, runs): nothing lists a deleted record;
 * - transient work: automation effect markers and delete origins (idempotency for deliveries
 *   in flight, expiring within a day), login failure counters, webhook deliveries (pending,
 *   delivered or dead: replaying them from a copy would call receivers again about another
 *   tenant's past), and import jobs with their uploaded rows and outcomes.
 *
 * A restore is not a change: the stream consumer ignores the records it writes (RESTORED_VERSION),
 * so no after-save rule, timer or webhook runs again for them.
 */
export const EXPORT_FORMAT = 'tessera-tenant-export';

const partitionQuery = (tableName: string, pk: string): QueryCommandInput => ({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });

/** What the metadata of every version names: objects, auto-number fields, round-robin counters, webhooks. */
interface Named {
  readonly objects: Set<string>;
  readonly counters: Map<string, { pk: string; sk: string }>;
  readonly turns: Map<string, { pk: string; sk: string }>;
  readonly webhooks: Map<string, { pk: string; sk: string }>;
}

function collect(named: Named, tenant: string, bundle: MetadataBundle): void {
  for (const o of bundle.objects) {
    named.objects.add(o.name);
    for (const f of o.fields) if (f.type === 'auto-number') named.counters.set(`${o.name}#${f.name}`, keys.counter(tenant, o.name, f.name));
  }
  for (const key of turnKeysOf(bundle)) named.turns.set(key, keys.turn(tenant, key));
  for (const w of bundle.webhooks ?? []) named.webhooks.set(w.name, keys.webhookSecret(tenant, w.name));
}

export async function* exportTenant(doc: DynamoDBDocumentClient, tableName: string, tenant: string): AsyncGenerator<string> {
  const tenantItem = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.tenant(tenant) }))).Item;
  if (!tenantItem) throw new Error(`there is no tenant ${tenant}`);
  yield JSON.stringify({ format: EXPORT_FORMAT, version: 1, tenant, exportedAt: new Date().toISOString() });
  yield exportLine(tenantItem, tenant);
  const line = (item: Item) => exportLine(item, tenant);

  const named: Named = { objects: new Set(), counters: new Map(), turns: new Map(), webhooks: new Map() };
  for await (const item of queryAll(doc, partitionQuery(tableName, keys.metadata(tenant)))) {
    yield line(item);
    if (item.kind === 'publish' || item.kind === 'rollback' || item.kind === 'draft') collect(named, tenant, JSON.parse(gunzipSync(item.bundle as Uint8Array).toString('utf8')) as MetadataBundle);
  }

  const users: string[] = [];
  const owners: string[] = [];
  for (const reserved of [keys.USERS_OBJECT, keys.TEAMS_OBJECT, keys.API_KEYS_OBJECT]) {
    for await (const item of queryAll(doc, byObjectQuery(tableName, tenant, reserved))) {
      yield line(item);
      if (item.kind === 'user') users.push(String(item.id));
      // Whoever signs in can save views: people, and integrations through their API keys.
      if (item.kind === 'user' || item.kind === 'apiKey') owners.push(String(item.id));
    }
  }

  for await (const item of queryAll(doc, byObjectQuery(tableName, tenant, keys.TURNS_OBJECT))) {
    yield line(item);
    named.turns.delete(String(item.turnKey));
  }
  // Auto-number counters, webhook secrets, and turn counters the rules name but last advanced before they were listed on the index.
  for await (const item of batchGetAll(doc, tableName, [...named.counters.values(), ...named.webhooks.values(), ...named.turns.values()])) yield line(item);

  for (const object of named.objects) {
    for await (const record of queryAll(doc, byObjectQuery(tableName, tenant, object))) {
      const id = String(record.id);
      // The record, its history, roll-ups and workflow items share its partition; runs and timers have their own.
      for (const pk of [String(record.pk), keys.runPartition(tenant, object, id), keys.timerPartition(tenant, object, id)]) {
        for await (const item of queryAll(doc, partitionQuery(tableName, pk))) yield line(item);
      }
    }
    // A view's partition is its (object, owner): one Query per pair (no index lists private views).
    for (const owner of owners) {
      for await (const item of queryAll(doc, partitionQuery(tableName, keys.savedViews(tenant, object, owner)))) yield line(item);
    }
  }
  for (const user of users) {
    for await (const item of queryAll(doc, partitionQuery(tableName, keys.notifications(tenant, user)))) yield line(item);
  }
}

async function batchPut(doc: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept items unprocessed; try the import again (it is idempotent)');
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/**
 * Restores an export into `tenant`, which must not exist yet. Login keys, unique guards and
 * duplicate-rule match keys are rebuilt from the users and records, pending timers' due-index
 * attributes from the timers, and records are marked as restored (see backupCodec.ts).
 * Returns the number of items written.
 */
export async function importTenant(doc: DynamoDBDocumentClient, tableName: string, tenant: string, lines: AsyncIterable<string> | Iterable<string>): Promise<number> {
  // Read the lines before any other await: a readline interface drops lines emitted while nobody iterates.
  let header: { format?: string; version?: number } | null = null;
  const items: Item[] = [];
  for await (const line of lines) {
    if (!line.trim()) continue;
    const parsed = JSON.parse(line);
    if (!header) {
      header = parsed;
      if (header?.format !== EXPORT_FORMAT || header.version !== 1) throw new Error('not a Tessera tenant export (version 1)');
      continue;
    }
    items.push(importItem(parsed, tenant));
  }
  if (!header) throw new Error('the export is empty');
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: keys.tenant(tenant) }))).Item) throw new Error(`tenant ${tenant} already exists; restore into an empty tenant`);
  const derived: Item[] = [];
  for (const item of items) if (item.kind === 'user') derived.push({ ...keys.login(tenant, String(item.email)), kind: 'login', tenant, userId: item.id });
  const head = items.find((i) => i.kind === 'head');
  if (head) {
    const version = items.find((i) => i.sk === keys.versionSk(Number(head.version)));
    if (version) {
      const bundle = JSON.parse(gunzipSync(version.bundle as Uint8Array).toString('utf8')) as MetadataBundle;
      const compiled = compileBundle(tenant, Number(head.version), bundle, version.storage as StorageMap);
      for (const item of items) {
        if (item.kind !== 'record' || !compiled.hasObject(String(item.object))) continue;
        const object = compiled.object(String(item.object));
        const record = recordFromItem(item);
        for (const guard of guardsOf(object, record.values, object.uniqueFields)) derived.push({ ...keys.guard(tenant, record.object, guard.field, guard.key), kind: 'guard', tenant, recordId: record.id });
        for (const k of allMatchKeys(object.duplicateRules, (name) => object.fields.get(name)?.def, record.values)) derived.push(matchKeyItem(tenant, record.object, k, record.id));
      }
    }
  }
  // The tenant item last: until it exists, the tenant is not usable and the import can be re-run.
  const tenantItems = items.filter((i) => i.kind === 'tenant');
  await batchPut(doc, tableName, [...items.filter((i) => i.kind !== 'tenant'), ...derived]);
  await batchPut(doc, tableName, tenantItems);
  return items.length + derived.length;
}
