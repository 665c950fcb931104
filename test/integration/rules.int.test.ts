import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { consumerPoller, settle } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import { StreamPoller } from '../../functions/local/streamPoller';
import { handleStreamRecords } from '../../functions/automation/streamConsumer';
import type { DynamoDBRecord } from 'aws-lambda';
import { forgetDirectory } from '../../functions/api/operations/directory';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runDueDeliveries, verifySignature } from '../../functions/webhooks';

/*
 * Rules end to end on DynamoDB Local: validation rules on every write, before-save rules in
 * the same write, assignment (user, queue, round-robin, least-loaded, reassign), and
 * after-save rules from the table's stream through the local stream poller — at least once,
 * each effect once, cascades bounded and recorded.
 */

const L = (en: string, zh?: string) => ({ en, ...(zh ? { 'zh-CN': zh } : {}) });
const lead: ObjectDef = {
  name: 'lead',
  label: L('Lead'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'email', type: 'email', label: L('Email') },
    { name: 'phone', type: 'phone', label: L('Phone') },
    { name: 'region', type: 'picklist', label: L('Region'), options: [{ value: 'east', label: L('East') }, { value: 'west', label: L('West') }, { value: 'north', label: L('North') }] },
    { name: 'status', type: 'picklist', label: L('Status'), default: 'new', options: [{ value: 'new', label: L('New') }, { value: 'working', label: L('Working') }, { value: 'closed', label: L('Closed') }] },
    { name: 'budget', type: 'currency', label: L('Budget') },
    { name: 'rating', type: 'picklist', label: L('Rating'), options: [{ value: 'hot', label: L('Hot') }, { value: 'cold', label: L('Cold') }] },
    { name: 'note', type: 'text', label: L('Note') },
  ],
};
const task: ObjectDef = {
  name: 'task',
  label: L('Task'),
  nameField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: L('Subject'), required: true },
    { name: 'lead', type: 'lookup', label: L('Lead'), target: 'lead', onDelete: 'clear', indexed: true },
    { name: 'due', type: 'date', label: L('Due') },
  ],
};

let api: TestApi;
let token: string;
let tenant: string;
let admin: string;
let poller: StreamPoller;
const sales: string[] = [];
let queueTeam: string;
let repsTeam: string;
let outsider: { token: string; id: string };

const bundle = (extra: Partial<MetadataBundle>): MetadataBundle => ({
  objects: [lead, task],
  roles: [
    { name: 'sales', label: L('Sales'), objects: { lead: { create: true, read: true, update: true, scope: 'own' }, task: { create: true, read: true, update: true, scope: 'own' } } },
    { name: 'importer', label: L('Importer') },
  ],
  ...extra,
});

const rules: Partial<MetadataBundle> = {
  validationRules: [
    { name: 'contact_needed', object: 'lead', conditions: { all: [{ fact: 'email', operator: 'isBlank', value: true }, { fact: 'phone', operator: 'isBlank', value: true }] }, message: L('Give an email or a phone number', '请填写邮箱或电话'), field: 'email' },
    { name: 'budget_positive', object: 'lead', conditions: { all: [{ fact: 'budget', operator: 'lessThan', value: 0 }] }, message: L('Budget cannot be negative', '预算不能为负'), field: 'budget', bypassRoles: ['importer'] },
    { name: 'no_reopen', object: 'lead', conditions: { all: [{ fact: '$previous', path: '$.status', operator: 'equal', value: 'closed' }, { fact: 'status', operator: 'notEqual', value: 'closed' }] }, message: L('A closed lead stays closed') },
  ],
  automationRules: [
    { name: 'rate_big', object: 'lead', timing: 'before', trigger: { on: 'createdOrUpdated', fields: ['budget'] }, conditions: { all: [{ fact: 'budget', operator: 'greaterThanInclusive', value: 100000 }] }, actions: [{ type: 'setField', field: 'rating', to: { value: 'hot' } }] },
    {
      name: 'follow_up',
      object: 'lead',
      trigger: { on: 'created' },
      conditions: { all: [{ fact: 'rating', operator: 'equal', value: 'hot' }] },
      actions: [
        { type: 'createRecord', object: 'task', values: { subject: { value: 'Call the hot lead' }, lead: { field: 'id' }, due: { now: true, offset: { days: 1 } } } },
        { type: 'notify', to: [{ owner: true }], message: L('A hot lead arrived', '有新的热门线索') },
      ],
    },
    // Two rules whose changes fire each other: the cascade bound stops them and says so.
    { name: 'ping', object: 'lead', trigger: { on: 'updated', fields: ['note'] }, conditions: { all: [{ fact: 'note', operator: 'equal', value: 'ping' }] }, actions: [{ type: 'setField', field: 'note', to: { value: 'pong' } }] },
    { name: 'pong', object: 'lead', trigger: { on: 'updated', fields: ['note'] }, conditions: { all: [{ fact: 'note', operator: 'equal', value: 'pong' }] }, actions: [{ type: 'setField', field: 'note', to: { value: 'ping' } }] },
    // Fails on purpose when budget is 13: the value violates a validation rule (negative budget).
    { name: 'unlucky', object: 'lead', trigger: { on: 'updated', fields: ['budget'] }, conditions: { all: [{ fact: 'budget', operator: 'equal', value: 13 }] }, actions: [{ type: 'setField', field: 'status', to: { value: 'working' } }, { type: 'setField', field: 'budget', to: { value: -1 } }] },
  ],
};

