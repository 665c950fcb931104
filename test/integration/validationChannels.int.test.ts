import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, templatesDir } from '../../functions/api/templates/catalog';
import type { Locale, MetadataBundle, ValidationRuleDef } from '../../functions/engine/metadata/types';
import { crmTenant } from '../support/crmTenant';
import type { CrmTenant } from '../support/crmTenant';
import { createTestApi } from '../support/testApi';
import type { ApiResult, TestApi } from '../support/testApi';

/*
 * One validation pipeline for every channel, on DynamoDB Local with crm-core and one more
 * validation rule (json-rules-engine conditions, a message in English and Chinese, shown at
 * a field, bypassed by sales managers): the same bad opportunity is refused with the same
 * problem — code, pointer, message in the caller's language — and nothing written, whether
 * it comes as a create, an update, a batch item, an import row (dry run and run), a workflow
 * transition's values or a lead conversion's opportunity; the same for the field checks
 * (required, type, picklist value). The bypass role passes the rule on each channel, as a
 * person and as an API key scoped to the role; a key scoped to another role is refused.
 */

let api: TestApi;
let crm: CrmTenant;
let account: string;

const MESSAGE: Record<Locale, string> = { en: 'A deal over 1,000,000 needs a next step', 'zh-CN': '金额超过一百万的商机须填写下一步' };
const BIG_DEAL: ValidationRuleDef = {
  name: 'big_deal_needs_next_step',
  object: 'opportunity',
  conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1_000_000 }, { fact: 'next_step', operator: 'isBlank', value: true }] },
  message: MESSAGE,
  field: 'next_step',
  bypassRoles: ['sales_manager'],
};

type Values = Record<string, unknown>;
/** What breaks the rule alone: a big amount, no next step. */
const BREAKS_RULE: Values = { amount: 2_000_000 };
/** What breaks the field checks: a required field blanked, text for a currency, a value that is no option. */
const BREAKS_FIELDS: Values = { name: null, amount: 'lots', source: 'carrier_pigeon' };

interface FieldError {
  pointer: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}
interface ProblemDoc {
  status: number;
  code: string;
  title: string;
  errors: FieldError[];
}
interface Caller {
  readonly token: string;
  readonly locale?: Locale;
}

beforeAll(async () => {
  api = await createTestApi();
  crm = await crmTenant(api);
  const core: MetadataBundle = loadTemplate(join(templatesDir(), 'crm-core')).bundle;
  await api.publish(crm.tokens.admin, { ...core, validationRules: [...(core.validationRules ?? []), BIG_DEAL] });
  account = (await api.call('POST', '/api/objects/account/records', { token: crm.tokens.rep, body: { name: 'Acme' } })).body.id;
}, 120_000);

const call = (method: string, path: string, as: Caller, body?: unknown, headers: Record<string, string> = {}) =>
  api.call(method, path, { token: as.token, ...(body !== undefined ? { body } : {}), headers: { ...(as.locale ? { 'accept-language': as.locale } : {}), ...headers } });

let serial = 0;
const valid = (name = `Deal ${++serial}`): Values => ({ name, account, close_date: '2027-06-30' });

