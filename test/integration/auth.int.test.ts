import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/api/createHandler';
import { localTokenService } from '../../functions/api/auth/tokens';
import { ROUTES } from '../../functions/api/routes';
import { createApiServer } from '../../functions/local/httpAdapter';
import type { LambdaHandler } from '../../functions/local/httpAdapter';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { bundle, company } from '../support/fixtures';

let api: TestApi;
let server: Server;
let base: string;
let tenantId: string;

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  tenantId = t.tenantId;
  await api.publish(t.token, bundle(company));
  server = createApiServer(createHandler(ROUTES, api.services) as unknown as LambdaHandler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const login = (body: unknown) => fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const GOOD = { email: '', password: 'correct horse battery staple' };

describe('the local identity provider and token checks, over real HTTP', () => {
  it('signs in and the token works for the tenant it names', async () => {
    const res = await login({ ...GOOD, tenant: tenantId, email: `admin@${tenantId}.test` });
    expect(res.status).toBe(200);
    const { token, user } = (await res.json()) as { token: string; user: { tenantId: string } };
    expect(user.tenantId).toBe(tenantId);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenantId, roles: ['admin'], name: 'Admin' });
  });

  it.each([
    { title: 'a wrong password', body: { tenant: 'TENANT', email: 'EMAIL', password: 'nope' } },
    { title: 'an unknown e-mail', body: { tenant: 'TENANT', email: 'ghost@x.test', password: GOOD.password } },
    { title: 'an unknown tenant', body: { tenant: 'no-such-tenant', email: 'EMAIL', password: GOOD.password } },
  ])('refuses $title with the same answer', async ({ body }) => {
    const res = await login({ ...body, tenant: body.tenant.replace('TENANT', tenantId), email: body.email.replace('EMAIL', `admin@${tenantId}.test`) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('auth.badCredentials');
  });

  it('answers a login without fields with the missing ones', async () => {
    const res = await login({});
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Array<{ pointer: string }> };
    expect(body.errors.map((e) => e.pointer)).toEqual(['/tenant', '/email', '/password']);
  });

  it('refuses requests without a token, and tampered, expired or foreign tokens', async () => {
    const signer = localTokenService(randomBytes(32));
    const { token: foreign } = await signer.sign!({ tenantId, userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', roles: ['admin'] });
    const { token: valid } = await api.services.tokens.sign!({ tenantId, userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', roles: ['admin'] });
    const [h, p, s] = valid.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, tenant: 'other' })).toString('base64url'), s].join('.');
    const unsigned = [Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url'), p, ''].join('.');
    const { token: expired } = await api.services.tokens.sign!({ tenantId, userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', roles: [] }, -60);

    for (const [name, header] of [
      ['none', undefined],
      ['foreign', `Bearer ${foreign}`],
      ['tampered', `Bearer ${tampered}`],
      ['unsigned', `Bearer ${unsigned}`],
      ['expired', `Bearer ${expired}`],
      ['garbage', 'Bearer x.y.z'],
      ['basic', 'Basic YWRtaW46YWRtaW4='],
    ] as const) {
      const res = await fetch(`${base}/api/objects/company/records`, { headers: header ? { authorization: header } : {} });
      expect(res.status, name).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('refuses a token whose tenant claim is not a tenant id', async () => {
    const secretless = await new SignJWT({ tenant: 'T#evil', roles: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('01ARZ3NDEKTSV4RRFFQ69G5FAV').sign(randomBytes(32));
    const res = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${secretless}` } });
    expect(res.status).toBe(401);
  });

  it('serves health without a token and sends problem+json for unknown routes', async () => {
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const res = await fetch(`${base}/api/objects`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('tessera tenant create', () => {
  it('creates a tenant whose administrator can sign in and publish, and refuses a taken id', async () => {
    const { main } = await import('../../functions/cli/main');
    const lines: string[] = [];
    const args = ['tenant', 'create', 'cli-made', '--name', 'CLI Co', '--admin-email', 'boss@cli.test', '--admin-password', 'correct horse battery', '--table', api.tableName, '--endpoint', (await import('vitest')).inject('dynamoEndpoint')];
    expect(await main(args, (l) => lines.push(l), (l) => lines.push(l))).toBe(0);
    const res = await login({ tenant: 'cli-made', email: 'boss@cli.test', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const draft = await fetch(`${base}/api/metadata/draft`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(bundle(company)) });
    expect(draft.status).toBe(200);
    expect(await main(args, (l) => lines.push(l), (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toMatch(/already exists/);
  });
});
