/**
 * How a route group's Lambda function is bundled, as data: `RecordApi` hands it to
 * `NodejsFunction`, and `bench/bundles.ts` and `test/infra/bundles.test.ts` hand the same
 * options to esbuild directly, so the figures and the invocation test describe what deploys.
 * No aws-cdk-lib import here: the bench must not load the CDK to measure a bundle.
 */
import { fileURLToPath } from 'node:url';
import type { RouteGroup } from '../functions/api/http';

/** Lambda runs Node.js 24 (`Runtime.NODEJS_24_X`). */
export const LAMBDA_TARGET = 'node24';

/**
 * CommonJS output, `index.js`, which the Lambda runtime loads with `require`. The sources are
 * ES modules (and middy 6 ships only ESM); esbuild turns them into one CommonJS file, so the
 * format is the bundle's, not the code's. Why not ESM: an ES module's imports of the SDK
 * (CommonJS, outside the bundle) and of Node built-ins go through Node's ESM loader, which
 * lexes every CommonJS file for its exports and builds a facade over each built-in. Loading
 * the SDK that way took ~140 ms of CPU on Node 20 against ~65 through `require`; CommonJS
 * output cut each function's load there by 40–55%. On Node 24 the two are close (~80 and
 * ~75 ms), but `import` of `node:http` reads its lazy `WebSocket` getter and so loads undici;
 * `require` does not. Figures per function: "Bundles" in infra/README.md.
 */
export const LAMBDA_FORMAT = 'cjs';

/** The file NodejsFunction writes for CommonJS output, holding `handler`. */
export const LAMBDA_HANDLER_FILE = 'index.js';

/**
 * `import.meta` is empty in CommonJS output; the one use, the template catalog's default
 * directory, gets the bundle's own directory as it did from an ES module.
 */
export const LAMBDA_DEFINE: Readonly<Record<string, string>> = { 'import.meta.dirname': '__dirname' };

/**
 * Modules left out of the bundle because the Lambda runtime provides them. Node.js 24 on
 * Lambda ships the AWS SDK v3 (`@aws-sdk/*` with its `@smithy/*` dependencies), and CDK's
 * own default for `NodejsFunction` leaves it out for the same reason. Bundled, tree-shaken and
 * with only the environment credential provider, it still adds ~205 KiB to each function's
 * 500 KiB budget (metadata, records, data and admin would be 645–700 KiB), for ~35 ms less
 * to load on Node 24. The price of leaving it out: the deployed code runs the runtime's SDK
 * release, not the one the tests ran; the calls we make (DynamoDB document client,
 * transactions, streams) are stable across v3 minors. The bundle test and the bench load the
 * bundles from inside the repository, where `node_modules` resolves the SDK as
 * `/var/runtime/node_modules` does in Lambda.
 */
export const PROVIDED_BY_RUNTIME: readonly string[] = ['@aws-sdk/*'];

/** The bundling options, in esbuild's own terms. */
export const LAMBDA_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: LAMBDA_FORMAT,
  target: LAMBDA_TARGET,
  minify: true,
  /** A linked `.map` file beside the code; `NODE_OPTIONS=--enable-source-maps` reads it. */
  sourcemap: true,
  /** Stack traces need lines, not the sources: without them the map is a third of the size. */
  sourcesContent: false,
  mainFields: ['module', 'main'],
  define: LAMBDA_DEFINE,
  external: [...PROVIDED_BY_RUNTIME],
  logLevel: 'warning',
} as const;

/** Environment every function gets besides its configuration. */
export const RUNTIME_ENV = { NODE_OPTIONS: '--enable-source-maps' } as const;

/** The API's functions: one per route group, and the authorizer in front of every route that needs a caller. */
export type ApiFunction = RouteGroup | 'authorizer';

/** The Lambda entry file of an API function: `functions/api/lambda/<name>.ts`, exporting `handler`. */
export const lambdaEntry = (group: ApiFunction): string => fileURLToPath(new URL(`../functions/api/lambda/${group}.ts`, import.meta.url));

/** The automation functions: the table's stream consumer, the one-minute tick, the webhook delivery queue's consumer. */
export const AUTOMATION_FUNCTIONS = ['stream', 'tick', 'webhooks'] as const;
export type AutomationFunctionName = (typeof AUTOMATION_FUNCTIONS)[number];

/** The Lambda entry file of an automation function: `functions/automation/lambda/<name>.ts`, exporting `handler`. */
export const automationEntry = (name: AutomationFunctionName): string => fileURLToPath(new URL(`../functions/automation/lambda/${name}.ts`, import.meta.url));

/** The repository root (where `package-lock.json` is): NodejsFunction's project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A fresh directory for bundles that will be loaded: inside the repository, so the SDK the
 * runtime would provide resolves from `node_modules`, as `/var/runtime/node_modules` does in
 * Lambda. The repository's package.json says `"type": "module"`; Lambda's task root has none,
 * so a directory holding a bundle needs `COMMONJS_PACKAGE_JSON` beside it to load as it would there.
 */
export const bundleScratchRoot = (): string => fileURLToPath(new URL('../node_modules/.cache/tessera-bundles/', import.meta.url));

/** A package.json for a directory holding a bundle, so `index.js` is CommonJS as in Lambda's task root. */
export const COMMONJS_PACKAGE_JSON = '{ "type": "commonjs" }\n';
