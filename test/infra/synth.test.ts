import { listTemplates } from '../../functions/api/templates/catalog';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/api/routes';
import { AUTOMATION_FUNCTIONS, LAMBDA_HANDLER_FILE } from '../../infra/bundling';
import { TARGET_BYTES } from '../../bench/bundles';

/*
 * The real command: `npx cdk synth -c stage=ci` through cdk.json and infra/app.ts, with the
 * pinned CLI, no AWS credentials or configuration, and cdk-nag registered as the app
 * registers it — an unacknowledged finding fails this synth.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let out: string;
let home: string;
let result: { stdout: string; stderr: string };

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'tessera-synth-'));
  home = await mkdtemp(join(tmpdir(), 'tessera-home-'));
  // Only what a shell needs: no AWS_* variables, an empty home, no shared config or credentials files.
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    npm_config_update_notifier: 'false',
  };
  result = await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-c', 'stage=ci', '--output', out], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
}, 240_000);

afterAll(async () => {
  await Promise.all([out, home].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

describe('cdk synth', () => {
  it('synthesizes the Tessera-ci stack without AWS credentials, with cdk-nag reporting nothing', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.artifacts)).toContain('Tessera-ci');
    const report = JSON.parse(await readFile(join(out, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((r: { summary?: { status?: string } }) => r.summary?.status !== 'success')).toEqual([]);
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
  });

  it('bundles one CommonJS function per route group, the API authorizer and one per automation function with the local esbuild, each at most 500 KiB', async () => {
    const template = JSON.parse(await readFile(join(out, 'Tessera-ci.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, string> }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && /^Tessera (API|automation): /.test(r.Properties.Description ?? ''),
    );
    expect(functions).toHaveLength(ROUTE_GROUPS.length + 1 + AUTOMATION_FUNCTIONS.length);
    for (const fn of functions) {
      const assetDir = join(out, fn.Metadata!['aws:asset:path']!);
      const files = await readdir(assetDir);
      const isMetadata = /metadata routes/.test(fn.Properties.Description);
      expect(files.sort()).toEqual([LAMBDA_HANDLER_FILE, `${LAMBDA_HANDLER_FILE}.map`, ...(isMetadata ? ['templates'] : [])]);
      if (isMetadata) expect(await readdir(join(assetDir, 'templates'))).toEqual(expect.arrayContaining(listTemplates()));
      expect((await stat(join(assetDir, LAMBDA_HANDLER_FILE))).size).toBeLessThanOrEqual(TARGET_BYTES);
    }
  });
});
