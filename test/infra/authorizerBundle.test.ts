import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INVOKE, TARGET_BYTES, bundleGroup } from '../../bench/bundles';
import { newApiKey } from '../../functions/api/auth/apiKeys';
import { localTokenService } from '../../functions/api/auth/tokens';
import { ApiKeyStore } from '../../functions/store/apiKeyStore';
import { createDocumentClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/createTable';
import { LAMBDA_BUNDLE, bundleScratchRoot } from '../../infra/bundling';

/*
 * The integration API's authorizer bundled with the stack's esbuild options, measured, and
 * invoked in a fresh `node` process with HTTP API authorizer events (payload 2.0) against
 * DynamoDB Local: a live API key passes, anything else — a user's token included (people use
 * the API behind the JWT authorizer) — is refused.
 */
const run = promisify(execFile);
const SECRET = randomBytes(32);
const TENANT = 'authz-test';
let dir: string;
let env: Record<string, string>;
let node20: string;
let store: ApiKeyStore;

const bundle = (target: string): Promise<string> => bundleGroup('authorizer', join(dir, target), { target });

async function issue(role: string, expiresAt = new Date(Date.now() + 86_400_000).toISOString()): Promise<{ id: string; key: string }> {
  const id = ulid();
  const { key, hash, hint } = newApiKey(TENANT, id);
  await store.create(TENANT, { id, tenant: TENANT, name: 'ERP', role, hint, createdAt: new Date().toISOString(), createdBy: ulid(), expiresAt, secretHash: hash });
  return { id, key };
}

async function authorize(authorization?: string): Promise<{ isAuthorized: boolean; context?: Record<string, string> }> {
  const event = { version: '2.0', type: 'REQUEST', routeKey: 'GET /api/me', headers: authorization ? { authorization } : {} };
  const { stdout } = await run(process.execPath, ['--no-warnings', join(dir, 'invoke.mjs'), node20, JSON.stringify(event)], { env });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  await mkdir(bundleScratchRoot(), { recursive: true });
  dir = await mkdtemp(join(bundleScratchRoot(), 'authorizer-'));
  const endpoint = inject('dynamoEndpoint');
  const tableName = `authz${process.pid}x${Date.now().toString(36)}`;
  const doc = createDocumentClient({ tableName, endpoint });
  await ensureTable(doc, tableName);
  store = new ApiKeyStore(doc, tableName);
  env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', TESSERA_TABLE: tableName, TESSERA_DYNAMODB_ENDPOINT: endpoint, TESSERA_JWT_SECRET: SECRET.toString('base64url') };
  await writeFile(join(dir, 'invoke.mjs'), INVOKE);
  node20 = await bundle('node20');
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the API authorizer bundle', () => {
  it('is at most 500 KiB minified, as deployed (node24)', async () => {
    expect((await stat(await bundle(LAMBDA_BUNDLE.target))).size).toBeLessThanOrEqual(TARGET_BYTES);
  });

  it('passes an API key, naming the tenant and the key, and refuses a user’s valid token', async () => {
    const { id, key } = await issue('sales_rep');
    expect(await authorize(`Bearer ${key}`)).toEqual({ isAuthorized: true, context: { tenant: TENANT, principal: id, kind: 'apiKey' } });
    const { token } = await localTokenService(SECRET).sign!({ tenantId: TENANT, userId: ulid(), roles: [] });
    expect(await authorize(`Bearer ${token}`)).toEqual({ isAuthorized: false });
  });

  it.each([
    { title: 'no Authorization header', header: undefined },
    { title: 'a scheme other than Bearer', header: 'Basic dXNlcjpwYXNz' },
    { title: 'a token signed with another secret', header: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
    { title: 'a malformed API key', header: 'Bearer tsk_nope' },
  ])('refuses $title', async ({ header }) => {
    expect(await authorize(header)).toEqual({ isAuthorized: false });
  });

  it('refuses revoked and expired keys', async () => {
    const revoked = await issue('sales_rep');
    await store.revoke(TENANT, revoked.id, ulid(), new Date().toISOString());
    expect(await authorize(`Bearer ${revoked.key}`)).toEqual({ isAuthorized: false });
    const expired = await issue('sales_rep', new Date(Date.now() - 1000).toISOString());
    expect(await authorize(`Bearer ${expired.key}`)).toEqual({ isAuthorized: false });
  });
});
