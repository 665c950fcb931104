import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerPoller } from '../support/stream';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { runImportBatch } from '../../functions/api/operations/imports/importRun';
import type { UserContext } from '../../functions/api/auth/tokens';
import { RecordStore } from '../../functions/store/recordStore';

/*
 * CSV import jobs end to end on DynamoDB Local: mapping suggestions from English and Chinese
 * headers, a dry run that writes nothing, create / update / upsert, automations switched off
 * (no after-save rule runs, checked through the stream consumer), a run interrupted by a
 * failure and resumed without duplicates, the error report, undo (a record changed since is
 * reported, not overwritten), and bad input answered with problem+json, never a 5xx.
 */

const L = (en: string, zh?: string) => ({ en, ...(zh ? { 'zh-CN': zh } : {}) });
const lead: ObjectDef = {
  name: 'lead',
  label: L('Lead', '线索'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name', '姓名'), required: true },
    { name: 'email', type: 'email', label: L('Email', '邮箱'), unique: true },
    { name: 'phone', type: 'phone', label: L('Telephone', '电话') },
    { name: 'status', type: 'picklist', label: L('Status', '状态'), options: [{ value: 'new', label: L('New', '新建') }, { value: 'working', label: L('Working', '跟进中') }] },
    { name: 'budget', type: 'currency', label: L('Budget', '预算') },
    { name: 'city', type: 'text', label: L('City', '城市'), indexed: true },
  ],
};
const task: ObjectDef = {
  name: 'task',
  label: L('Task'),
  nameField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: L('Subject'), required: true },
    { name: 'lead', type: 'lookup', label: L('Lead'), target: 'lead', indexed: true },
  ],
};
const bundle: MetadataBundle = {
  objects: [lead, task],
  validationRules: [{ name: 'budget_positive', object: 'lead', conditions: { all: [{ fact: 'budget', operator: 'lessThan', value: 0 }] }, message: L('Budget cannot be negative', '预算不能为负'), field: 'budget' }],
  automationRules: [
    { name: 'welcome', object: 'lead', trigger: { on: 'created' }, actions: [{ type: 'createRecord', object: 'task', values: { subject: { value: 'Welcome call' }, lead: { field: 'id' } } }] },
    { name: 'farewell', object: 'lead', trigger: { on: 'deleted' }, actions: [{ type: 'createRecord', object: 'task', values: { subject: { field: 'name' } } }] },
  ],
  duplicateRules: [
    { name: 'same_phone', object: 'lead', action: 'block', conditions: [{ type: 'phone', field: 'phone', defaultCountryCode: '86' }] },
    { name: 'same_name', object: 'lead', action: 'warn', conditions: [{ type: 'exact', field: 'name' }] },
  ],
};

let api: TestApi;
let token: string;
let admin: UserContext;
let poller: StreamPoller;