async function user(roles: string[], name: string): Promise<string> {
  const id = api.services.newId();
  await api.services.identity.createUser(tenant, { id, email: `${name}@x.test`, name, roles, active: true, createdAt: new Date().toISOString(), passwordHash: '' });
  return id;
}

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  tenant = t.tenantId;
  admin = t.user.userId;
  for (let i = 0; i < 5; i++) sales.push(await user(['sales'], `rep${i}`));
  queueTeam = api.services.newId();
  await api.services.identity.putTeam(tenant, { id: queueTeam, name: 'inbound', members: [sales[0]!, sales[1]!] }, 0);
  repsTeam = api.services.newId();
  await api.services.identity.putTeam(tenant, { id: repsTeam, name: 'reps', members: sales }, 0);
  const outsiderId = await user(['sales'], 'outsider');
  outsider = { id: outsiderId, token: (await api.services.tokens.sign!({ tenantId: tenant, userId: outsiderId, roles: ['sales'] })).token };
  forgetDirectory(tenant);
  await api.publish(token, bundle(rules));
  poller = consumerPoller(api);
  await poller.drain();
}, 60_000);
afterAll(async () => poller?.stop());

const create = (body: Record<string, unknown>, as = token) => api.call('POST', '/api/objects/lead/records', { token: as, body });
const patch = (id: string, version: number, body: Record<string, unknown>) => api.call('PATCH', `/api/objects/lead/records/${id}`, { token, body, headers: { 'if-match': String(version) } });

describe('validation rules', () => {
  it('reports every failing rule at once, at its field, in the caller’s language, and writes nothing', async () => {
    const res = await api.call('POST', '/api/objects/lead/records', { token, body: { name: 'x', budget: -5 }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ pointer: '/email', code: 'rule', message: '请填写邮箱或电话', params: expect.objectContaining({ rule: 'contact_needed' }) }),
      expect.objectContaining({ pointer: '/budget', code: 'rule', message: '预算不能为负' }),
    ]);
    const list = await api.call('GET', '/api/objects/lead/records?filter[name][eq]=x', { token });
    expect(list.body.items).toEqual([]);
  });

  it('judges an update on the previous values too', async () => {
    const rec = (await create({ name: 'closing', email: 'a@b.c', status: 'closed' })).body;
    const res = await patch(rec.id, rec.version, { status: 'working' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '', code: 'rule', message: 'A closed lead stays closed' })]);
  });

  it('lets a role with a bypass through that rule only', async () => {
    const importer = await user(['sales', 'importer'], 'importer');
    forgetDirectory(tenant);
    const tok = (await api.services.tokens.sign!({ tenantId: tenant, userId: importer, roles: ['sales', 'importer'] })).token;
    expect((await create({ name: 'neg', email: 'n@x.y', budget: -1 }, tok)).status).toBe(201);
    expect((await create({ name: 'neg2', budget: -1 }, tok)).body.errors.map((e: { params: { rule: string } }) => e.params.rule)).toEqual(['contact_needed']);
  });
});

