import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localTokenService } from '../../functions/api/auth/tokens';
import type { RouteGroup } from '../../functions/api/http';
import { buildEvent } from '../../functions/local/httpAdapter';
import { ROUTE_GROUPS } from '../../functions/api/routes';
import { createDocumentClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/createTable';
import { IdentityStore } from '../../functions/store/identityStore';
import { TARGET_BYTES, bundleGroup } from '../../bench/bundles';
import { bundleScratchRoot } from '../../infra/bundling';

/*
 * Each route group bundled with the stack's esbuild options, then imported and invoked in a
 * fresh `node` process with an API Gateway v2 event — what Lambda does, on DynamoDB Local.
 * Lambda runs Node.js 24 and these tests run on Node 20, so the invoked bundles are built for
 * node20; the node24 builds (what deploys) are measured for size.
 */
const run = promisify(execFile);
const SIZE_HINT = 'over the 500 KiB budget of issue 11; see "Bundles" in infra/README.md for where the bytes go';
const SECRET = randomBytes(32);
const TENANT = 'bundle-test';
const USER_ID = ulid();

let dir: string;
const lambdaBuilds = new Map<RouteGroup, string>();
const node20Builds = new Map<RouteGroup, string>();
let env: Record<string, string>;
let token: string;

beforeAll(async () => {
  await mkdir(bundleScratchRoot(), { recursive: true });
  dir = await mkdtemp(join(bundleScratchRoot(), 'test-'));
  await Promise.all(
    ROUTE_GROUPS.map(async (group) => {
      lambdaBuilds.set(group, await bundleGroup(group, join(dir, 'node24')));
      node20Builds.set(group, await bundleGroup(group, join(dir, 'node20'), { target: 'node20' }));
    }),
  );

  const endpoint = inject('dynamoEndpoint');
  const tableName = `bundles${process.pid}x${Date.now().toString(36)}`;
  const doc = createDocumentClient({ tableName, endpoint });
  await ensureTable(doc, tableName);
  const identity = new IdentityStore(doc, tableName);
  await identity.createTenant(TENANT, 'Bundle test');
  await identity.createUser(TENANT, { id: USER_ID, email: 'admin@bundle.test', name: 'Admin', roles: ['admin'], active: true, createdAt: new Date().toISOString(), passwordHash: '' });
  token = (await localTokenService(SECRET).sign!({ tenantId: TENANT, userId: USER_ID, roles: ['admin'] })).token;
  env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    TESSERA_TABLE: tableName,
    TESSERA_DYNAMODB_ENDPOINT: endpoint,
    TESSERA_JWT_SECRET: SECRET.toString('base64url'),
  };
  await writeFile(
    join(dir, 'invoke.mjs'),
    [
      "const [file, event] = process.argv.slice(2);",
      "const { handler } = await import(file);",
      "const result = await handler(JSON.parse(event), { awsRequestId: 'bundle-test' });",
      'process.stdout.write(JSON.stringify(result));',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function event(method: string, path: string, auth: boolean): APIGatewayProxyEventV2 {
  return buildEvent({ method, path, headers: { accept: 'application/json', 'user-agent': 'bundle-test', ...(auth ? { authorization: `Bearer ${token}` } : {}) } });
}

async function invoke(group: RouteGroup, e: APIGatewayProxyEventV2): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const file = pathToFileURL(node20Builds.get(group)!).href;
  const { stdout } = await run(process.execPath, ['--no-warnings', '--enable-source-maps', join(dir, 'invoke.mjs'), file, JSON.stringify(e)], { env });
  const result = JSON.parse(stdout) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, body: result.body ? JSON.parse(result.body) : undefined };
}

/** One request per route group, each reaching DynamoDB Local where the group uses the table. */
const INVOCATIONS: Array<{ group: RouteGroup; method: string; path: string; auth: boolean; status: number; check: (body: any) => void }> = [
  { group: 'system', method: 'GET', path: '/api/health', auth: false, status: 200, check: (body) => expect(body).toEqual({ status: 'ok' }) },
  { group: 'auth', method: 'GET', path: '/api/me', auth: true, status: 200, check: (body) => expect(body).toMatchObject({ tenantId: TENANT, userId: USER_ID }) },
  { group: 'metadata', method: 'GET', path: '/api/metadata', auth: true, status: 404, check: (body) => expect(body.code).toBe('metadata.notFound') },
  { group: 'records', method: 'GET', path: '/api/objects/account/records', auth: true, status: 404, check: (body) => expect(body.code).toBe('metadata.notFound') },
  { group: 'data', method: 'GET', path: '/api/search?q=a', auth: true, status: 404, check: (body) => expect(body.code).toBe('metadata.notFound') },
  { group: 'admin', method: 'GET', path: '/api/users', auth: true, status: 200, check: (body) => expect(body.items.map((u: { id: string }) => u.id)).toEqual([USER_ID]) },
];

describe('Lambda bundles', () => {
  it.each(ROUTE_GROUPS.map((group) => ({ group })))('the $group bundle, as deployed, is at most 500 KiB minified', async ({ group }) => {
    expect((await stat(lambdaBuilds.get(group)!)).size, SIZE_HINT).toBeLessThanOrEqual(TARGET_BYTES);
  });

  it.each(INVOCATIONS)('the bundled $group handler answers $method $path with $status', async ({ group, method, path, auth, status, check }) => {
    const res = await invoke(group, event(method, path, auth));
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    check(res.body);
  });

  it('invokes every route group', () => {
    expect(INVOCATIONS.map((i) => i.group).sort()).toEqual([...ROUTE_GROUPS].sort());
  });

  it('answers a route of another group with a route.notFound problem, since each function serves only its own routes', async () => {
    const res = await invoke('system', event('GET', '/api/metadata', true));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route.notFound');
  });
});