async function count(object: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: ApiResult<{ items: unknown[]; nextCursor: string | null }> = await api.call('GET', `/api/objects/${object}/records?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: crm.tokens.admin });
    n += page.body.items.length;
    cursor = page.body.nextCursor;
  } while (cursor);
  return n;
}

async function created(object: string, as: Caller, body: Values): Promise<Values & { id: string; version: number }> {
  const res = await call('POST', `/api/objects/${object}/records`, as, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** How many writes a record has had since `before`: its version and its history agree, and without a write it is exactly as it was. */
async function writesSince(object: string, before: { id: string; version: number }, as: Caller): Promise<number> {
  const now = (await call('GET', `/api/objects/${object}/records/${before.id}`, as)).body;
  const history = (await call('GET', `/api/objects/${object}/records/${before.id}/history`, as)).body.items as unknown[];
  expect(history).toHaveLength(now.version);
  if (now.version === before.version) expect(now).toEqual(before);
  return now.version - before.version;
}

/** A single write's answer: a problem+json refusal having written nothing, or a success having written exactly once. */
function answer(res: ApiResult, writes: number): ProblemDoc | null {
  if (res.status < 300) {
    expect(writes).toBe(1);
    return null;
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(writes).toBe(0);
  return res.body;
}

/** A batch item's answer: the same, for the one item, with its own status. */
function itemAnswer(item: { status: number; problem?: ProblemDoc; record?: unknown }, writes: number): ProblemDoc | null {
  if (item.status < 300) {
    expect(item.record).toBeDefined();
    expect(writes).toBe(1);
    return null;
  }
  expect(item.problem!.status).toBe(item.status);
  expect(item.record).toBeUndefined();
  expect(writes).toBe(0);
  return item.problem!;
}

const CSV_COLUMNS = ['name', 'account', 'close_date', 'amount', 'source', 'next_step'];
const csvRow = (values: Values) => CSV_COLUMNS.map((c) => (values[c] === null || values[c] === undefined ? '' : String(values[c]))).join(',');

/** An import of two rows, a good one and `values`, mapped by its headers, to create. */
async function importJob(as: Caller, values: Values): Promise<string> {
  const up = await call('POST', '/api/imports', as, { object: 'opportunity', csv: `${CSV_COLUMNS.join(',')}\n${csvRow(valid('Imported fine'))}\n${csvRow(values)}\n` });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  expect(up.body.suggestions.map((s: { field: string | null }) => s.field)).toEqual(CSV_COLUMNS);
  expect((await call('PATCH', `/api/imports/${up.body.id}`, as, { mode: 'create' })).status).toBe(200);
  return up.body.id;
}

async function runAll(id: string, phase: 'run' | 'dry-run', as: Caller) {
  for (let i = 0; i < 10; i++) {
    const res = await call('POST', `/api/imports/${id}/${phase}`, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if ((phase === 'run' ? res.body.run : res.body.dryRun).done) return res.body;
  }
  throw new Error('the import did not finish');
}

const me = async (as: Caller): Promise<string> => (await call('GET', '/api/me', as)).body.userId;

interface Channel {
  readonly title: string;
  /** Where the channel puts an opportunity's problems: a conversion keys them by target. */
  readonly prefix: string;
  /**
   * Writes an opportunity with `change` the channel's way and answers the problem it was
   * refused with, or null when it passed — having checked that the store agrees: a refusal
   * wrote nothing (no record, no new version, no history entry), a pass wrote the record.
   */
  write(change: Values, as: Caller): Promise<ProblemDoc | null>;
}

const CHANNELS: Channel[] = [
  {
    title: 'POST /records (create)',
    prefix: '',
    async write(change, as) {
      const before = await count('opportunity');
      const res = await call('POST', '/api/objects/opportunity/records', as, { ...valid(), ...change });
      return answer(res, (await count('opportunity')) - before);
    },
  },
  {
    title: 'PATCH /records/{id} (If-Match)',
    prefix: '',
    async write(change, as) {
      const record = await created('opportunity', as, valid());
      const res = await call('PATCH', `/api/objects/opportunity/records/${record.id}`, as, change, { 'if-match': String(record.version) });
      return answer(res, await writesSince('opportunity', record, as));
    },
  },
  {
    title: 'a batch’s create item',
    prefix: '',
    // Beside a good item, which is created whatever becomes of this one.
    async write(change, as) {
      const before = await count('opportunity');
      const res = await call('POST', '/api/objects/opportunity/batch', as, { items: [{ op: 'create', ref: 'bad', values: { ...valid(), ...change } }, { op: 'create', ref: 'good', values: valid() }] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const [item, good] = res.body.items;
      expect(good).toMatchObject({ index: 1, ref: 'good', status: 201 });
      expect(item).toMatchObject({ index: 0, ref: 'bad', op: 'create' });
      const problem = itemAnswer(item, (await count('opportunity')) - before - 1);
      expect(res.body.summary).toEqual(problem ? { created: 1, updated: 0, failed: 1 } : { created: 2, updated: 0, failed: 0 });
      return problem;
    },
  },
  {
    title: 'a batch’s update item',
    prefix: '',
    // Beside a good item changing another record, which is made whatever becomes of this one.
    async write(change, as) {
      const [record, other] = [await created('opportunity', as, valid()), await created('opportunity', as, valid())];
      const res = await call('POST', '/api/objects/opportunity/batch', as, {
        items: [
          { op: 'update', ref: 'bad', id: record.id, version: record.version, values: change },
          { op: 'update', ref: 'good', id: other.id, version: other.version, values: { next_step: 'Call back' } },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const [item, good] = res.body.items;
      expect(good).toMatchObject({ index: 1, ref: 'good', status: 200, record: { next_step: 'Call back', version: 2 } });
      expect(item).toMatchObject({ index: 0, ref: 'bad', op: 'update' });
      const problem = itemAnswer(item, await writesSince('opportunity', record, as));
      expect(res.body.summary).toEqual(problem ? { created: 0, updated: 1, failed: 1 } : { created: 0, updated: 2, failed: 0 });
      return problem;
    },
  },
  {
    title: 'an import’s dry run',
    prefix: '',
    // The row's outcome in the dry run's report, after a good row.
    async write(change, as) {
      const before = await count('opportunity');
      const id = await importJob(as, { ...valid(), ...change });
      const done = await runAll(id, 'dry-run', as);
      const rows = (await call('GET', `/api/imports/${id}/rows?phase=dryRun`, as)).body.items;
      expect(rows[0]).toMatchObject({ row: 1, outcome: 'create' });
      // A dry run writes nothing, whatever it says the run would do.
      expect(await count('opportunity')).toBe(before);
      if (rows[1].outcome === 'create') {
        expect(done.dryRun.counts).toMatchObject({ create: 2, fail: 0 });
        return null;
      }
      expect(rows[1]).toMatchObject({ row: 2, outcome: 'fail' });
      expect(done.dryRun.counts).toMatchObject({ create: 1, fail: 1 });
      return rows[1].problem;
    },
  },
  {
    title: 'an import’s run',
    prefix: '',
    // The row's outcome in the run, after a good row that is created.
    async write(change, as) {
      const before = await count('opportunity');
      const id = await importJob(as, { ...valid(), ...change });
      const done = await runAll(id, 'run', as);
      const rows = (await call('GET', `/api/imports/${id}/rows`, as)).body.items;
      expect(rows[0]).toMatchObject({ row: 1, outcome: 'created', recordId: expect.any(String) });
      expect((await call('GET', `/api/objects/opportunity/records/${rows[0].recordId}`, as)).body.name).toBe('Imported fine');
      if (rows[1].outcome === 'created') {
        expect(done.run.counts).toMatchObject({ created: 2, failed: 0 });
        expect(await count('opportunity')).toBe(before + 2);
        return null;
      }
      expect(done).toMatchObject({ status: 'completed', run: { counts: { created: 1, failed: 1 } } });
      expect(Object.keys(rows[1]).sort()).toEqual(['outcome', 'problem', 'row']);
      expect(rows[1]).toMatchObject({ row: 2, outcome: 'failed' });
      expect(await count('opportunity')).toBe(before + 1);
      const failed = (await call('GET', `/api/imports/${id}/rows?outcome=failed`, as)).body.items;
      expect(failed).toEqual([rows[1]]);
      return rows[1].problem;
    },
  },
  {
    title: 'a workflow transition’s values',
    prefix: '',
    // crm-core's analyse_needs (qualify → needs), with the values sent along.
    async write(change, as) {
      const record = await created('opportunity', as, valid());
      expect(record.stage).toBe('qualify');
      const res = await call('POST', `/api/objects/opportunity/records/${record.id}/transitions/analyse_needs`, as, { values: change }, { 'if-match': String(record.version) });
      if (res.status === 200) expect(res.body).toMatchObject({ stage: 'needs', ...change });
      return answer(res, await writesSince('opportunity', record, as));
    },
  },
  {
    title: 'a lead conversion’s opportunity',
    prefix: '/opportunity',
    // crm-core's lead_conversion, the caller's values over the mapped ones; nothing of the three targets may be written.
    async write(change, as) {
      const n = ++serial;
      const lead = await created('lead', as, { owner: await me(as), full_name: `Lead ${n}`, company: `Company ${n}`, email: `lead${n}@example.com`, source: 'advertising' });
      const targets = async () => ({ account: await count('account'), contact: await count('contact'), opportunity: await count('opportunity') });
      const before = await targets();
      const res = await call('POST', `/api/objects/lead/records/${lead.id}/convert`, as, { opportunity: { values: change } }, { 'if-match': String(lead.version) });
      const after = await targets();
      const writes = await writesSince('lead', lead, as);
      if (res.status === 201) {
        expect(after).toEqual({ account: before.account + 1, contact: before.contact + 1, opportunity: before.opportunity + 1 });
        expect(res.body.opportunity).toMatchObject(change);
      } else expect(after).toEqual(before);
      return answer(res, writes);
    },
  },
];

const TITLE = { en: 'The record is not valid', 'zh-CN': '记录校验未通过' } as const;
const LOCALES = ['en', 'zh-CN'] as const;

const ruleErrors = (prefix: string, locale: Locale): FieldError[] => [
  {
    pointer: `${prefix}/next_step`,
    code: 'rule',
    message: MESSAGE[locale],
    params: { rule: BIG_DEAL.name, field: 'next_step', messages: MESSAGE, ...(prefix ? { object: 'opportunity' } : {}) },
  },
];

const FIELD_MESSAGES = {
  en: { required: 'name is required', type: 'must be number', enum: 'must be equal to one of the allowed values' },
  'zh-CN': { required: '此字段为必填项', type: '值的类型不正确', enum: '请选择允许的值之一' },
} as const;
const fieldErrors = (prefix: string, locale: Locale) => [
  { pointer: `${prefix}/name`, code: 'required', message: FIELD_MESSAGES[locale].required },
  { pointer: `${prefix}/amount`, code: 'type', message: FIELD_MESSAGES[locale].type },
  { pointer: `${prefix}/source`, code: 'enum', message: FIELD_MESSAGES[locale].enum },
];
const withoutParams = (errors: FieldError[]) => errors.map(({ pointer, code, message }) => ({ pointer, code, message }));

describe('the validation rule on every channel', () => {
  it.each(CHANNELS)('$title refuses a deal over 1,000,000 without a next step: 422 at /next_step with the rule’s message, in English and Chinese, nothing written', async ({ write, prefix }) => {
    for (const locale of LOCALES) {
      const problem = await write(BREAKS_RULE, { token: crm.tokens.rep, locale });
      expect(problem, locale).toMatchObject({ status: 422, code: 'validation.failed', title: TITLE[locale] });
      expect(problem!.errors).toEqual(ruleErrors(prefix, locale));
    }
  });

  it.each(CHANNELS)('$title refuses a blank required name, text for the amount and an unknown source: 422, each at its field, nothing written', async ({ write, prefix }) => {
    // In Chinese here; the bypass tests below read the same problems in English.
    const problem = await write(BREAKS_FIELDS, { token: crm.tokens.rep, locale: 'zh-CN' });
    expect(problem).toMatchObject({ status: 422, code: 'validation.failed', title: TITLE['zh-CN'] });
    // The schema's problems come before rules run: no rule error beside them.
    expect(withoutParams(problem!.errors)).toEqual(fieldErrors(prefix, 'zh-CN'));
    expect(problem!.errors[2]!.params!.allowedValues).toEqual(expect.arrayContaining(['web', 'referral', 'tender']));
  });

  it('judges the record a transition would leave, not only the values it carries', async () => {
    // A manager (the bypass role) saved a big deal without a next step; the rep who moves it on must give one.
    const rep: Caller = { token: crm.tokens.rep, locale: 'zh-CN' };
    const deal = await created('opportunity', rep, valid());
    const big = await call('PATCH', `/api/objects/opportunity/records/${deal.id}`, { token: crm.tokens.manager }, BREAKS_RULE, { 'if-match': String(deal.version) });
    expect(big.status, JSON.stringify(big.body)).toBe(200);
    const before = (await call('GET', `/api/objects/opportunity/records/${deal.id}`, rep)).body;
    const refused = answer(await call('POST', `/api/objects/opportunity/records/${deal.id}/transitions/analyse_needs`, rep), await writesSince('opportunity', before, rep));
    expect(refused).toMatchObject({ status: 422, code: 'validation.failed', errors: ruleErrors('', 'zh-CN') });
    const moved = await call('POST', `/api/objects/opportunity/records/${deal.id}/transitions/analyse_needs`, rep, { values: { next_step: 'Workshop' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ stage: 'needs', next_step: 'Workshop', amount: 2_000_000, version: before.version + 1 });
  });
});

describe('the rule’s bypass on every channel', () => {
  let managerKey: string;
  let repKey: string;
  beforeAll(async () => {
    const mint = async (role: string) => {
      const res = await api.call('POST', '/api/api-keys', { token: crm.tokens.admin, body: { name: `ERP as ${role}`, role } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.key as string;
    };
    managerKey = await mint('sales_manager');
    repKey = await mint('sales_rep');
  });

  it.each(CHANNELS)('$title lets a sales manager (the bypass role) through the rule, but not through the field checks', async ({ write, prefix }) => {
    expect(await write(BREAKS_RULE, { token: crm.tokens.manager })).toBeNull();
    const problem = await write(BREAKS_FIELDS, { token: crm.tokens.manager });
    expect(withoutParams(problem!.errors)).toEqual(fieldErrors(prefix, 'en'));
  });

  it.each(CHANNELS)('$title lets an API key scoped to sales_manager through, and refuses one scoped to sales_rep with the same problem', async ({ write, prefix }) => {
    expect(await write(BREAKS_RULE, { token: managerKey })).toBeNull();
    const problem = await write(BREAKS_RULE, { token: repKey, locale: 'zh-CN' });
    expect(problem).toMatchObject({ status: 422, code: 'validation.failed', title: TITLE['zh-CN'] });
    expect(problem!.errors).toEqual(ruleErrors(prefix, 'zh-CN'));
  });
});
