/**
 * The import row (issue 10): 10,000 CSV rows imported through import jobs — each row the same
 * write as an API create, with a validation rule, a duplicate rule (warn on the normalised
 * phone) and round-robin assignment — beside raw BatchWriteItem writing the very items the
 * import wrote (copies of one batch's items, re-keyed, index attributes included, so DynamoDB
 * maintains the same indexes). Target: import rows/s ≥ 50% of the raw rate.
 *
 * A third line writes the same copies with raw TransactWriteItems of 100 items: every write is
 * one transaction (ARCHITECTURE.md, law 6), and on DynamoDB Local a transaction's item costs
 * about twice a batch's, so that line is the most an import can reach without giving the law up.
 *
 * A job holds at most the 1 MiB request body, so the file goes up as several jobs of the same
 * settings (what the staff app does with a larger file); only their runs are timed.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import Papa from 'papaparse';
import type { MetadataBundle, ObjectDef } from '../functions/engine/metadata/types';
import { forgetDirectory } from '../functions/api/operations/directory';
import { MAX_BODY_BYTES } from '../functions/api/bodyLimits';
import { expectStatus } from './apiClient';
import type { Answer } from './apiClient';
import type { Environment } from './environment';
import { deal, dealInput, rng } from './fixture';
import { SEED_CONCURRENCY, batchWrite, writeAll } from './scale';
import { table } from './stats';

export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
export const IMPORT_TARGET = 0.5;

export interface ImportFigures {
  readonly rows: number;
  readonly jobs: number;
  readonly importSeconds: number;
  readonly created: number;
  readonly warned: number;
  /** Items the import's transactions wrote per row, and their average size: what the raw side writes. */
  readonly itemsPerRow: number;
  readonly itemBytes: number;
  /** The same items (copies) with raw BatchWriteItem, 25 a request. */
  readonly rawSeconds: number;
  /** The same items with raw TransactWriteItems, 100 a transaction: the ceiling of law 6. */
  readonly rawTransactSeconds: number;
  readonly concurrency: number;
}

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh });

function importBundle(current: MetadataBundle): MetadataBundle {
  const object: ObjectDef = { ...structuredClone(deal), name: 'imported_deal', label: label('Imported deal', '导入商机') };
  return {
    ...current,
    objects: [...current.objects.filter((o) => o.name !== object.name), object],
    roles: [...(current.roles ?? []).filter((r) => r.name !== 'rep'), { name: 'rep', label: label('Rep', '销售') }],
    validationRules: [
      ...(current.validationRules ?? []).filter((r) => r.object !== object.name),
      { name: 'won_has_close_date', object: object.name, conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'won' }, { fact: 'close_date', operator: 'isBlank', value: true }] }, message: label('A won deal has a close date', '赢单须有成交日期'), field: 'close_date' },
    ],
    duplicateRules: [
      ...(current.duplicateRules ?? []).filter((r) => r.object !== object.name),
      { name: 'same_phone', object: object.name, action: 'warn', conditions: [{ type: 'phone', field: 'phone' }] },
    ],
    assignmentRules: [...(current.assignmentRules ?? []).filter((r) => r.object !== object.name), { object: object.name, entries: [{ name: 'reps_in_turn', assignee: { type: 'roundRobin', role: 'rep' } }] }],
  };
}

/** The rows as CSV files of at most ~¾ of the body limit each (JSON escaping adds a little). */
function csvFiles(env: Environment, rows: number): string[] {
  const random = rng(42);
  const records = Array.from({ length: rows }, (_, i) => {
    const { account_manager: _m, ...values } = dealInput(i, 'import', env.userId, random);
    // Every 50th row shares a phone with the row before it: the duplicate rule warns.
    return { ...values, phone: i % 50 === 1 ? `+86 138 0000 ${String(i - 1).padStart(4, '0')}` : i % 50 === 0 ? `+86 138 0000 ${String(i).padStart(4, '0')}` : values.phone };
  });
  const files: string[] = [];
  const limit = Math.floor(MAX_BODY_BYTES * 0.75);
  let start = 0;
  while (start < records.length) {
    let end = Math.min(records.length, start + 4000);
    let csv = Papa.unparse(records.slice(start, end));
    while (Buffer.byteLength(JSON.stringify({ csv })) > limit) {
      end = start + Math.floor((end - start) * 0.8);
      csv = Papa.unparse(records.slice(start, end));
    }
    files.push(csv);
    start = end;
  }
  return files;
}

interface RowsPage {
  items: Array<{ duplicates?: unknown[] }>;
  nextCursor: string | null;
}

interface Job {
  id: string;
  status: string;
  run: { done: boolean; rowsDone: number; counts: Record<string, number> } | null;
}

