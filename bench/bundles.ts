/**
 * Lambda bundle figures: each route group and automation function bundled exactly as the stack bundles it
 * (`infra/bundling.ts`), its size minified and gzipped, and how long Node takes to import it
 * — the module initialisation a cold start pays before the first request. Each import runs in
 * a fresh `node` process with the environment the function has in AWS (Cognito mode, no
 * DynamoDB endpoint); nothing is sent anywhere, so no DynamoDB is needed.
 *
 * Targets (issue 11): ≤ 500 KiB minified and ≤ 150 ms to initialise, per function.
 * `npx tsx bench/bundles.ts` prints the figures alone; `npm run bench` includes them.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { RouteGroup } from '../functions/api/http';
import { ROUTE_GROUPS } from '../functions/api/routes';
import { AUTOMATION_FUNCTIONS, LAMBDA_BUNDLE, RUNTIME_ENV, automationEntry, bundleScratchRoot, lambdaEntry } from '../infra/bundling';
import type { AutomationFunctionName } from '../infra/bundling';

const run = promisify(execFile);

export interface BundleFigure {
  readonly group: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median over `INIT_RUNS` fresh processes. */
  readonly initMs: number;
}

export const TARGET_BYTES = 500 * 1024;
export const TARGET_INIT_MS = 150;
const INIT_RUNS = Number(process.env.BENCH_BUNDLE_RUNS ?? 7);

/**
 * Bundles one entry with the stack's options into `<dir>/<name>/index.mjs` (as
 * NodejsFunction names it). `target` may be lowered to run on an older Node than Lambda's.
 */
async function bundleEntry(name: string, entry: string, dir: string, options: { target?: string } = {}): Promise<string> {
  const outfile = join(dir, name, 'index.mjs');
  await build({
    ...LAMBDA_BUNDLE,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.external],
    target: options.target ?? LAMBDA_BUNDLE.target,
    entryPoints: [entry],
    outfile,
  });
  return outfile;
}

/** One route group's bundle: `<dir>/<group>/index.mjs`. */
export const bundleGroup = (group: RouteGroup, dir: string, options: { target?: string } = {}): Promise<string> => bundleEntry(group, lambdaEntry(group), dir, options);

/** One automation function's bundle: `<dir>/automation-<name>/index.mjs`. */
export const bundleAutomation = (name: AutomationFunctionName, dir: string, options: { target?: string } = {}): Promise<string> => bundleEntry(`automation-${name}`, automationEntry(name), dir, options);

/** Configuration as the stack sets it, with placeholders: importing reads it, nothing calls out. */
export const AWS_LIKE_ENV: Readonly<Record<string, string>> = {
  ...RUNTIME_ENV,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIABENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  TESSERA_TABLE: 'Tessera-bench-Table',
  TESSERA_COGNITO_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  TESSERA_COGNITO_CLIENT_ID: 'bench',
  TESSERA_METADATA_TTL_MS: '1000',
  TESSERA_CORS_ORIGINS: '',
};

/** Milliseconds from just before `import()` to just after, inside a fresh process. */
export async function importMs(file: string, env: Readonly<Record<string, string>> = AWS_LIKE_ENV): Promise<number> {
  const script = `const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.handler !== 'function') throw new Error('no handler export'); process.stdout.write(String(performance.now() - t0));`;
  const { stdout } = await run(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env } });
  return Number(stdout);
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function bundleFigures(): Promise<BundleFigure[]> {
  await mkdir(bundleScratchRoot(), { recursive: true });
  const dir = await mkdtemp(join(bundleScratchRoot(), 'bench-'));
  try {
    const figures: BundleFigure[] = [];
    const bundles: Array<[string, () => Promise<string>]> = [
      ...ROUTE_GROUPS.map((group): [string, () => Promise<string>] => [group, () => bundleGroup(group, dir)]),
      ...AUTOMATION_FUNCTIONS.map((name): [string, () => Promise<string>] => [`automation/${name}`, () => bundleAutomation(name, dir)]),
    ];
    for (const [group, make] of bundles) {
      const file = await make();
      const code = await readFile(file);
      const times: number[] = [];
      for (let i = 0; i < INIT_RUNS; i++) times.push(await importMs(file));
      figures.push({ group, bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, initMs: median(times) });
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await bundleFigures();
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  for (const f of figures) {
    const verdict = [f.bytes <= TARGET_BYTES ? 'size met' : 'size MISSED', f.initMs <= TARGET_INIT_MS ? 'init met' : 'init MISSED'].join(', ');
    process.stdout.write(`${f.group.padEnd(20)} ${kib(f.bytes).padStart(11)}  gzip ${kib(f.gzipBytes).padStart(10)}  init ${f.initMs.toFixed(0).padStart(4)} ms  (${verdict})\n`);
  }
  process.stdout.write(`node ${process.version}, median of ${INIT_RUNS} fresh processes; targets ≤ ${kib(TARGET_BYTES)}, ≤ ${TARGET_INIT_MS} ms\n`);
}
