import { randomBytes } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { buildEvent } from '../../functions/local/httpAdapter';
import { inject } from 'vitest';
import { hashPassword } from '../../functions/api/auth/passwords';
import { localTokenService } from '../../functions/api/auth/tokens';
import type { UserContext } from '../../functions/api/auth/tokens';
import { createHandler } from '../../functions/api/createHandler';
import { ROUTES } from '../../functions/api/routes';
import { createServices } from '../../functions/api/services';
import type { Services } from '../../functions/api/services';
import { ensureTable } from '../../functions/store/createTable';
import type { CommandLog } from '../../functions/store/client';
import type { MetadataBundle } from '../../functions/engine/metadata/types';

export interface ApiResult<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface TestApi {
  readonly services: Services;
  readonly commandLog: CommandLog;
  readonly tableName: string;
  /** Calls the real middy handler with an API Gateway v2 event, as Lambda and the local server do. */
  call<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResult<T>>;
  /** Creates a tenant with one user and returns a token for it. */
  tenant(id?: string, roles?: string[]): Promise<{ tenantId: string; user: UserContext; token: string }>;
  /** Saves `bundle` as the draft and publishes it; returns the version. */
  publish(token: string, bundle: MetadataBundle): Promise<number>;
}

let counter = 0;
const SECRET = randomBytes(32);

/** A fresh table on the shared DynamoDB Local and the real handler over it. */
export async function createTestApi(options: { metadataTtlMs?: number; now?: () => Date } = {}): Promise<TestApi> {
  const tableName = `t${process.pid}x${Date.now().toString(36)}x${counter++}`;
  const commandLog: CommandLog = new Map();
  const tokens = localTokenService(SECRET);
  const services = createServices({ store: { tableName, endpoint: inject('dynamoEndpoint') }, tokens, commandLog, metadataTtlMs: options.metadataTtlMs ?? 0, ...(options.now ? { now: options.now } : {}) });
  await ensureTable(services.doc, tableName);
  const handler = createHandler(ROUTES, services);
  const passwordHash = await hashPassword('correct horse battery staple');

  const api: TestApi = {
    services,
    commandLog,
    tableName,
    async call(method, path, opts = {}) {
      const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
      const event = buildEvent({
        method,
        path,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
        ...(body !== undefined ? { body } : {}),
        requestId: `r${counter++}`,
      });
      const result = await handler(event, { awsRequestId: event.requestContext.requestId } as Context);
      const text = result.body ?? '';
      const headers = (result.headers ?? {}) as Record<string, string>;
      const isJson = /json/.test(headers['content-type'] ?? 'application/json');
      return { status: result.statusCode ?? 200, headers, body: text ? (isJson ? JSON.parse(text) : text) : undefined };
    },
    async tenant(id = `ten${Date.now().toString(36)}${counter++}`, roles = ['admin']) {
      await services.identity.createTenant(id, `Tenant ${id}`);
      const userId = services.newId();
      await services.identity.createUser(id, { id: userId, email: `admin@${id}.test`, name: 'Admin', roles, active: true, createdAt: new Date().toISOString(), passwordHash });
      const user: UserContext = { tenantId: id, userId, roles };
      const { token } = await tokens.sign!(user);
      return { tenantId: id, user, token };
    },
    async publish(token, bundle) {
      const put = await api.call('PUT', '/api/metadata/draft', { token, body: bundle });
      if (put.status !== 200) throw new Error(`draft: ${put.status} ${JSON.stringify(put.body)}`);
      const res = await api.call('POST', '/api/metadata/publish', { token, body: {} });
      if (res.status !== 201) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.version as number;
    },
  };
  return api;
}