export async function importCosts(env: Environment): Promise<ImportFigures> {
  const current = expectStatus<Record<string, unknown>>(await env.lambda({ method: 'GET', path: '/api/metadata' }), 200, 'metadata');
  const { version: _v, publishedAt: _p, publishedBy: _b, ...bundle } = current.body;
  for (let i = 0; i < 5; i++) {
    await env.services.identity.createUser(env.tenant, { id: env.newId(), email: `importer${i}@bench.example`, name: `Import rep ${i}`, roles: ['rep'], active: true, createdAt: new Date().toISOString(), passwordHash: '' });
  }
  forgetDirectory(env.tenant);
  expectStatus(await env.lambda({ method: 'PUT', path: '/api/metadata/draft', body: importBundle(bundle as unknown as MetadataBundle) }), 200, 'draft');
  expectStatus(await env.lambda({ method: 'POST', path: '/api/metadata/publish' }), 201, 'publish');

  const jobs: Job[] = [];
  for (const [i, csv] of csvFiles(env, IMPORT_ROWS).entries()) {
    const job = expectStatus<Job>(await env.lambda({ method: 'POST', path: '/api/imports', body: { object: 'imported_deal', name: `deals-${i + 1}.csv`, csv } }), 201, 'upload');
    expectStatus(await env.lambda({ method: 'PATCH', path: `/api/imports/${job.body.id}`, body: { mode: 'create' } }), 200, 'settings');
    jobs.push(job.body);
  }

  // One probe batch of the first job, recorded: what a row writes, and the items themselves for the raw side.
  const written: Item[] = [];
  env.services.doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TransactItems?: Array<{ Put?: { Item: Item } }> };
      for (const t of input.TransactItems ?? []) if (t.Put) written.push(t.Put.Item);
      return next(args);
    },
    { step: 'initialize', name: 'benchImportItems' },
  );
  const probe = await env.wire.capture(() => env.lambda({ method: 'POST', path: `/api/imports/${jobs[0]!.id}/run` }));
  env.services.doc.middlewareStack.remove('benchImportItems');
  const probeRows = expectStatus<Job>(probe.result, 200, 'probe batch').body.run!.rowsDone;
  // Rows written side by side share transactions: items are counted per row of the batch.
  const writes = probe.requests.filter((r) => r.operation === 'TransactWriteItems');
  const puts = writes.reduce((n, r) => n + (r.transactItems?.filter((k) => k === 'Put' || k === 'Update').length ?? 0), 0);
  const itemsPerRow = probeRows ? puts / probeRows : 1;
  const itemBytes = Math.round(writes.reduce((n, r) => n + r.bytes, 0) / Math.max(1, puts));

  const started = performance.now();
  let created = 0;
  let warned = 0;
  for (const job of jobs) {
    for (;;) {
      const res = expectStatus<Job>(await env.lambda({ method: 'POST', path: `/api/imports/${job.id}/run` }), 200, 'run batch');
      if (res.body.run?.done) {
        created += res.body.run.counts.created ?? 0;
        break;
      }
    }
  }
  const importSeconds = (performance.now() - started) / 1000;
  for (const job of jobs) {
    for (let cursor: string | null = null; ; ) {
      const page: Answer<RowsPage> = expectStatus<RowsPage>(
        await env.lambda({ method: 'GET', path: `/api/imports/${job.id}/rows${cursor ? `?cursor=${cursor}` : ''}` }),
        200,
        'rows',
      );
      warned += page.body.items.filter((r) => r.duplicates?.length).length;
      if (!(cursor = page.body.nextCursor)) break;
    }
  }
  if (created !== IMPORT_ROWS) throw new Error(`the import created ${created} of ${IMPORT_ROWS} rows`);

  const count = Math.round(IMPORT_ROWS * itemsPerRow);
  if (written.length === 0) throw new Error('the probe batch wrote no items to copy');
  // A copy keeps every attribute (index keys included) and gets a partition key of its own.
  const copy = (tag: string) => (i: number): Item => ({ ...written[i % written.length]!, pk: `${String(written[i % written.length]!.pk)}#RAW${tag}#${i}` });
  const rawSeconds = await writeAll(count, copy('BATCH'), 25, (items) => batchWrite(env, items));
  const rawTransactSeconds = await writeAll(count, copy('TXN'), 100, async (items) => {
    await env.raw.send(new TransactWriteCommand({ TransactItems: items.map((Item) => ({ Put: { TableName: env.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })) }));
    return [];
  });
  return { rows: IMPORT_ROWS, jobs: jobs.length, importSeconds, created, warned, itemsPerRow, itemBytes, rawSeconds, rawTransactSeconds, concurrency: SEED_CONCURRENCY };
}

type Item = Record<string, unknown>;

export function importText(f: ImportFigures): string {
  const importRate = f.rows / f.importSeconds;
  const rawRate = f.rows / f.rawSeconds;
  const ratio = importRate / rawRate;
  const transactRate = f.rows / f.rawTransactSeconds;
  const rows = [
    ['operation', 'rows', 'seconds', 'rows/s', 'ratio', 'target', 'verdict'],
    ['import (validation rule, duplicate rule, round-robin)', String(f.rows), f.importSeconds.toFixed(1), importRate.toFixed(0), `${(ratio * 100).toFixed(0)}%`, `≥ ${IMPORT_TARGET * 100}%`, ratio >= IMPORT_TARGET ? 'met' : 'MISSED'],
    [`raw BatchWriteItem of its items, ${f.itemsPerRow.toFixed(1)} of ~${f.itemBytes} B per row`, String(f.rows), f.rawSeconds.toFixed(1), rawRate.toFixed(0), '100%', '', ''],
    ['raw TransactWriteItems of the same, 100 a transaction', String(f.rows), f.rawTransactSeconds.toFixed(1), transactRate.toFixed(0), `${((transactRate / rawRate) * 100).toFixed(0)}%`, '', ''],
  ];
  return `${table(rows)}\n${f.jobs} jobs of ≤ 1 MiB; ${f.created} created, ${f.warned} with a duplicate warning. The raw sides write copies of the items one batch of the import wrote (index attributes included) with ${f.concurrency} requests in flight; the import is ${((importRate / transactRate) * 100).toFixed(0)}% of the transactional line, the most law 6 (every write one transaction) allows.`;
}