describe('before-save rules and assignment', () => {
  it('sets fields inside the same write, so the first version already has them', async () => {
    const res = await create({ name: 'big', email: 'big@x.y', budget: 250000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, rating: 'hot' });
    const history = await api.call('GET', `/api/objects/lead/records/${res.body.id}/history`, { token });
    expect(history.body.items).toHaveLength(1);
    const runs = await api.call('GET', `/api/objects/lead/records/${res.body.id}/runs`, { token });
    expect(runs.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'rate_big', outcome: 'applied', trigger: 'created' })]));
  });

  it('assigns round-robin fairly under concurrency: 1,000 creates over 5 members give each 200 ± 1', async () => {
    await api.publish(token, bundle({ ...rules, assignmentRules: [{ object: 'lead', entries: [{ name: 'reps', assignee: { type: 'roundRobin', team: 'reps' } }] }] }));
    const owners = new Map<string, number>();
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => create({ name: `rr${batch}-${i}`, phone: '123' })));
      for (const r of results) {
        expect(r.status).toBe(201);
        ids.push(r.body.id);
        owners.set(r.body.owner, (owners.get(r.body.owner) ?? 0) + 1);
      }
    }
    expect([...owners.keys()].sort()).toEqual([...sales].sort());
    for (const n of owners.values()) expect(Math.abs(n - 200)).toBeLessThanOrEqual(1);
  }, 180_000);

  it('gives a record to a queue; a member takes it, an outsider may not', async () => {
    await api.publish(token, bundle({ ...rules, assignmentRules: [{ object: 'lead', entries: [{ name: 'west', conditions: { all: [{ fact: 'region', operator: 'equal', value: 'west' }] }, assignee: { type: 'queue', team: 'inbound' } }, { name: 'rest', assignee: { type: 'user', user: sales[4]! } }] }] }));
    const queued = (await create({ name: 'q', email: 'q@x.y', region: 'west' })).body;
    expect(queued.owner).toBe(queueTeam);
    const memberToken = (await api.services.tokens.sign!({ tenantId: tenant, userId: sales[1]!, roles: ['sales'] })).token;
    expect((await api.call('GET', `/api/objects/lead/records/${queued.id}`, { token: memberToken })).status).toBe(200);
    expect((await api.call('GET', `/api/objects/lead/records/${queued.id}`, { token: outsider.token })).status).toBe(404);
    const taken = await api.call('POST', `/api/objects/lead/records/${queued.id}/take`, { token: memberToken, headers: { 'if-match': String(queued.version) } });
    expect(taken.status).toBe(200);
    expect(taken.body.owner).toBe(sales[1]);
    expect((await create({ name: 'r', email: 'r@x.y', region: 'east' })).body.owner).toBe(sales[4]);
  });

  it('assigns to the least-loaded member and reassigns on demand', async () => {
    await api.publish(token, bundle({ ...rules, assignmentRules: [{ object: 'lead', onCreate: false, entries: [{ name: 'load', assignee: { type: 'leastLoaded', role: 'sales', open: { all: [{ fact: 'status', operator: 'notEqual', value: 'closed' }] } } }] }] }));
    const rec = (await create({ name: 'mine', email: 'm@x.y' })).body;
    expect(rec.owner).toBe(admin);
    const res = await api.call('POST', `/api/objects/lead/records/${rec.id}/reassign`, { token, headers: { 'if-match': String(rec.version) } });
    expect(res.status).toBe(200);
    // The outsider owns no open lead yet; everyone else has some from the round-robin.
    expect(res.body.owner).toBe(outsider.id);
  });
});

