import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/api/createHandler';
import { ROUTE_DOCS } from '../../functions/api/openapi/routeDocs';
import { ROUTES } from '../../functions/api/routes';
import { createApiServer } from '../../functions/local/httpAdapter';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { MISUSES, generateClient } from '../support/openapiClient';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * The contract: GET /api/openapi.json describes exactly the router's routes, passes a
 * standard linter (Redocly's recommended rules, offline), and a client generated from it
 * with a standard tool (openapi-typescript + openapi-fetch) type-checks and works against
 * the API on DynamoDB Local.
 */
let api: TestApi;
let crm: CrmTenant;
let server: Server;
let baseUrl: string;
const generatedDirs: string[] = [];

type Doc = { paths: Record<string, Record<string, { 'x-tessera-route': string; security?: unknown[]; operationId: string }>>; components: { schemas: Record<string, any> } } & Record<string, any>;

async function documentFor(token: string): Promise<Doc> {
  const res = await api.call('GET', '/api/openapi.json', { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Doc;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
  server = createApiServer(createHandler(ROUTES, api.services));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  // TESSERA_KEEP_CLIENT=1 keeps the generated client in test-results/openapi-client/ to look at.
  if (!process.env.TESSERA_KEEP_CLIENT) for (const dir of generatedDirs) await rm(dir, { recursive: true, force: true });
});

describe('GET /api/openapi.json', () => {
  it("holds exactly the router's routes: each at its own path, and each object's typed paths map back to one of them", async () => {
    const doc = await documentFor(crm.tokens.admin);
    const routeKeys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    // Every route, at the path the router serves.
    for (const route of ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.['x-tessera-route'], `${route.method} ${route.path} is missing: describe it in functions/api/openapi/routeDocs.ts`).toBe(`${route.method} ${route.path}`);
    // Every operation of the document is a route of the router.
    const objects = new Set(doc.tags.filter((t: { 'x-object'?: string }) => t['x-object']).map((t: { 'x-object': string }) => t['x-object']));
    expect(objects.size).toBeGreaterThan(10);
    for (const { path, method, op } of operations(doc)) {
      const m = /^\/api\/objects\/([a-z][a-z0-9_]*)\//.exec(path);
      const template = m && objects.has(m[1]!) ? path.replace(`/api/objects/${m[1]}/`, '/api/objects/{object}/') : path;
      expect(routeKeys, `${method} ${path}`).toContain(`${method} ${template}`);
      expect(op['x-tessera-route']).toBe(`${method} ${template}`);
    }
    expect(new Set(operations(doc).map((o) => o.op['x-tessera-route']))).toEqual(routeKeys);
  });

  it('describes each route with the summary and authentication the router has', () => {
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of ROUTES) expect({ summary: ROUTE_DOCS[`${r.method} ${r.path}`]!.summary, auth: ROUTE_DOCS[`${r.method} ${r.path}`]!.auth }, `${r.method} ${r.path}`).toEqual({ summary: r.summary, auth: r.auth });
  });

  it('leaves out objects the caller may not read and fields hidden from them, and marks read-only fields', async () => {
    const [admin, agent, rep] = await Promise.all([documentFor(crm.tokens.admin), documentFor(crm.tokens.agent), documentFor(crm.tokens.rep)]);
    expect(admin.components.schemas['account.record'].properties).toHaveProperty('tax_id');
    expect(admin.components.schemas['account.record'].properties).toHaveProperty('annual_revenue');
    // service_agent: account readable, tax_id and annual_revenue hidden; opportunity not readable at all.
    expect(agent.components.schemas['account.record'].properties).not.toHaveProperty('tax_id');
    expect(agent.components.schemas['account.record'].properties).not.toHaveProperty('annual_revenue');
    expect(JSON.stringify(agent)).not.toContain('tax_id');
    expect(agent.paths['/api/objects/opportunity/records']).toBeUndefined();
    expect(Object.keys(agent.components.schemas).filter((s) => s.startsWith('opportunity.'))).toEqual([]);
    // …and may not create accounts: no create path or schema for them.
    expect(agent.paths['/api/objects/account/records']).not.toHaveProperty('post');
    expect(agent.components.schemas).not.toHaveProperty(['account.create']);
    // sales_rep: tax_id is read-only — readOnly when read, absent from what may be written; no delete.
    expect(rep.components.schemas['account.record'].properties.tax_id.readOnly).toBe(true);
    expect(rep.components.schemas['account.create'].properties).not.toHaveProperty('tax_id');
    expect(rep.components.schemas['account.create'].required).toEqual(['name']);
    expect(rep.paths['/api/objects/account/records/{id}']).not.toHaveProperty('delete');
    expect(admin.paths['/api/objects/account/records/{id}']).toHaveProperty('delete');
    // The untyped routes stay, for objects published after the document was fetched.
    expect(agent.paths['/api/objects/{object}/records']).toHaveProperty('post');
  });

  it('is gzipped for clients that accept it', async () => {
    const res = await fetch(`${baseUrl}/api/openapi.json`, { headers: { authorization: `Bearer ${crm.tokens.rep}`, 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch inflates it: what arrives is the same document.
    expect(await res.json()).toEqual(await documentFor(crm.tokens.rep));
  });

  it('answers 401 problem+json without credentials', async () => {
    const res = await api.call('GET', '/api/openapi.json');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('describes every route before anything is published', async () => {
    const fresh = await api.tenant();
    const doc = await documentFor(fresh.token);
    expect(new Set(operations(doc).map((o) => o.op['x-tessera-route']))).toEqual(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)));
    expect(Object.keys(doc.components.schemas).filter((s) => s.includes('.'))).toEqual([]);
  });

  it('uses a linter that does find problems (a document without info, with an undefined path parameter)', async () => {
    const { info: _info, ...doc } = await documentFor(crm.tokens.rep);
    const broken = { ...doc, paths: { ...doc.paths, '/api/broken/{thing}': { get: { operationId: 'broken', responses: { '200': { description: 'ok' } } } } } };
    const problems = await lintFromString({ source: JSON.stringify(broken), absoluteRef: 'broken.json', config: await createConfig({ extends: ['recommended'] }) });
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.ruleId)).toEqual(expect.arrayContaining(['struct', 'path-parameters-defined']));
  });

  it.each([
    { who: 'admin' as const },
    { who: 'agent' as const },
    { who: 'rep' as const },
  ])("passes Redocly's recommended lint rules with no error or warning (as $who)", async ({ who }) => {
    const doc = await documentFor(crm.tokens[who]);
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: `${who}-openapi.json`, config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });
});

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  it('type-checks create/get/list/patch, refuses misuses at compile time, and runs them against the API with an API key', async () => {
    // An ERP integration's key acting as sales_rep.
    const created = await api.call('POST', '/api/api-keys', { token: crm.tokens.admin, body: { name: 'ERP', role: 'sales_rep' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = created.body.key as string;
    const doc = await documentFor(key);

    const client = await generateClient(doc);
    generatedDirs.push(client.dir);
    expect(client.diagnostics.get('journey.ts') ?? [], 'the journey must type-check against the generated types').toEqual([]);
    for (const [i, misuse] of MISUSES.entries()) expect((client.diagnostics.get(`misuse${i}.ts`) ?? []).join('\n'), `${misuse.reason} must not type-check: ${misuse.code}`).toContain(misuse.mentions);

    const { journey } = (await import(/* @vite-ignore */ client.journeyFile)) as { journey: (baseUrl: string, key: string) => Promise<any> };
    const result = await journey(baseUrl, key);
    expect(result.created).toMatchObject({ name: 'Acme Trading (ERP)', employees: 12, customer_type: 'customer', version: 1, owner: created.body.id, created_by: created.body.id });
    expect(result.got.id).toBe(result.created.id);
    expect(result.listedIds).toContain(result.created.id);
    expect(result.patchedVersion).toBe(2);
    expect(result.employees).toBe(13);
    expect(result.stale).toEqual({ status: 412, code: 'record.versionConflict' });

    // What the client wrote is there for everyone else too, with the key as its author in history.
    const history = await api.call('GET', `/api/objects/account/records/${result.created.id}/history`, { token: crm.tokens.admin });
    expect(history.body.items.map((e: { op: string; by: string }) => [e.op, e.by])).toEqual([
      ['update', created.body.id],
      ['create', created.body.id],
    ]);
  }, 60_000);
});
