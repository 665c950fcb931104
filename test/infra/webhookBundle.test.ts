import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INVOKE, TARGET_BYTES, bundleLambda } from '../../bench/bundles';
import { LAMBDA_BUNDLE, bundleScratchRoot } from '../../infra/bundling';
import { createDocumentClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/createTable';

/*
 * The webhook queue consumer (`functions/automation/lambda/webhooks.ts`) bundled with the
 * stack's esbuild options, measured, and invoked in a fresh `node` process with an SQS event
 * against DynamoDB Local — what Lambda does with it. Built for node20 to run here.
 */
const run = promisify(execFile);
const ENTRY = fileURLToPath(new URL('../../functions/automation/lambda/webhooks.ts', import.meta.url));
let dir: string;
let env: Record<string, string>;

const bundle = (target: string): Promise<string> => bundleLambda('webhooks', ENTRY, join(dir, target), { target });

beforeAll(async () => {
  await mkdir(bundleScratchRoot(), { recursive: true });
  dir = await mkdtemp(join(bundleScratchRoot(), 'webhooks-'));
  const endpoint = inject('dynamoEndpoint');
  const tableName = `whbundle${process.pid}x${Date.now().toString(36)}`;
  await ensureTable(createDocumentClient({ tableName, endpoint }), tableName);
  env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', TESSERA_TABLE: tableName, TESSERA_DYNAMODB_ENDPOINT: endpoint };
  await writeFile(join(dir, 'invoke.mjs'), INVOKE);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the webhook queue consumer bundle', () => {
  it('is at most 500 KiB minified, as deployed (node24)', async () => {
    expect((await stat(await bundle(LAMBDA_BUNDLE.target))).size).toBeLessThanOrEqual(TARGET_BYTES);
  });

  it('answers an SQS batch: nothing to do for an unknown delivery, a malformed message dropped, no item failures', async () => {
    const file = await bundle('node20');
    const event: SQSEvent = {
      Records: [
        { messageId: 'a', body: JSON.stringify({ tenant: 'acme', id: '0123456789abcdef0123456789abcdef' }) },
        { messageId: 'b', body: 'not a delivery' },
      ] as SQSEvent['Records'],
    };
    const { stdout } = await run(process.execPath, ['--no-warnings', join(dir, 'invoke.mjs'), file, JSON.stringify(event)], { env });
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] });
  });
});