describe('after-save rules from the stream', () => {
  it('creates a follow-up task and notifies the owner, once, even when the batch is delivered twice', async () => {
    await api.publish(token, bundle(rules));
    const rec = (await create({ name: 'hot one', email: 'h@x.y', budget: 500000 })).body;
    const records: DynamoDBRecord[] = [];
    const capture = new StreamPoller({
      endpoint: inject('dynamoEndpoint'),
      tableName: api.tableName,
      handle: async (batch) => {
        records.push(...batch);
        return { batchItemFailures: [] };
      },
    });
    await capture.drain();
    await capture.stop();
    const mine = records.filter((r) => r.dynamodb?.NewImage?.id?.S === rec.id);
    expect(mine.length).toBeGreaterThan(0);
    await handleStreamRecords(api.services, mine);
    await handleStreamRecords(api.services, mine);
    await poller.drain();

    const tasks = await api.call('GET', `/api/objects/lead/records/${rec.id}/related/task`, { token });
    expect(tasks.body.items).toEqual([expect.objectContaining({ subject: 'Call the hot lead', lead: rec.id })]);
    const notes = await api.call('GET', '/api/notifications', { token });
    expect(notes.body.items.filter((n: { recordId: string }) => n.recordId === rec.id)).toEqual([expect.objectContaining({ message: L('A hot lead arrived', '有新的热门线索'), read: false })]);
    const runs = await api.call('GET', `/api/objects/lead/records/${rec.id}/runs`, { token });
    const followUp = runs.body.items.filter((r: { rule: string }) => r.rule === 'follow_up');
    expect(followUp).toHaveLength(1);
    expect(followUp[0].actions.map((a: { status: string }) => a.status)).toEqual([expect.stringMatching(/applied|alreadyApplied/), expect.stringMatching(/applied|alreadyApplied/)]);

    const id = notes.body.items[0].id;
    expect((await api.call('POST', `/api/notifications/${id}/read`, { token })).status).toBe(204);
    expect((await api.call('POST', `/api/notifications/${id}/read`, { token: outsider.token })).status).toBe(404);
  });

  it('stops a cascade at its depth limit and records it, never loops', async () => {
    const rec = (await create({ name: 'loopy', email: 'l@x.y' })).body;
    await patch(rec.id, rec.version, { note: 'ping' });
    await settle(poller);
    const runs = (await api.call('GET', `/api/objects/lead/records/${rec.id}/runs`, { token })).body.items as Array<{ rule: string; outcome: string; depth: number }>;
    expect(runs.some((r) => r.outcome === 'depthLimit')).toBe(true);
    expect(Math.max(...runs.map((r) => r.depth))).toBeLessThanOrEqual(5);
    const ruleRuns = await api.call('GET', '/api/rules/pong/runs', { token });
    expect(ruleRuns.body.items.length).toBeGreaterThan(0);
  });

  it('records a failed action with its reason and retries from the failed step', async () => {
    const rec = (await create({ name: 'unlucky', email: 'u@x.y' })).body;
    await patch(rec.id, rec.version, { budget: 13 });
    await poller.drain();
    const runs = (await api.call('GET', `/api/objects/lead/records/${rec.id}/runs`, { token })).body.items as Array<{ id: string; rule: string; outcome: string; actions: Array<{ status: string; error?: string }> }>;
    const run = runs.find((r) => r.rule === 'unlucky')!;
    expect(run.outcome).toBe('partial');
    expect(run.actions.map((a) => a.status)).toEqual(['applied', 'failed']);
    expect(run.actions[1]!.error).toMatch(/budget/i);
    // Nothing changes until the rule is fixed; a retry fails the same way and says so.
    const retry = await api.call('POST', `/api/objects/lead/records/${rec.id}/runs/${run.id}/retry`, { token });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ outcome: 'partial', attempts: 2 });
    expect(retry.body.actions[0].status).toBe('applied');
    const current = await api.call('GET', `/api/objects/lead/records/${rec.id}`, { token });
    expect(current.body.status).toBe('working');
  });
});

describe('the other triggers and actions', () => {
  it('fires on delete, assigns after save, and calls a webhook that gets a signed delivery', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, signature: req.headers['tessera-signature'] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    try {
      await api.publish(
        token,
        bundle({
          ...rules,
          settings: { webhooks: { allowHosts: [`127.0.0.1:${port}`] } },
          webhooks: [{ name: 'erp', object: 'lead', events: ['deleted'], url: `http://127.0.0.1:${port}/hook` }],
          automationRules: [
            { name: 'gone', object: 'lead', trigger: { on: 'deleted' }, actions: [{ type: 'notify', to: [{ role: 'admin' }], message: L('A lead was deleted') }] },
            { name: 'cold_to_rep', object: 'lead', trigger: { on: 'updated', fields: ['rating'] }, conditions: { all: [{ fact: 'rating', operator: 'equal', value: 'cold' }] }, actions: [{ type: 'assign', assignee: { type: 'user', user: sales[2]! } }, { type: 'webhook', webhook: 'erp' }] },
          ],
        }),
      );
      const rec = (await create({ name: 'cooling', email: 'c@x.y' })).body;
      await patch(rec.id, rec.version, { rating: 'cold' });
      await poller.drain();
      const after = await api.call('GET', `/api/objects/lead/records/${rec.id}`, { token });
      expect(after.body.owner).toBe(sales[2]);
      const history = await api.call('GET', `/api/objects/lead/records/${rec.id}/history`, { token });
      expect(history.body.items[0]).toMatchObject({ changes: { owner: { new: sales[2] } }, via: { rule: 'cold_to_rep', depth: 1 } });

      await runDueDeliveries(api.services, new Date(Date.now() + 1000));
      expect(received).toHaveLength(1);
      const secret = (await api.call('GET', '/api/webhooks/erp/secret', { token })).body.secret as string;
      expect(verifySignature(received[0]!.signature, received[0]!.body, secret)).toBe(true);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ webhook: 'erp', object: 'lead', rule: 'cold_to_rep', record: expect.objectContaining({ id: rec.id, rating: 'cold' }) });

      const del = await api.call('DELETE', `/api/objects/lead/records/${rec.id}`, { token, headers: { 'if-match': String(after.body.version) } });
      expect(del.status).toBe(204);
      await poller.drain();
      const notes = (await api.call('GET', '/api/notifications', { token })).body.items as Array<{ recordId: string; rule: string }>;
      expect(notes.filter((n) => n.recordId === rec.id && n.rule === 'gone')).toHaveLength(1);
    } finally {
      server.close();
      await api.publish(token, bundle(rules));
    }
  });
});

