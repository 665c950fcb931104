import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { INVOKE, TARGET_BYTES, bundleAutomation, bundleGroup } from '../../bench/bundles';
import { AUTOMATION_FUNCTIONS, bundleScratchRoot } from '../../infra/bundling';
import type { AutomationFunctionName } from '../../infra/bundling';
import { createServices } from '../../functions/api/services';
import { publishDraft, replaceDraft } from '../../functions/api/operations/metadata';
import { createRecord } from '../../functions/api/operations/records';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import { keys } from '../../functions/store/keys';
import { TimerStore } from '../../functions/store/timerStore';

/*
 * Each route group bundled with the stack's esbuild options, then loaded with `require` (as the
 * Lambda runtime loads `index.js`) and invoked in a fresh `node` process with an API Gateway v2
 * event — what Lambda does, on DynamoDB Local.
 * The automation functions likewise: the stream consumer with a DynamoDB stream event, the
 * tick with a scheduled event.
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
const automationBuilds = new Map<AutomationFunctionName, string>();
const automationNode20 = new Map<AutomationFunctionName, string>();
let env: Record<string, string>;
let tableNameForAutomation: string;
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
  await Promise.all(
    AUTOMATION_FUNCTIONS.map(async (name) => {
      automationBuilds.set(name, await bundleAutomation(name, join(dir, 'node24')));
      automationNode20.set(name, await bundleAutomation(name, join(dir, 'node20'), { target: 'node20' }));
    }),
  );

  const endpoint = inject('dynamoEndpoint');
  const tableName = `bundles${process.pid}x${Date.now().toString(36)}`;
  const doc = createDocumentClient({ tableName, endpoint });
  await ensureTable(doc, tableName);
  const identity = new IdentityStore(doc, tableName);
  await identity.createTenant(TENANT, 'Bundle test');
  await identity.createUser(TENANT, { id: USER_ID, email: 'admin@bundle.test', name: 'Admin', roles: ['admin'], active: true, createdAt: new Date().toISOString(), passwordHash: '' });
  tableNameForAutomation = tableName;
  token = (await localTokenService(SECRET).sign!({ tenantId: TENANT, userId: USER_ID, roles: ['admin'] })).token;
  env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    TESSERA_TABLE: tableName,
    TESSERA_DYNAMODB_ENDPOINT: endpoint,
    TESSERA_JWT_SECRET: SECRET.toString('base64url'),
  };
  await writeFile(join(dir, 'invoke.mjs'), INVOKE);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function event(method: string, path: string, auth: boolean): APIGatewayProxyEventV2 {
  return buildEvent({ method, path, headers: { accept: 'application/json', 'user-agent': 'bundle-test', ...(auth ? { authorization: `Bearer ${token}` } : {}) } });
}

async function invoke(group: RouteGroup, e: APIGatewayProxyEventV2): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const file = node20Builds.get(group)!;
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
  { group: 'docs', method: 'GET', path: '/api/openapi.json', auth: true, status: 200, check: (body) => expect(body).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), paths: expect.objectContaining({ '/api/me': expect.anything() }) }) },
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

/** Runs an automation bundle's handler in a fresh process, as Lambda would, with the function's environment (no identity provider). */
async function invokeAutomation<T>(name: AutomationFunctionName, e: unknown): Promise<T> {
  const file = automationNode20.get(name)!;
  const { TESSERA_JWT_SECRET: _secret, ...automationEnv } = env;
  const { stdout } = await run(process.execPath, ['--no-warnings', '--enable-source-maps', join(dir, 'invoke.mjs'), file, JSON.stringify(e)], { env: automationEnv });
  // The handler's own log lines come first; the result is the last line.
  return JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as T;
}

describe('automation bundles', () => {
  it.each(AUTOMATION_FUNCTIONS.map((name) => ({ name })))('the $name bundle, as deployed, is at most 500 KiB minified', async ({ name }) => {
    expect((await stat(automationBuilds.get(name)!)).size, SIZE_HINT).toBeLessThanOrEqual(TARGET_BYTES);
  });

  it('the stream bundle takes a DynamoDB stream event of a record change and sets the timer its rule asks for; the tick bundle fires it', async () => {
    const services = createServices({ store: { tableName: tableNameForAutomation, endpoint: inject('dynamoEndpoint') }, tokens: localTokenService(SECRET) });
    const admin = { tenantId: TENANT, userId: USER_ID, roles: ['admin'] };
    const bundle: MetadataBundle = {
      objects: [
        {
          name: 'chore',
          label: { en: 'Chore' },
          nameField: 'subject',
          fields: [
            { name: 'subject', type: 'text', label: { en: 'Subject' }, required: true },
            { name: 'chase_at', type: 'datetime', label: { en: 'Chase at' } },
            { name: 'chased', type: 'boolean', label: { en: 'Chased' } },
          ],
        },
      ],
      automationRules: [{ name: 'chase', object: 'chore', trigger: { on: 'time', field: 'chase_at', offset: { minutes: 0 } }, conditions: { all: [{ fact: 'chased', operator: 'notEqual', value: true }] }, actions: [{ type: 'setField', field: 'chased', to: { value: true } }] }],
    };
    await replaceDraft(services, admin, bundle);
    await publishDraft(services, admin);
    // Due a second ago: within the grace, so the timer is set and the next tick fires it.
    const record = await createRecord(services, admin, 'chore', { subject: 'Chase the invoice', chase_at: new Date(Date.now() - 1000).toISOString() });
    const { Item } = await services.doc.send(new GetCommand({ TableName: tableNameForAutomation, Key: keys.record(TENANT, 'chore', String(record.id)) }));
    const event: DynamoDBStreamEvent = {
      Records: [
        {
          eventID: 'bundle-test-1',
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          awsRegion: 'us-east-1',
          dynamodb: { NewImage: marshall(Item!, { removeUndefinedValues: true }) as never, SequenceNumber: '100', ApproximateCreationDateTime: Date.now() / 1000, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        },
      ],
    };

    expect(await invokeAutomation<DynamoDBBatchResponse>('stream', event)).toEqual({ batchItemFailures: [] });
    const timers = new TimerStore(services.doc, tableNameForAutomation);
    expect(await timers.ofRecord(TENANT, 'chore', String(record.id))).toEqual([expect.objectContaining({ rule: 'chase', state: 'pending' })]);

    const tick = await invokeAutomation<{ timers: { fired: number; failed: number } }>('tick', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(tick.timers).toMatchObject({ fired: 1, failed: 0 });
    const { Item: after } = await services.doc.send(new GetCommand({ TableName: tableNameForAutomation, Key: keys.record(TENANT, 'chore', String(record.id)), ConsistentRead: true }));
    expect(after!.values).toMatchObject({ chased: true });
    // Two fresh Node processes and a publish: slower than one API call on a busy machine.
  }, 120_000);
});
