import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import { compileBundle } from '../engine/compile/compileBundle';
import { guardsOf } from '../engine/records/planWrites';
import type { MetadataBundle, StorageMap } from '../engine/metadata/types';
import { keys } from './keys';
import { queryAll } from './queryAll';
import { byObjectQuery } from './byObject';
import { matchKeyItem, recordFromItem } from './recordItems';
import { allMatchKeys } from '../engine/duplicates/duplicateRules';

/**
 * A tenant as a stream of JSON lines: a header, then every item with the tenant replaced by a
 * placeholder, so it can be restored under any tenant id. Items are found by Query only:
 * the metadata partition (versions, draft, template snapshots), users and teams, every
 * object's records (for every object any version ever had) with their history, and the
 * auto-number counters. Derived items (login keys, unique guards, duplicate-rule match keys) are rebuilt on import.
 * Not included: audit entries and the history of records deleted before the export.
 */
export const EXPORT_FORMAT = 'tessera-tenant-export';
const PLACEHOLDER = '{{tenant}}';

type Item = Record<string, unknown>;

function encode(value: unknown, tenant: string): unknown {
  if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
  if (typeof value === 'string') return value.startsWith(`T#${tenant}#`) ? `T#${PLACEHOLDER}#${value.slice(tenant.length + 3)}` : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, tenant));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'tenant' ? PLACEHOLDER : encode(v, tenant)]));
  return value;
}

function decode(value: unknown, tenant: string): unknown {
  if (typeof value === 'string') return value.startsWith(`T#${PLACEHOLDER}#`) ? `T#${tenant}#${value.slice(PLACEHOLDER.length + 3)}` : value === PLACEHOLDER ? tenant : value;
  if (Array.isArray(value)) return value.map((v) => decode(v, tenant));
  if (value && typeof value === 'object') {
    if ('$b64' in value && Object.keys(value).length === 1) return Buffer.from(String((value as { $b64: string }).$b64), 'base64');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, tenant)]));
  }
  return value;
}



export async function* exportTenant(doc: DynamoDBDocumentClient, tableName: string, tenant: string): AsyncGenerator<string> {
  const tenantItem = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.tenant(tenant) }))).Item;
  if (!tenantItem) throw new Error(`there is no tenant ${tenant}`);
  yield JSON.stringify({ format: EXPORT_FORMAT, version: 1, tenant, exportedAt: new Date().toISOString() });
  yield JSON.stringify(encode(tenantItem, tenant));

  const objects = new Set<string>();
  const counters = new Set<string>();
  for await (const item of queryAll(doc, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.metadata(tenant) } })) {
    yield JSON.stringify(encode(item, tenant));
    if (item.kind === 'publish' || item.kind === 'rollback' || item.kind === 'draft') {
      const bundle = JSON.parse(gunzipSync(item.bundle as Uint8Array).toString('utf8')) as MetadataBundle;
      for (const o of bundle.objects) {
        objects.add(o.name);
        for (const f of o.fields) if (f.type === 'auto-number') counters.add(`${o.name}\u0000${f.name}`);
      }
    }
  }
  for (const reserved of [keys.USERS_OBJECT, keys.TEAMS_OBJECT]) {
    for await (const item of queryAll(doc, byObjectQuery(tableName, tenant, reserved))) yield JSON.stringify(encode(item, tenant));
  }
  for (const object of objects) {
    for await (const record of queryAll(doc, byObjectQuery(tableName, tenant, object))) {
      // The record and its history share the record's partition.
      for await (const item of queryAll(doc, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': record.pk } })) yield JSON.stringify(encode(item, tenant));
    }
  }
  for (const counter of counters) {
    const [object, field] = counter.split('\u0000') as [string, string];
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.counter(tenant, object, field) }))).Item;
    if (item) yield JSON.stringify(encode(item, tenant));
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
 * duplicate-rule match keys are rebuilt from the users and records. Returns the number of items written.
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
    items.push(decode(parsed, tenant) as Item);
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
