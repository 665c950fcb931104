/**
 * `npm run bench`: from ONE run, the latency of create, get, patch and list through the API
 * beside the raw DynamoDB Local operation each stands on, as ratios; the compiled-bundle
 * build time per object; ajv validation cost per record; and, when bench/bundles.ts exists,
 * the Lambda bundle figures. A benchmark, not a test: it fails only when a request fails.
 * Writes the same figures to bench/results/latest.json.
 *
 * BENCH_ITERATIONS (300), BENCH_WARMUP (30), BENCH_SEED (2000), BENCH_LEDGER (100000),
 * BENCH_IMPORT_ROWS (10000) and BENCH_HTTP=0 shorten a run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compileCosts, validationCosts } from './engineCosts';
import { cleanup, startEnvironment } from './environment';
import { handlerCosts } from './handlerCosts';
import { bundlesText, compileTable, microsTable, operationsTable, wireTable } from './report';
import { formRender, formText } from './formRender';
import { importCosts, importText, IMPORT_ROWS } from './importCosts';
import { ruleCosts, ruleText } from './ruleCosts';
import type { BundleFigure, BundleOutcome } from './report';
import { listQueries } from './listQueries';
import type { OpResult, Settings } from './measure';
import { Scenarios } from './scenarios';
import { LEDGER_RECORDS, SEED_CONCURRENCY, formulaCosts, ledgerList, rollupWrites, seedLedger } from './scale';

const settings: Settings = {
  iterations: Number(process.env.BENCH_ITERATIONS ?? 300),
  warmup: Number(process.env.BENCH_WARMUP ?? 30),
  seedRecords: Number(process.env.BENCH_SEED ?? 2000),
  http: process.env.BENCH_HTTP !== '0',
};

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const log = (line = '') => process.stdout.write(`${line}\n`);
const step = (what: string) => process.stderr.write(`… ${what}\n`);

let stopping: Promise<void> | null = null;
/** Releases DynamoDB Local and the HTTP server, once, newest first. */
function release(): Promise<void> {
  stopping ??= (async () => {
    for (const close of cleanup.splice(0).reverse()) await close().catch((e: unknown) => process.stderr.write(`cleanup: ${String(e)}\n`));
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping DynamoDB Local\n`);
    void release().finally(() => process.exit(130));
  });
}

/** The admin console's initial JavaScript against its 350 KB budget (built first when stale). */
async function consoleFigures(): Promise<string> {
  try {
    const { buildConsoleIfStale } = await import('../admin-ui/buildIfStale');
    const { adminBundleSize } = await import('../admin-ui/bundleSize');
    await buildConsoleIfStale();
    const size = adminBundleSize();
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    return `initial ${kb(size.initialGzipBytes)}, with the landing route ${kb(size.landingRouteGzipBytes)}, staff app home ${kb(size.staffRouteGzipBytes)}, lazy ${kb(size.lazyGzipBytes)}; budget ${kb(size.budgetBytes)} (${size.withinBudget ? 'within' : 'OVER'})`;
  } catch (error) {
    return `skipped: ${(error as Error).message}`;
  }
}

/** bench/bundles.ts is another engineer's; its figures are printed when it exists. */
async function bundleFigures(): Promise<BundleOutcome> {
  const url = new URL('./bundles.ts', import.meta.url);
  if (!existsSync(url)) return { skipped: 'bench/bundles.ts does not exist yet' };
  try {
    const mod = (await import(url.href)) as { bundleFigures?: () => Promise<BundleFigure[]> };
    if (typeof mod.bundleFigures !== 'function') return { skipped: 'bench/bundles.ts exports no bundleFigures()' };
    return { figures: await mod.bundleFigures() };
  } catch (error) {
    return { skipped: `bundleFigures() failed: ${(error as Error).message}` };
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Other work on the machine moves absolute figures (and p99 most): the report says how busy it was. */
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = load();
  // Engine costs first: the first compile in a fresh process is what a cold container pays.
  step('compiling metadata');
  const compile = compileCosts(30);
  step('validating records');
  const validation = validationCosts(30, 1000);
  step('evaluating formulas');
  const formulas = formulaCosts();

  step('starting DynamoDB Local');
  const env = await startEnvironment();
  const scenarios = new Scenarios(env, settings);
  step(`seeding ${settings.seedRecords} deals through the API`);
  const seedMs = await scenarios.seed();

  const ops: OpResult[] = [];
  const iterations = `${settings.warmup} warm-up + ${settings.iterations}`;
  step(`create (${iterations})`);
  ops.push(await scenarios.create());
  step(`get (${iterations})`);
  ops.push(await scenarios.get());
  step(`patch (${iterations})`);
  ops.push(await scenarios.patch());
  for (const q of listQueries(env)) {
    step(`${q.name} (${iterations})`);
    ops.push(await scenarios.list(q));
  }
  step(`create with auto-number (${iterations})`);
  ops.push(await scenarios.createWithAutoNumber());
  step(`seeding ${LEDGER_RECORDS.toLocaleString('en')} ledger lines with BatchWriteItem`);
  const ledgerSeedS = await seedLedger(env);
  const ledger = ledgerList(env);
  step(`${ledger.name} (${iterations})`);
  ops.push(await scenarios.list(ledger));
  step(`roll-up maintenance (${iterations})`);
  ops.push(await rollupWrites(env, settings));
  step(`rules: plain vs ruled creates (${settings.iterations} each), 200-rule evaluation`);
  const rules = await ruleCosts(env, settings.iterations);
  step(`import of ${IMPORT_ROWS.toLocaleString('en')} rows beside raw BatchWriteItem`);
  const imports = await importCosts(env);
  step('handler building blocks');
  const handler = await handlerCosts(env);
  await release();

  step('bundle figures');
  const bundles = await bundleFigures();
  step('admin console build');
  const console_ = await consoleFigures();
  step('the 50-field form in Chromium');
  const form = await formRender().catch((error: Error) => ({ skipped: `failed: ${error.message}` }));
  const totalS = (performance.now() - started) / 1000;

  const cpu = cpus();
  log(`Tessera bench — ${new Date().toISOString()} — commit ${gitCommit() ?? '?'} — Node ${process.version} — ${cpu.length} × ${cpu[0]?.model ?? '?'}`);
  log(`Load average (1, 5, 15 min) at start ${loadAtStart}, at end ${load()}: figures from a busy machine are noisier, p99 most.`);
  log(`DynamoDB Local in memory on this machine; ${iterations} iterations per operation, API and raw interleaved; ${settings.seedRecords} deals seeded in ${(seedMs / 1000).toFixed(1)} s.`);
  log(`The large list reads one object of ${LEDGER_RECORDS.toLocaleString('en')} records, seeded with BatchWriteItem (25 items a request, ${SEED_CONCURRENCY} in flight) in ${ledgerSeedS.toFixed(1)} s. The roll-up row's comparator is the same API create of a child no roll-up summarises.`);
  log('API = the middy handler invoked in process with an API Gateway v2 event (the Lambda path); HTTP = the same through the local HTTP server.');
  log('Times in ms. Ratio = API / raw at the same percentile. API−SDK = an API call minus its time inside DynamoDB client calls.');
  log(`metadataTtlMs = ${env.services.metadataTtlMs} (production default): the API re-reads the metadata head at most once per TTL.`);
  log();
  log(operationsTable(ops));
  log();
  log('What each side sent to DynamoDB (one probe call each):');
  log(wireTable(ops));
  log();
  log('Rules (issue 5): the write pipeline with before-save rules and assignment, and condition evaluation:');
  log(ruleText(rules));
  log();
  log('Import (issue 10): rows per second through import jobs beside raw BatchWriteItem of the same items:');
  log(importText(imports));
  log();
  log('Handler pieces that need no DynamoDB (they make up the API−SDK column), per call:');
  log(microsTable('per call', handler));
  log();
  log(`Compiled bundle build time per object (compileBundle(…).object(name) → buildTimes(); ${compile.repeats} fresh bundles each).`);
  log(`compileBundle() setup (ajv instance + formats): first ${compile.bundleSetup.firstMs.toFixed(2)} ms, p50 ${compile.bundleSetup.p50Ms.toFixed(2)} ms.`);
  log(`The first object of each bundle also pays for ajv compiling its 2020-12 meta-schema validator on that fresh instance: p50 ${compile.metaSchemaP50Ms.toFixed(1)} ms alone.`);
  log(compileTable(compile));
  log();
  log('ajv validation cost per record (deal object, batches of 1000):');
  log(microsTable('per record', validation));
  log();
  log('Formula evaluation per record (engine, batches of 1000):');
  log(microsTable('per record', formulas));
  log();
  log('Lambda bundles (bench/bundles.ts):');
  log(bundlesText(bundles));
  log();
  log('Admin console JavaScript, gzipped (admin-ui/bundleSize.ts):');
  log(console_);
  log();
  log('Staff app form rendering in Chromium (issue 9, bench/formRender.ts):');
  log(formText(form));
  log();
  log(`Total ${totalS.toFixed(0)} s.`);

  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}latest.json`;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        commit: gitCommit(),
        node: process.version,
        cpu: { count: cpu.length, model: cpu[0]?.model ?? null },
        loadAverage: { start: loadAtStart, end: load() },
        settings: { ...settings, metadataTtlMs: env.services.metadataTtlMs },
        unit: 'ms',
        operations: ops,
        compile,
        validation: validation.map((v) => ({ ...v, unit: 'µs per record' })),
        formulas: formulas.map((v) => ({ ...v, unit: 'µs per record' })),
        ledger: { records: LEDGER_RECORDS, seedSeconds: ledgerSeedS },
        handler: handler.map((h) => ({ ...h, unit: 'µs per call' })),
        rules,
        imports,
        form,
        bundles,
        seedMs,
        totalSeconds: totalS,
      },
      null,
      2,
    )}\n`,
  );
  log(`Figures written to ${file}`);
}

main()
  .catch(async (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => release());
