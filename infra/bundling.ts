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
 * ESM output, so `import … with { type: 'json' }` and middy 6 (ESM only) bundle as written.
 * Some CommonJS dependencies call `require` for Node built-ins; an ES module has no
 * `require`, so the banner gives it one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire as __tesseraCreateRequire } from 'node:module'; const require = __tesseraCreateRequire(import.meta.url);";

/**
 * Modules left out of the bundle because the Lambda runtime provides them. Node.js 24 on
 * Lambda ships the AWS SDK v3 (`@aws-sdk/*` with its `@smithy/*` dependencies), and CDK's
 * own default for `NodejsFunction` leaves it out for the same reason. Bundling it cost
 * ~200 KiB of each function's 500 KiB budget, room the rule engine (json-rules-engine) and
 * the automation code need. The price: the deployed code runs the runtime's SDK release, not
 * the one the tests ran; the calls we make (DynamoDB document client, transactions, streams)
 * are stable across v3 minors. The bundle test and the bench import the bundles from inside
 * the repository, where `node_modules` resolves the SDK as `/var/runtime/node_modules` does
 * in Lambda.
 */
export const PROVIDED_BY_RUNTIME: readonly string[] = ['@aws-sdk/*'];

/** The bundling options, in esbuild's own terms. */
export const LAMBDA_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_TARGET,
  minify: true,
  /** A linked `.map` file beside the code; `NODE_OPTIONS=--enable-source-maps` reads it. */
  sourcemap: true,
  /** Stack traces need lines, not the sources: without them the map is a third of the size. */
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
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
 * A fresh directory for bundles that will be imported: inside the repository, so the SDK the
 * runtime would provide resolves from `node_modules` (ESM resolution ignores NODE_PATH).
 */
export const bundleScratchRoot = (): string => fileURLToPath(new URL('../node_modules/.cache/tessera-bundles/', import.meta.url));
