import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { compileBundle } from '../functions/engine/compile/compileBundle';
import { withFormulas } from '../functions/engine/compile/compileObject';
import { numberKey } from '../functions/engine/fields/encoding';
import { assignSlots } from '../functions/engine/metadata/indexes';
import type { MetadataBundle, ObjectDef } from '../functions/engine/metadata/types';
import { KEY_SEP, PRESENT } from '../functions/engine/records/indexEntries';
import { planCreate, toApiRecord } from '../functions/engine/records/planWrites';
import { keys, slotSpec } from '../functions/store/keys';
import { recordItem } from '../functions/store/recordItems';
import { expectStatus } from './apiClient';
import type { RecordBody } from './apiClient';
import type { ValidationRow } from './engineCosts';
import type { Environment } from './environment';
import { benchBundle, rng } from './fixture';
import type { ListQuery } from './listQueries';
import { measure, opResult } from './measure';
import type { OpResult, Settings } from './measure';
import { summarize } from './stats';
import { wireSummary } from './wireLog';

/*
 * The scale rows: a list through a declared index over 100,000 records of one object
 * beside the raw Query; the cost of keeping two roll-ups in a child's write beside the same
 * write without them; and formula evaluation per record.
 */

/** Records of the large-list object; `BENCH_LEDGER` shortens a run while working on the bench. */
export const LEDGER_RECORDS = Number(process.env.BENCH_LEDGER ?? 100_000);
const STATUSES = ['open', 'closed', 'hold'] as const;
/** BatchWriteItem requests in flight while seeding: enough to keep DynamoDB Local busy on two cores. */
export const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8);

/**
 * Seeds the ledger with BatchWriteItem (25 items a request, several in flight): each item is
 * what an API create would have written — planned by the engine, keyed by the store's layout,
 * with its index entries — without history (the object keeps none). Returns the seconds taken.
 */
export async function seedLedger(env: Environment, count = LEDGER_RECORDS): Promise<number> {
  const object = compileBundle(env.tenant, 1, benchBundle(), env.storage).object('ledger');
  const random = rng(7);
  const ctx = { userId: env.userId, now: new Date(), newId: env.newId };
  return batchWriteAll(env, count, (i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const plan = planCreate(object, { name: `Ledger line ${i}`, status: STATUSES[i % 3], amount: Math.round(random() * 1_000_000) / 100, booked_on: `2026-10-${day}` }, ctx, {});
    return recordItem(env.tenant, plan.record!, plan.indexEntries);
  });
}

type Item = Record<string, unknown>;

/**
 * Writes `count` items made by `item(i)`, `per` a request sent by `send` (which answers the items
 * DynamoDB left unprocessed, sent again with backoff), SEED_CONCURRENCY requests in flight.
 * Returns the seconds taken.
 */