const call = (method: string, path: string, body?: unknown) => api.call(method, path, { token, ...(body === undefined ? {} : { body }) });
const upload = (csv: string, extra: Record<string, unknown> = {}) => call('POST', '/api/imports', { object: 'lead', csv, ...extra });
async function runAll(id: string, phase: 'run' | 'dry-run' | 'undo' = 'run') {
  let res;
  for (let i = 0; i < 50; i++) {
    res = await call('POST', `/api/imports/${id}/${phase}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const progress = phase === 'undo' ? res.body.undo : phase === 'run' ? res.body.run : res.body.dryRun;
    if (progress.done) return res.body;
  }
  throw new Error('did not finish');
}
async function all(object: string): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: Array<Record<string, unknown>>; nextCursor: string | null } } = await call('GET', `/api/objects/${object}/records?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}
const tasksFor = async (id: string) => (await all('task')).filter((t) => t.lead === id);

beforeAll(async () => {
  api = await createTestApi();
  const t = await api.tenant();
  token = t.token;
  admin = t.user;
  await api.publish(token, bundle);
  poller = consumerPoller(api);
  await poller.drain();
}, 120_000);
afterAll(async () => poller?.stop());

describe('mapping', () => {
  it('suggests fields from API names and from labels in English and Chinese, normalised', async () => {
    const res = await upload('Full Name,E-mail,TELEPHONE,状态,预算,Notes,NAME\nA,a@x.test,1,New,1,x,y\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.suggestions.map((s: { field: string | null }) => s.field)).toEqual([null, 'email', 'phone', 'status', 'budget', null, 'name']);
    expect(res.body.suggestions.map((s: { by: string | null }) => s.by)).toEqual([null, 'name', 'label.en', 'label.zh-CN', 'label.zh-CN', null, 'name']);
    const zh = await upload('姓名,邮箱,城市,电话\n张三,zs@x.test,北京,010 1234 5678\n');
    expect(zh.body.suggestions.map((s: { field: string | null }) => s.field)).toEqual(['name', 'email', 'city', 'phone']);
  });

  it('refuses a mapping to unknown or repeated fields, and an upsert without a usable key, at pointers', async () => {
    const job = (await upload('name,email,phone\nA,a@x.test,1\n')).body;
    const res = await call('PATCH', `/api/imports/${job.id}`, { mapping: ['name', 'nope', 'name'], mode: 'upsert', matchOn: 'phone' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/mapping/1', '/mapping/2', '/matchOn']);
  });
});

describe('an import', () => {
  it('dry-runs every row through the same validation, writing nothing', async () => {
    const job = (await upload('name,email,budget,status\nDry One,dry1@x.test,100,新建\n,dry2@x.test,5,new\nDry Three,not-an-email,-5,new\n')).body;
    expect((await call('PATCH', `/api/imports/${job.id}`, { mode: 'create' })).status).toBe(200);
    const done = await runAll(job.id, 'dry-run');
    expect(done.dryRun.counts).toMatchObject({ create: 1, fail: 2 });
    const rows = (await call('GET', `/api/imports/${job.id}/rows?phase=dryRun`)).body.items;
    expect(rows[0]).toMatchObject({ row: 1, outcome: 'create' });
    expect(rows[1].problem.errors).toEqual([expect.objectContaining({ pointer: '/name', code: 'required' })]);
    expect(rows[2].problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/email']);
    expect((await all('lead')).filter((l) => String(l.name).startsWith('Dry'))).toEqual([]);
  });

  it('creates with automations switched off: no after-save rule runs for the imported records', async () => {
    const job = (await upload('name,email,status\nQuiet One,q1@x.test,New\nQuiet Two,q2@x.test,跟进中\n', { name: '安静.csv' })).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create', automation: false });
    const done = await runAll(job.id);
    expect(done.status).toBe('completed');
    expect(done.run.counts).toMatchObject({ created: 2 });
    await poller.drain();
    const quiet = (await all('lead')).filter((l) => String(l.name).startsWith('Quiet'));
    expect(quiet.map((l) => l.status).sort()).toEqual(['new', 'working']);
    for (const l of quiet) expect(await tasksFor(l.id)).toEqual([]);
    const history = (await call('GET', `/api/objects/lead/records/${quiet[0]!.id}/history`)).body.items;
    expect(history[0]).toMatchObject({ op: 'create', import: job.id });
    // The same import with automations on: the rule runs.
    const loud = (await upload('name,email\nLoud One,l1@x.test\n')).body;
    await call('PATCH', `/api/imports/${loud.id}`, { mode: 'create' });
    await runAll(loud.id);
    await poller.drain();
    const created = (await all('lead')).find((l) => l.name === 'Loud One')!;
    expect((await tasksFor(created.id)).map((t) => t.subject)).toEqual(['Welcome call']);
  });

  it('upserts on a unique field, updates on an indexed one, and skips what it should, saying why', async () => {
    const existing = (await call('POST', '/api/objects/lead/records', { name: 'Up One', email: 'up1@x.test', city: 'Xi’an' })).body;
    const job = (await upload('Name,Email,Budget\nUp One Renamed,UP1@x.test,"1,200.50"\nUp Two,up2@x.test,7\n')).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'upsert', matchOn: 'email', automation: false });
    const done = await runAll(job.id);
    expect(done.run.counts).toMatchObject({ created: 1, updated: 1 });
    const after = (await call('GET', `/api/objects/lead/records/${existing.id}`)).body;
    expect(after).toMatchObject({ name: 'Up One Renamed', budget: 1200.5, version: 2 });
    const byCity = (await upload('city,budget\nXi’an,9\nNowhere,1\n')).body;
    await call('PATCH', `/api/imports/${byCity.id}`, { mode: 'update', matchOn: 'city', mapping: ['city', 'budget'], automation: false });
    const cityDone = await runAll(byCity.id);
    expect(cityDone.run.counts).toMatchObject({ updated: 1, skipped: 1 });
    const skipped = (await call('GET', `/api/imports/${byCity.id}/rows?outcome=skipped`)).body.items;
    expect(skipped).toEqual([expect.objectContaining({ row: 2, reason: 'noMatch' })]);
    const again = (await upload('email,name\nup2@x.test,Up Two\n')).body;
    await call('PATCH', `/api/imports/${again.id}`, { mode: 'create', matchOn: 'email' });
    expect((await runAll(again.id)).run.counts).toMatchObject({ skipped: 1 });
  });

  it('resumes after a failure mid-run without writing a row twice, across batches', async () => {
    const rows = Array.from({ length: 130 }, (_, i) => `Resume ${i},resume${i}@x.test`).join('\n');
    const job = (await upload(`name,email\n${rows}\n`)).body;
    expect(job.chunks).toBe(2);
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create', automation: false });
    // A store that fails at the 40th write, alone or in a shared transaction, as a crashed container would stop mid-batch.
    let commits = 0;
    const flaky = Object.create(api.services.records) as RecordStore;
    flaky.commitMany = async (tenant, plans) => {
      commits += plans.length;
      if (commits >= 40 && commits - plans.length < 40) throw new Error('connection reset');
      return RecordStore.prototype.commitMany.call(api.services.records, tenant, plans);
    };
    await expect(runImportBatch({ ...api.services, records: flaky }, admin, job.id, 'run', 'en')).rejects.toThrow('connection reset');
    const stalled = (await call('GET', `/api/imports/${job.id}`)).body;
    expect(stalled.run).toBeNull();
    const done = await runAll(job.id);
    expect(done.run).toMatchObject({ done: true, rowsDone: 130, counts: { created: 130 } });
    const imported = (await all('lead')).filter((l) => String(l.name).startsWith('Resume '));
    expect(imported).toHaveLength(130);
    expect(new Set(imported.map((l) => l.email)).size).toBe(130);
    // Running a finished import again changes nothing.
    expect((await call('POST', `/api/imports/${job.id}/run`)).body.run.counts).toMatchObject({ created: 130 });
  });

  it('reports failed rows as CSV with their problems, formulas defused', async () => {
    const job = (await upload('name,email,budget\n=HYPERLINK("http://x"),bad-email,1\nFine,fine@x.test,2\n,,-3\n')).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create', automation: false });
    expect((await runAll(job.id)).run.counts).toMatchObject({ created: 1, failed: 2 });
    const report = await call('GET', `/api/imports/${job.id}/errors`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const lines = (report.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,name,email,budget,problems');
    expect(lines).toHaveLength(3);
    expect(lines[1], lines[1]).toMatch(/^1,"'=HYPERLINK\(""http:\/\/x""\)",bad-email,1,"?email: /);
    // Cells a spreadsheet would run are defused as in exports ('-3); the schema's problems come before rules run.
    expect(lines[2]).toBe(`3,,,"'-3",name: name is required`);
  });

  it('undoes: created records removed, updated ones restored, records changed since reported and left alone', async () => {
    const a = (await call('POST', '/api/objects/lead/records', { name: 'Undo A', email: 'undoa@x.test', budget: 10 })).body;
    const b = (await call('POST', '/api/objects/lead/records', { name: 'Undo B', email: 'undob@x.test', budget: 20 })).body;
    const job = (await upload('email,budget,name\nundoa@x.test,11,Undo A\nundob@x.test,21,Undo B\nundoc@x.test,30,Undo C\nundod@x.test,40,Undo D\n')).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'upsert', matchOn: 'email', automation: false });
    expect((await runAll(job.id)).run.counts).toMatchObject({ created: 2, updated: 2 });
    // Someone changes B and the new D after the import.
    expect((await api.call('PATCH', `/api/objects/lead/records/${b.id}`, { token, headers: { 'if-match': '2' }, body: { city: 'Changed' } })).status).toBe(200);
    const d = (await all('lead')).find((l) => l.email === 'undod@x.test')!;
    expect((await api.call('PATCH', `/api/objects/lead/records/${d.id}`, { token, headers: { 'if-match': '1' }, body: { city: 'Kept' } })).status).toBe(200);
    const undone = await runAll(job.id, 'undo');
    expect(undone.status).toBe('undone');
    expect(undone.undo.counts).toMatchObject({ deleted: 1, restored: 1, conflict: 2 });
    expect((await call('GET', `/api/objects/lead/records/${a.id}`)).body).toMatchObject({ budget: 10, version: 3 });
    expect((await call('GET', `/api/objects/lead/records/${b.id}`)).body).toMatchObject({ budget: 21, city: 'Changed' });
    const emails = (await all('lead')).map((l) => l.email);
    expect(emails).not.toContain('undoc@x.test');
    expect(emails).toContain('undod@x.test');
    const rows = (await call('GET', `/api/imports/${job.id}/rows`)).body.items;
    expect(rows.map((r: { undo: { outcome: string } }) => r.undo.outcome)).toEqual(['restored', 'conflict', 'deleted', 'conflict']);
    expect((await call('POST', `/api/imports/${job.id}/run`)).status).toBe(409);
  });
});

describe('duplicates within the file', () => {
  it('a dry run reports rows that match earlier rows of the same file, across batches: a block rule fails the row as the run will, a warn rule names the row', async () => {
    const filler = Array.from({ length: 100 }, (_, i) => `Filler ${i},filler${i}@x.test,`).join('\n');
    const csv = `name,email,phone\nTwin,twin1@x.test,010 5555 0001\nTwin,twin2@x.test,\n${filler}\nOther,other@x.test,+86 10 5555 0001\nSolo,solo@x.test,010 5555 0002\n`;
    const job = (await upload(csv)).body;
    expect(job.chunks).toBe(2);
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create', automation: false });
    const dry = await runAll(job.id, 'dry-run');
    expect(dry.dryRun.counts).toMatchObject({ create: 103, fail: 1 });
    const first = (await call('GET', `/api/imports/${job.id}/rows?phase=dryRun`)).body;
    expect(first.items[1]).toMatchObject({ row: 2, outcome: 'create', fileDuplicates: [{ rule: 'same_name', action: 'warn', row: 1, score: 1 }] });
    expect(first.items[0].fileDuplicates).toBeUndefined();
    const second = (await call('GET', `/api/imports/${job.id}/rows?phase=dryRun&cursor=1`)).body.items;
    const other = second.find((r: { row: number }) => r.row === 103);
    expect(other).toMatchObject({ outcome: 'fail', problem: { code: 'record.duplicate', errors: [{ pointer: '/phone', code: 'duplicateRule', params: { rule: 'same_phone', rows: [1] } }] } });
    expect(second.find((r: { row: number }) => r.row === 104)).toMatchObject({ outcome: 'create' });
    expect((await all('lead')).filter((l) => l.name === 'Twin')).toEqual([]);
    // The run does what the dry run said.
    const run = await runAll(job.id);
    expect(run.run.counts).toMatchObject({ created: 103, failed: 1 });
    const failed = (await call('GET', `/api/imports/${job.id}/rows?outcome=failed&cursor=1`)).body.items;
    expect(failed).toEqual([expect.objectContaining({ row: 103, problem: expect.objectContaining({ code: 'record.duplicate' }) })]);
    expect((await runAll(job.id, 'undo')).undo.counts).toMatchObject({ deleted: 103 });
  });
});

describe('undo and automations', () => {
  const farewells = async (name: string) => (await all('task')).filter((t) => t.subject === name);

  it('undoing an import run with automations off runs no delete rule, and the job records that choice', async () => {
    const job = (await upload('name,email\nBye Quiet,byequiet@x.test\n')).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create', automation: false });
    expect((await runAll(job.id)).run).toMatchObject({ automation: false, counts: { created: 1 } });
    const undone = await runAll(job.id, 'undo');
    expect(undone.undo).toMatchObject({ automation: false, counts: { deleted: 1 } });
    await poller.drain();
    expect(await farewells('Bye Quiet')).toEqual([]);
    // A person deleting a record the quiet import made (never edited since) is not quiet.
    const other = (await upload('name,email\nBye Person,byeperson@x.test\n')).body;
    await call('PATCH', `/api/imports/${other.id}`, { mode: 'create', automation: false });
    await runAll(other.id);
    const made = (await all('lead')).find((l) => l.name === 'Bye Person')!;
    expect((await api.call('DELETE', `/api/objects/lead/records/${made.id}`, { token, headers: { 'if-match': '1' } })).status).toBe(204);
    await poller.drain();
    expect(await farewells('Bye Person')).toHaveLength(1);
  });

  it('undoing an import run with automations on runs the delete rules for the records it removes', async () => {
    const job = (await upload('name,email\nBye Loud,byeloud@x.test\n')).body;
    await call('PATCH', `/api/imports/${job.id}`, { mode: 'create' });
    await runAll(job.id);
    await poller.drain();
    const undone = await runAll(job.id, 'undo');
    expect(undone.undo).toMatchObject({ automation: true, counts: { deleted: 1 } });
    await poller.drain();
    expect(await farewells('Bye Loud')).toHaveLength(1);
  });
});

describe('bad input', () => {
  const countLeads = async () => (await all('lead')).length;

  it.each([
    { title: 'no file', body: { object: 'lead' }, status: 400 },
    { title: 'an unclosed quote', body: { object: 'lead', csv: 'name,email\n"Broken,x@y.test\n' }, status: 400 },
    { title: 'a header only', body: { object: 'lead', csv: 'name,email\n' }, status: 400 },
    { title: 'an unknown object', body: { object: 'nothing', csv: 'a\n1\n' }, status: 404 },
    { title: 'an unknown encoding', body: { object: 'lead', csvBase64: 'YQox', encoding: 'latin-9' }, status: 400 },
    { title: 'an unknown member', body: { object: 'lead', csv: 'a\n1\n', sheet: 2 }, status: 400 },
  ])('refuses $title with problem+json and stores nothing', async ({ body, status }) => {
    const before = (await call('GET', '/api/imports?limit=200')).body.items.length;
    const res = await call('POST', '/api/imports', body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await call('GET', '/api/imports?limit=200')).body.items.length).toBe(before);
  });

  it('refuses a file over the body limit with 413', async () => {
    const res = await upload('name\n' + 'x'.repeat(1100 * 1024));
    expect(res.status).toBe(413);
  });

  it('reads GBK and UTF-8 with a BOM, and a row with a quoted newline; counts columns per row', async () => {
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd3, 0xca, 0xcf, 0xe4, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x67, 0x62, 0x6b, 0x40, 0x78, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x0a]); // 姓名,邮箱\n张三,gbk@x.test\n
    const res = await call('POST', '/api/imports', { object: 'lead', csvBase64: gbk.toString('base64') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ encoding: 'gbk', headers: ['姓名', '邮箱'] });
    expect(res.body.suggestions.map((s: { field: string }) => s.field)).toEqual(['name', 'email']);
    const bom = await call('POST', '/api/imports', { object: 'lead', csvBase64: Buffer.from('\uFEFFname,email\n"Multi\nLine",ml@x.test\nToo,many,cells,here\n').toString('base64') });
    expect(bom.body.encoding).toBe('utf-8');
    expect(bom.body.rows).toBe(2);
    await call('PATCH', `/api/imports/${bom.body.id}`, { mode: 'create', automation: false });
    const done = await runAll(bom.body.id);
    expect(done.run.counts).toMatchObject({ created: 1, failed: 1 });
    expect((await all('lead')).find((l) => l.email === 'ml@x.test')!.name).toBe('Multi\nLine');
    const failed = (await call('GET', `/api/imports/${bom.body.id}/rows?outcome=failed`)).body.items;
    expect(failed[0].problem.errors[0].code).toBe('columnCount');
  });

  it('never answers 5xx nor half-imports for random CSV text and mappings (fuzz)', async () => {
    const before = await countLeads();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200, unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ';', '=', ' ', '名', '1', '@') }),
        fc.array(fc.option(fc.constantFrom('name', 'email', 'phone', 'budget', 'id', 'owner', 'nope', 'status'), { nil: null }), { maxLength: 6 }),
        fc.constantFrom('create', 'update', 'upsert', 'bogus'),
        fc.option(fc.constantFrom('email', 'name', 'id', 'phone'), { nil: null }),
        async (csv, mapping, mode, matchOn) => {
          const up = await call('POST', '/api/imports', { object: 'lead', csv });
          expect(up.status, JSON.stringify(up.body)).toBeLessThan(500);
          if (up.status !== 201) return;
          const set = await call('PATCH', `/api/imports/${up.body.id}`, { mapping, mode, matchOn });
          expect(set.status, JSON.stringify(set.body)).toBeLessThan(500);
          if (set.status !== 200) return;
          const dry = await call('POST', `/api/imports/${up.body.id}/dry-run`);
          expect(dry.status, JSON.stringify(dry.body)).toBeLessThan(500);
        },
      ),
      { numRuns: 25 },
    );
    expect(await countLeads()).toBe(before);
  }, 120_000);
});
