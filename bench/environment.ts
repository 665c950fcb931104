import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { hashPassword } from '../functions/api/auth/passwords';
import { localTokenService } from '../functions/api/auth/tokens';
import { createHandler } from '../functions/api/createHandler';
import { ROUTES } from '../functions/api/routes';
import { createServices } from '../functions/api/services';
import type { Services } from '../functions/api/services';
import type { StorageMap } from '../functions/engine/metadata/types';
import { startDynamoLocal } from '../functions/local/dynamoLocal';
import type { DynamoLocal } from '../functions/local/dynamoLocal';
import { createApiServer } from '../functions/local/httpAdapter';
import { createDocumentClient } from '../functions/store/client';
import { ensureTable } from '../functions/store/createTable';
import { expectStatus, httpClient, invokeLambda } from './apiClient';
import type { Answer, Call, LambdaHandler } from './apiClient';
import { benchBundle } from './fixture';
import { SdkClock, WireLog } from './wireLog';

/** Everything a scenario needs: one DynamoDB Local, the real handler over it, and a raw client beside it. */
export interface Environment {
  readonly dynamo: DynamoLocal;
  readonly tableName: string;
  readonly services: Services;
  /** A second DocumentClient, configured as the API's, for the raw comparators. */
  readonly raw: DynamoDBDocumentClient;
  readonly wire: WireLog;
  /** Time the API's client spends in DynamoDB calls; the raw client has an identical clock, so both pay its cost. */
  readonly apiSdk: SdkClock;
  readonly server: Server;
  /** The middy handler, as Lambda invokes it. */
  readonly handler: LambdaHandler;
  readonly tenant: string;
  readonly userId: string;
  readonly token: string;
  readonly storage: StorageMap;
  readonly newId: () => string;
  lambda(call: Omit<Call, 'token'>): Promise<Answer>;
  http(call: Omit<Call, 'token'>): Promise<Answer>;
}

/** Resources to release on completion, failure or Ctrl-C, whichever comes first. */
export const cleanup: Array<() => Promise<void>> = [];

export async function startEnvironment(): Promise<Environment> {
  const dynamo = await startDynamoLocal();
  cleanup.push(() => dynamo.stop());
  const tableName = 'bench';
  const tokens = localTokenService(randomBytes(32));
  // metadataTtlMs is left at its production default (1000 ms): the head re-read it causes is part of the API's cost.
  const services = createServices({ store: { tableName, endpoint: dynamo.endpoint }, tokens });
  await ensureTable(services.doc, tableName);
  const raw = createDocumentClient({ tableName, endpoint: dynamo.endpoint });
  const wire = new WireLog();
  wire.install(services.doc);
  wire.install(raw);
  const apiSdk = new SdkClock();
  apiSdk.install(services.doc);
  new SdkClock().install(raw);

  const handler = createHandler(ROUTES, services) as unknown as LambdaHandler;
  const server = createApiServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const httpCall = httpClient(server);

  const tenant = `bench-${Date.now().toString(36)}`;
  await services.identity.createTenant(tenant, 'Bench tenant');
  const userId = services.newId();
  await services.identity.createUser(tenant, {
    id: userId,
    email: `admin@${tenant}.example`,
    name: 'Bench admin',
    roles: ['admin'],
    active: true,
    createdAt: new Date().toISOString(),
    passwordHash: await hashPassword(randomBytes(12).toString('hex')),
  });
  const { token } = await tokens.sign!({ tenantId: tenant, userId, roles: ['admin'] });
  const lambda = (call: Omit<Call, 'token'>) => invokeLambda(handler, { ...call, token });

  expectStatus(await lambda({ method: 'PUT', path: '/api/metadata/draft', body: benchBundle() }), 200, 'save draft');
  const published = expectStatus<{ version: number }>(await lambda({ method: 'POST', path: '/api/metadata/publish', body: {} }), 201, 'publish');
  const version = Number(published.body.version);
  const stored = expectStatus<{ storage: StorageMap }>(await lambda({ method: 'GET', path: `/api/metadata/versions/${version}` }), 200, 'read version');

  return {
    dynamo,
    tableName,
    services,
    raw,
    wire,
    apiSdk,
    server,
    handler,
    tenant,
    userId,
    token,
    storage: stored.body.storage,
    newId: monotonicFactory(),
    lambda,
    http: (call) => httpCall({ ...call, token }),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}