export async function writeAll(count: number, item: (i: number) => Item, per: number, send: (items: Item[]) => Promise<Item[]>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const batch = (): Item[] => {
    const items: Item[] = [];
    while (items.length < per && next < count) items.push(item(next++));
    return items;
  };
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let items = batch(); items.length > 0; items = batch()) {
        for (let attempt = 0; items.length > 0; attempt++) {
          items = await send(items);
          if (items.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One BatchWriteItem of `items`; answers the items DynamoDB left unprocessed. */
export async function batchWrite(env: Environment, items: Item[]): Promise<Item[]> {
  const res = await env.raw.send(new BatchWriteCommand({ RequestItems: { [env.tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
  return ((res.UnprocessedItems?.[env.tableName] ?? []) as Array<{ PutRequest: { Item: Item } }>).map((r) => r.PutRequest.Item);
}

/** `count` items made by `item(i)` with raw BatchWriteItem, 25 a request. Returns the seconds taken. */
export const batchWriteAll = (env: Environment, count: number, item: (i: number) => Item): Promise<number> => writeAll(count, item, 25, (items) => batchWrite(env, items));

/** Open ledger lines of at least 5,000 by amount, largest first: a declared index (status, amount) serves filter and sort. */
export function ledgerList(env: Environment): ListQuery & { object: string } {
  const slot = env.storage.indexSlots.ledger?.by_status_amount;
  if (slot === undefined) throw new Error('ledger.by_status_amount has no slot in the published storage map');
  const spec = slotSpec(slot);
  return {
    name: `list ${LEDGER_RECORDS.toLocaleString('en')}: status = open, amount ≥ 5000, sort -amount`,
    object: 'ledger',
    query: 'filter[status]=open&filter[amount][gte]=5000&sort=-amount&limit=50',
    servedBy: 'index:by_status_amount',
    raw: {
      TableName: env.tableName,
      IndexName: spec.indexName,
      KeyConditionExpression: '#pk = :p AND #sk BETWEEN :low AND :high',
      ExpressionAttributeNames: { '#pk': spec.partitionKey, '#sk': spec.sortKey },
      ExpressionAttributeValues: {
        ':p': keys.slotPartition(env.tenant, 'ledger', ['by_status_amount', PRESENT + 'open'].join(KEY_SEP)),
        ':low': PRESENT + numberKey(5000),
        ':high': PRESENT + '\uffff',
      },
      ScanIndexForward: false,
      Limit: 50,
    },
  };
}

/**
 * A child create that keeps two roll-ups of its parent (count and sum, one counters update in
 * the same transaction) beside the same create of an object no roll-up summarises — both
 * through the API, both pointing at a parent (one ConditionCheck). Ratio target ≤ 2×.
 */
export async function rollupWrites(env: Environment, settings: Settings): Promise<OpResult> {
  const parent = async (object: string) => expectStatus<RecordBody>(await env.lambda({ method: 'POST', path: `/api/objects/${object}/records`, body: { name: `${object} for the bench` } }), 201, object).body.id;
  const [withRollups, plain] = [await parent('order'), await parent('plain_order')];
  const line = (i: number, order: string) => ({ name: `Line ${i}`, order, quantity: 1 + (i % 9), amount: 10 + (i % 97) });
  const create = async (object: string, order: string, i: number) => expectStatus(await env.lambda({ method: 'POST', path: `/api/objects/${object}/records`, body: line(i, order) }), 201, object).ms;
  const apiProbe = await env.wire.capture(() => env.lambda({ method: 'POST', path: '/api/objects/order_line/records', body: line(0, withRollups) }));
  const rawProbe = await env.wire.capture(() => env.lambda({ method: 'POST', path: '/api/objects/plain_line/records', body: line(0, plain) }));
  const measured = await measure(env, settings, {
    api: (i) => create('order_line', withRollups, i),
    raw: (i) => create('plain_line', plain, i),
  });
  const check = expectStatus<Record<string, unknown>>(await env.lambda({ method: 'GET', path: `/api/objects/order/records/${withRollups}` }), 200, 'order');
  const expected = settings.warmup + settings.iterations + 1;
  if (check.body.lines !== expected) throw new Error(`order.lines is ${String(check.body.lines)}, expected ${expected}`);
  return opResult(
    { operation: 'create child with 2 roll-ups (count, sum)', rawOp: 'API create, same child without roll-ups', target: 2, wire: { api: wireSummary(apiProbe.requests), raw: wireSummary(rawProbe.requests) } },
    measured,
  );
}

/** Formula evaluation per record, in the engine: stored formulas on write, and a formula over parent fields on read. */
export function formulaCosts(batches = 30, batchSize = 1000): ValidationRow[] {
  const L = (en: string) => ({ en });
  const account: ObjectDef = { name: 'account', label: L('Account'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: L('Name') }, { name: 'tier', type: 'text', label: L('Tier') }] };
  const deal: ObjectDef = {
    name: 'deal',
    label: L('Deal'),
    nameField: 'name',
    fields: [
      { name: 'name', type: 'text', label: L('Name') },
      { name: 'amount', type: 'currency', label: L('Amount') },
      { name: 'probability', type: 'percent', label: L('Probability') },
      { name: 'close_date', type: 'date', label: L('Close') },
      { name: 'account', type: 'lookup', target: 'account', label: L('Account') },
      { name: 'expected', type: 'formula', returnType: 'currency', expression: 'amount * probability / 100', label: L('Expected') },
      { name: 'size', type: 'formula', returnType: 'text', expression: 'IF(expected >= 100000, "large", IF(expected >= 10000, "medium", "small"))', label: L('Size') },
      { name: 'label', type: 'formula', returnType: 'text', expression: 'CONCAT(UPPER(name), " / ", TEXT(YEAR(close_date)))', label: L('Label') },
      { name: 'days_left', type: 'formula', returnType: 'number', expression: 'DATEDIFF(TODAY(), close_date)', label: L('Days left') },
      { name: 'tier', type: 'formula', returnType: 'text', expression: 'BLANKVALUE(account.tier, "none")', label: L('Tier') },
    ],
  };
  const bundle: MetadataBundle = { objects: [account, deal] };
  const object = compileBundle('bench', 1, bundle, assignSlots(bundle, null, null).storage).object('deal');
  const now = new Date();
  const random = rng(3);
  const values = Array.from({ length: batchSize }, (_, i) => ({ name: `Deal ${i}`, amount: Math.round(random() * 1e7) / 100, probability: Math.floor(random() * 101), close_date: '2027-03-15', 'account.tier': 'gold' }));
  const stored = values.map((v) => ({ ...withFormulas(object, v, object.storedFormulas, now) }));
  const records = stored.map((v, i) => ({ object: 'deal', id: String(i), version: 1, owner: 'u', createdAt: '', createdBy: '', updatedAt: '', updatedBy: '', values: v }));
  const perRecordUs = (run: (i: number) => unknown): number[] => {
    const out: number[] = [];
    for (let b = 0; b < batches + 2; b++) {
      const started = performance.now();
      for (let i = 0; i < batchSize; i++) run(i);
      if (b >= 2) out.push(((performance.now() - started) * 1000) / batchSize);
    }
    return out;
  };
  const row = (what: string, run: (i: number) => unknown): ValidationRow => {
    const s = summarize(perRecordUs(run));
    return { what, p50Us: s.p50, p99Us: s.p99 };
  };
  return [
    row(`on write: ${object.storedFormulas.length} stored formulas (arithmetic, nested IF, CONCAT/UPPER/TEXT/YEAR)`, (i) => withFormulas(object, values[i]!, object.storedFormulas, now)),
    row(`on read: ${object.volatileFormulas.length} formulas (TODAY(), a parent field through a lookup), record shaped for the API`, (i) => toApiRecord(object, records[i]!, now)),
  ];
}