describe('rules as metadata: bad rules are reported and nothing is published', () => {
  it.each([
    ['an unknown field', { validationRules: [{ name: 'v', object: 'lead', conditions: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] }, message: L('x') }] }, '/validationRules/0/conditions/all/0/fact', 'unknownField'],
    ['an operator that does not fit', { validationRules: [{ name: 'v', object: 'lead', conditions: { all: [{ fact: 'name', operator: 'greaterThan', value: 1 }] }, message: L('x') }] }, '/validationRules/0/conditions/all/0/operator', 'operatorMismatch'],
    ['a value of the wrong type', { validationRules: [{ name: 'v', object: 'lead', conditions: { all: [{ fact: 'budget', operator: 'greaterThan', value: 'lots' }] }, message: L('x') }] }, '/validationRules/0/conditions/all/0/value', 'valueMismatch'],
    ['an action setting a system field', { automationRules: [{ name: 'a', object: 'lead', trigger: { on: 'created' }, actions: [{ type: 'setField', field: 'created_by', to: { value: 'x' } }] }] }, '/automationRules/0/actions/0/field', 'readOnly'],
    ['an action setting a formula field', { objects: [{ ...lead, fields: [...lead.fields, { name: 'budget_k', type: 'formula', label: L('Budget (k)'), returnType: 'number', expression: 'budget / 1000' }] }, task], automationRules: [{ name: 'a', object: 'lead', trigger: { on: 'created' }, actions: [{ type: 'setField', field: 'budget_k', to: { value: 1 } }] }] }, '/automationRules/0/actions/0/field', 'readOnly'],
    ['an action value that does not fit', { automationRules: [{ name: 'a', object: 'lead', trigger: { on: 'created' }, actions: [{ type: 'setField', field: 'rating', to: { value: 'lukewarm' } }] }] }, '/automationRules/0/actions/0/to/value', 'valueMismatch'],
    ['a before-save rule creating records', { automationRules: [{ name: 'a', object: 'lead', timing: 'before', trigger: { on: 'created' }, actions: [{ type: 'createRecord', object: 'task', values: { subject: { value: 's' } } }] }] }, '/automationRules/0/actions/0/type', 'notBeforeSave'],
    ['an unknown role in a round-robin', { assignmentRules: [{ object: 'lead', entries: [{ name: 'e', assignee: { type: 'roundRobin', role: 'ghosts' } }] }] }, '/assignmentRules/0/entries/0/assignee/role', 'unknownRole'],
    ['a time trigger on a text field', { automationRules: [{ name: 'a', object: 'lead', trigger: { on: 'time', field: 'name', offset: { days: 1 } }, actions: [{ type: 'notify', to: [{ owner: true }], message: L('x') }] }] }, '/automationRules/0/trigger/field', 'notADate'],
  ])('%s', async (_what, extra, pointer, code) => {
    const before = (await api.call('GET', '/api/metadata', { token })).body.version;
    const put = await api.call('PUT', '/api/metadata/draft', { token, body: bundle(extra as Partial<MetadataBundle>) });
    expect(put.status).toBe(200);
    const res = await api.call('POST', '/api/metadata/publish', { token });
    expect(res.status).toBe(422);
    expect(res.body.errors ?? res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, code })]));
    expect((await api.call('GET', '/api/metadata', { token })).body.version).toBe(before);
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
