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
 * Modules left out of the bundle because Lambda never loads them. The SDK's default
 * credential chain tries the environment first, and Lambda always sets
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; the other providers are
 * reached through dynamic `import()` only when that fails. Leaving them out saves ~85 KB
 * (the SSO/STS clients among them). The SDK itself is bundled, so the deployed code runs
 * the SDK version the tests ran, not whatever the runtime ships.
 */
export const NEVER_LOADED_IN_LAMBDA: readonly string[] = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

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
  external: [...NEVER_LOADED_IN_LAMBDA],
  logLevel: 'warning',
} as const;

/** Environment every function gets besides its configuration. */
export const RUNTIME_ENV = { NODE_OPTIONS: '--enable-source-maps' } as const;

/** The Lambda entry file of a route group: `functions/api/lambda/<group>.ts`, exporting `handler`. */
export const lambdaEntry = (group: RouteGroup): string => fileURLToPath(new URL(`../functions/api/lambda/${group}.ts`, import.meta.url));

/** The repository root (where `package-lock.json` is): NodejsFunction's project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
