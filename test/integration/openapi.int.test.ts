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

describe('every field type in the document', () => {
  const L = (en: string) => ({ en, 'zh-CN': `${en}（中）` });
  const project = {
    name: 'project',
    label: L('Project'),
    nameField: 'name',
    fields: [
      { name: 'name', type: 'text', label: L('Name'), required: true, pattern: '^[A-Z]' },
      { name: 'notes', type: 'textarea', label: L('Notes') },
      { name: 'budget', type: 'currency', label: L('Budget'), min: 0 },
      { name: 'share', type: 'percent', label: L('Share') },
      { name: 'size', type: 'number', label: L('Size') },
      { name: 'starts', type: 'date', label: L('Starts'), min: '2020-01-01', max: '2030-12-31' },
      { name: 'kickoff', type: 'datetime', label: L('Kick-off') },
      { name: 'active', type: 'boolean', label: L('Active'), default: true },
      { name: 'contact_email', type: 'email', label: L('E-mail'), sensitive: true },
      { name: 'mobile', type: 'phone', label: L('Mobile'), sensitive: true },
      { name: 'site', type: 'url', label: L('Site') },
      { name: 'stage', type: 'picklist', label: L('Stage'), required: true, default: 'new', options: [{ value: 'new', label: L('New') }, { value: 'old', label: L('Old'), inactive: true }] },
      { name: 'tags', type: 'multi-picklist', label: L('Tags'), options: [{ value: 'a', label: L('A') }, { value: 'b', label: L('B'), inactive: true }] },
      { name: 'lead', type: 'user', label: L('Lead') },
      { name: 'code', type: 'auto-number', label: L('Code'), pattern: 'P-{0000}' },
      { name: 'weighted', type: 'formula', label: L('Weighted'), returnType: 'currency', expression: 'budget * share / 100' },
      { name: 'tasks', type: 'rollup', label: L('Tasks'), child: 'task', via: 'project', function: 'count' },
    ],
  };
  const task = { name: 'task', label: L('Task'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: L('Name'), required: true }, { name: 'project', type: 'lookup', target: 'project', label: L('Project'), indexed: true }] };
  const viewer = { name: 'viewer', label: L('Viewer'), objects: { project: { read: true, scope: 'all', fieldDefault: 'read', fields: { notes: 'hidden' } } } };
  let owner: { token: string; tenantId: string };
  let viewerToken: string;

  beforeAll(async () => {
    owner = await api.tenant();
    await api.publish(owner.token, { objects: [project, task], roles: [viewer] } as never);
    const user = await api.call('POST', '/api/users', { token: owner.token, body: { email: `viewer@${owner.tenantId}.test`, name: 'Viewer', roles: ['viewer'] } });
    viewerToken = (await api.services.tokens.sign!({ tenantId: owner.tenantId, userId: user.body.id, roles: [] })).token;
  });

  it('lints clean and generates types, for the administrator and for a read-only role', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    for (const token of [owner.token, viewerToken]) {
      const doc = await documentFor(token);
      const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'fields.json', config });
      expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
      const client = await generateClient(doc);
      generatedDirs.push(client.dir);
      // The generated types themselves compile (the account journey does not apply to this tenant).
      expect(client.diagnostics.get('schema.ts') ?? []).toEqual([]);
    }
  }, 60_000);

  it('describes each field as the caller may use it', async () => {
    const admin = (await documentFor(owner.token)).components.schemas;
    const view = (await documentFor(viewerToken)).components.schemas;
    const record = admin['project.record'].properties;
    // Generated values are read-only and never in a body; a default makes a required field optional to send.
    for (const generated of ['code', 'weighted', 'tasks']) {
      expect(record[generated].readOnly, generated).toBe(true);
      expect(admin['project.create'].properties, generated).not.toHaveProperty(generated);
    }
    expect(admin['project.create'].required).toEqual(['name']);
    // An inactive option can still be stored (read), but not written.
    expect(record.stage.enum).toEqual(['new', 'old']);
    expect(admin['project.create'].properties.stage.enum).toEqual(['new']);
    expect(record.tags.items.enum).toEqual(['a', 'b']);
    // ajv's own keywords become extensions; labels in both languages ride along.
    expect(record.starts).toMatchObject({ format: 'date', 'x-formatMinimum': '2020-01-01', 'x-formatMaximum': '2030-12-31' });
    expect(record.starts).not.toHaveProperty('formatMinimum');
    expect(record.budget['x-labels']).toEqual(L('Budget'));
    // The viewer: everything read-only, notes hidden, sensitive values masked (so plain text), nothing to write.
    expect(view['project.record'].properties).not.toHaveProperty('notes');
    expect(view['project.record'].properties.mobile).toMatchObject({ type: 'string', readOnly: true });
    expect(view['project.record'].properties.mobile).not.toHaveProperty('pattern');
    expect(view).not.toHaveProperty(['project.create']);
    expect(view).not.toHaveProperty(['project.patch']);
    expect(view).not.toHaveProperty(['task.record']);
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
