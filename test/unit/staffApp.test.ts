import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../functions/engine/compile/compileBundle';
import { isEngineError } from '../../functions/engine/errors';
import { FIELD_REGISTRY } from '../../functions/engine/fields';
import { assignSlots } from '../../functions/engine/metadata/indexes';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import { parseListRequest, planList } from '../../functions/engine/query/listQuery';
import { assertFieldLogic } from '../../functions/engine/rules/fieldLogic';
import { ajvProblems } from '../../functions/engine/ajv';
import { loadTemplate, mergeBundles, templatesDir } from '../../functions/api/templates/catalog';
import { OPERATORS, filterOffers, listParams, searchFromState, sortOptions, stateFromSearch, validSort } from '../../admin-ui/src/staff/listQuery';
import type { ViewFilter } from '../../admin-ui/src/staff/listQuery';
import { capabilitiesFrom } from '../../admin-ui/src/staff/capabilities';
import { createPayload, fieldStates, formSections, logicProblems, patchPayload, schemaProblems, translated } from '../../admin-ui/src/staff/formModel';
import type { RecordSchema } from '../../admin-ui/src/staff/formModel';
import { defaultColumns, formatValue, recordName } from '../../admin-ui/src/staff/format';
import { assignedQueries, isClosedValue } from '../../admin-ui/src/staff/home';
import { chunk, outcomeOf, updateItems } from '../../admin-ui/src/staff/bulk';
import { dashboardCharts, drillDown } from '../../admin-ui/src/staff/reports';
import { relationsOf, timeline } from '../../admin-ui/src/staff/timeline';
import { boardField, refusalFields } from '../../admin-ui/src/staff/board';
import { defaultValues } from '../../admin-ui/src/staff/formModel';
import { offeredTransitions, reasonText } from '../../admin-ui/src/staff/workflowModel';

const core = loadTemplate(join(templatesDir(), 'crm-core')).bundle;
const bundle: MetadataBundle = mergeBundles(core, loadTemplate(join(templatesDir(), 'ict')).bundle);
const compiled = compileBundle('t', 1, bundle, assignSlots(bundle, null, null).storage);
const objects = compiled.bundle.objects;

/** A value the field's type accepts in a query string, for planning (not for matching). */
function sample(def: ObjectDef, field: string, op: string): string {
  if (op === 'isBlank') return 'false';
  const f = def.fields.find((x) => x.name === field);
  const one = (() => {
    switch (f?.type) {
      case 'number': case 'currency': case 'percent': return '5';
      case 'date': return '2027-01-15';
      case 'datetime': return '2027-01-15T08:00:00Z';
      case 'boolean': return 'true';
      case 'lookup': case 'user': case undefined: return '01J00000000000000000000000';
      case 'picklist': return f.options[0]!.value;
      case 'formula': return f.returnType === 'date' ? '2027-01-15' : ['number', 'currency', 'percent'].includes(f.returnType) ? '5' : 'x';
      default: return 'abc';
    }
  })();
  return op === 'in' || op === 'between' ? `${one},${one}` : one;
}

describe('staff app: list views offer only what the list API serves', () => {
  it('knows the operators of every field type exactly as the engine does', () => {
    for (const [type, def] of Object.entries(FIELD_REGISTRY)) expect(OPERATORS[type as keyof typeof OPERATORS], type).toEqual(def.operators);
  });

  it.each(objects.map((o) => [o.name, o] as const))('every filter and sort offered for %s is planned by the engine, and every other sort is refused', (_name, def) => {
    const object = compiled.object(def.name);
    const plan = (filters: readonly ViewFilter[], sort: string | null) =>
      planList(object, parseListRequest(object, { ...Object.fromEntries(filters.map((f) => [`filter[${f.field}][${f.op}]`, f.value])), ...(sort ? { sort } : {}) }), null);
    const offers = filterOffers(def);
    for (const offer of offers) for (const op of offer.ops) expect(() => plan([{ field: offer.field, op, value: sample(def, offer.field, op) }], null), `${offer.field} ${op}`).not.toThrow();
    // Under each combination of one equality filter per offered field, the offered sorts plan and the others are refused.
    const eqs: ViewFilter[] = offers.filter((o) => o.indexedOps.includes('eq')).map((o) => ({ field: o.field, op: 'eq', value: sample(def, o.field, 'eq') }));
    for (const filters of [[], eqs, ...eqs.map((f) => [f])]) {
      const offered = sortOptions(def, filters);
      for (const sort of offered) {
        expect(() => plan(filters, sort), `${sort} under ${JSON.stringify(filters)}`).not.toThrow();
        expect(() => plan(filters, `-${sort}`)).not.toThrow();
      }
      for (const f of def.fields.filter((x) => !offered.includes(x.name) && !x.sensitive && x.type !== 'rollup')) {
        let refused = false;
        try {
          plan(filters, f.name);
        } catch (error) {
          refused = isEngineError(error) && error.code === 'query.invalid';
        }
        expect(refused, `${def.name}.${f.name} is not offered, so the API must refuse it`).toBe(true);
      }
    }
  });

  it('drops a sort the remaining filters no longer allow, and carries a view in the URL', () => {
    const opp = objects.find((o) => o.name === 'opportunity')!;
    expect(validSort(opp, [{ field: 'stage', op: 'eq', value: 'won' }], '-close_date')).toBe('-close_date');
    expect(validSort(opp, [], 'stage')).toBeNull();
    const state = { filters: [{ field: 'stage', op: 'in' as const, value: 'won,lost' }, { field: 'name', op: 'startsWith' as const, value: 'a.b c' }], sort: '-amount', view: '01J' };
    expect(stateFromSearch(new URLSearchParams(searchFromState(state)))).toEqual(state);
    expect(decodeURIComponent(listParams({ ...state, limit: 50, cursor: 'abc' }))).toBe('filter[stage][in]=won,lost&filter[name][startsWith]=a.b+c&sort=-amount&limit=50&cursor=abc');
  });
});

describe('staff app: forms validate as the server does', () => {
  const opportunity = compiled.object('opportunity');
  const schema = opportunity.schemaFor() as unknown as RecordSchema;

  it.each([
    ['nothing', {}],
    ['a bad date and a negative amount', { name: 'Deal', account: '01J00000000000000000000000', stage: 'qualify', close_date: '31/12/2027', amount: -5 }],
    ['a value that is not an option', { name: 'x'.repeat(200), stage: 'maybe', close_date: '2027-01-01', account: 'nope' }],
    ['a valid record', { name: 'Deal', account: '01J00000000000000000000000', stage: 'qualify', close_date: '2027-01-01', amount: 10 }],
  ])('a create with %s gets the problems the server reports', (_title, values) => {
    const payload = createPayload(schema, values);
    const server = opportunity.validateCreate(payload) ? [] : ajvProblems(opportunity.validateCreate.errors);
    expect(schemaProblems(schema, payload, 'create')).toEqual(server.map((p) => ({ pointer: p.path, code: p.code, message: p.message })));
  });

  it('sends only changed fields on an edit, null for a cleared one, and refuses a blank required field', () => {
    const before = { id: 'r', name: 'Deal', stage: 'qualify', amount: 10, next_step: 'call', account: '01J00000000000000000000000', close_date: '2027-01-01' };
    const patch = patchPayload(schema, before, { ...before, amount: 12, next_step: '', number: 'OPP-9' });
    expect(patch).toEqual({ amount: 12, next_step: null });
    expect(schemaProblems(schema, patch, 'patch', { ...before, ...patch })).toEqual([]);
    const server = opportunity.validatePatch(patch);
    expect(server).toBe(true);
    expect(schemaProblems(schema, { name: null }, 'patch', { ...before, name: null }).map((p) => [p.pointer, p.code])).toEqual([['/name', 'required']]);
  });

  it('speaks the server’s language: the catalogue’s Chinese, the engine’s English', () => {
    const problems = schemaProblems(schema, createPayload(schema, { stage: 'qualify' }), 'create');
    expect(translated(problems, 'zh-CN').find((p) => p.pointer === '/name')?.message).toBe('此字段为必填项');
    expect(translated(problems, 'en').find((p) => p.pointer === '/name')?.message).toBe('name is required');
  });

  it('applies x-when and dependent picklists live with the engine’s evaluator, reporting what assertFieldLogic reports', async () => {
    const def: ObjectDef = {
      name: 'ticket',
      label: { en: 'Ticket' },
      nameField: 'subject',
      fields: [
        { name: 'subject', type: 'text', label: { en: 'Subject' }, required: true },
        { name: 'status', type: 'picklist', label: { en: 'Status' }, options: [{ value: 'open', label: { en: 'Open' } }, { value: 'closed', label: { en: 'Closed' } }] },
        { name: 'resolution', type: 'textarea', label: { en: 'Resolution' }, when: { required: { all: [{ fact: 'status', operator: 'equal', value: 'closed' }] }, visible: { all: [{ fact: 'status', operator: 'equal', value: 'closed' }] } } },
        { name: 'title', type: 'text', label: { en: 'Title' }, when: { readOnly: { all: [{ fact: 'status', operator: 'equal', value: 'closed' }] } } },
        { name: 'area', type: 'picklist', label: { en: 'Area' }, options: [{ value: 'hw', label: { en: 'Hardware' } }, { value: 'sw', label: { en: 'Software' } }] },
        { name: 'part', type: 'picklist', label: { en: 'Part' }, options: [{ value: 'disk', label: { en: 'Disk' } }, { value: 'app', label: { en: 'App' } }], dependsOn: { field: 'area', values: { hw: ['disk'], sw: ['app'] } } },
      ],
    };
    const b: MetadataBundle = { objects: [def] };
    const ticket = compileBundle('t', 1, b, assignSlots(b, null, null).storage).object('ticket');
    const tSchema = ticket.schemaFor() as unknown as RecordSchema;
    const user = { id: '01J00000000000000000000000', roles: ['admin'] };
    const cases: Array<[Record<string, unknown> | null, Record<string, unknown>]> = [
      [null, { subject: 'a', status: 'open' }],
      [null, { subject: 'a', status: 'closed' }],
      [null, { subject: 'a', status: 'open', resolution: 'x' }],
      [null, { subject: 'a', area: 'hw', part: 'app' }],
      [{ subject: 'a', status: 'closed', title: 't', resolution: 'r' }, { subject: 'a', status: 'closed', title: 'changed', resolution: 'r' }],
      [{ subject: 'a', status: 'closed', title: 't', resolution: 'r' }, { subject: 'a', status: 'open', title: 't' }],
      [{ subject: 'a', area: 'hw', part: 'disk' }, { subject: 'a', area: 'sw', part: 'disk' }],
    ];
    for (const [before, values] of cases) {
      const states = await fieldStates(tSchema, before, values, user);
      const client = logicProblems(tSchema, states, before, values).map((p) => [p.pointer, p.code, p.message]);
      let server: unknown[] = [];
      try {
        await assertFieldLogic(ticket, before, values, { user, now: new Date(), event: before ? 'updated' : 'created' });
      } catch (error) {
        if (!isEngineError(error)) throw error;
        server = error.details.map((p) => [p.path, p.code, p.message]);
      }
      expect(client, JSON.stringify([before, values])).toEqual(server);
    }
    const closed = await fieldStates(tSchema, null, { status: 'closed' }, user);
    expect([...closed.required]).toEqual(['resolution']);
    expect((await fieldStates(tSchema, null, { status: 'open' }, user)).hidden.has('resolution')).toBe(true);
  });

  it('lays a form out by the schema’s layout, with fields it leaves out after it', () => {
    const layout = { name: 'main', label: { en: 'Main' }, sections: [{ label: { en: 'Deal' }, columns: [['name', 'stage'], ['amount']] }] };
    const sections = formSections({ ...schema, 'x-layout': layout }, ['name', 'stage', 'amount', 'close_date']);
    expect(sections).toEqual([{ label: { en: 'Deal' }, columns: [['name', 'stage'], ['amount']] }, { label: null, columns: [['close_date']], grid: true }]);
    expect(formSections(schema, ['name', 'ghost'])).toEqual([{ label: null, columns: [['name']], grid: true }]);
  });
});

describe('staff app: capabilities and display', () => {
  it('reads what the caller may do per object from their OpenAPI document', () => {
    const caps = capabilitiesFrom({
      paths: { '/api/objects/lead/records': { get: {}, post: {} }, '/api/objects/lead/records/{id}': { get: {}, patch: {} }, '/api/objects/account/records': { get: {} }, '/api/objects/account/export': { get: {} } },
      components: { schemas: { 'lead.patch': { properties: { status: {}, company: {} } } } },
    });
    expect(caps.get('lead')).toMatchObject({ create: true, update: true, delete: false, export: false });
    expect([...caps.get('lead')!.editable]).toEqual(['status', 'company']);
    expect(caps.get('account')).toMatchObject({ create: false, update: false, export: true });
  });

  it('formats values by type in the chosen language', () => {
    const opp = objects.find((o) => o.name === 'opportunity')!;
    const f = (name: string) => opp.fields.find((x) => x.name === name);
    expect(formatValue(f('amount'), 8600000, 'en')).toBe('CNY 8,600,000.00');
    expect(formatValue(f('probability'), 12.5, 'zh-CN')).toBe('12.5%');
    expect(formatValue(f('stage'), 'won', 'zh-CN')).not.toBe('won');
    expect(formatValue(f('account'), '01J00000000000000000000000', 'en', (kind, id) => (kind === 'account' ? `Acme ${id.slice(0, 3)}` : undefined))).toBe('Acme 01J');
    expect(formatValue(f('next_step'), undefined, 'en')).toBe('');
    expect(recordName(opp, { id: 'x', name: 'Deal' }, 'en')).toBe('Deal');
    expect(defaultColumns(opp)[0]).toBe('name');
    expect(defaultColumns(opp).at(-1)).toBe('owner');
  });
});

describe('staff app: every label exists in both languages', () => {
  it('has an English and a Chinese text for each key the staff app uses', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { staffEn } = await import('../../admin-ui/src/staff/locales/en');
    const { staffZhCN } = await import('../../admin-ui/src/staff/locales/zhCN');
    const root = join(import.meta.dirname, '../../admin-ui/src/staff');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : /\.tsx?$/.test(f) ? [join(dir, f)] : []));
    const has = (messages: object, key: string) => {
      const parts = key.split('.');
      const last = parts.pop()!;
      const parent = parts.reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], messages) as Record<string, unknown> | undefined;
      return Boolean(parent && (typeof parent[last] === 'string' || typeof parent[`${last}_other`] === 'string'));
    };
    const keys = new Set<string>();
    for (const f of files(root)) for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z.]+)'/g)) keys.add(m[1]!);
    expect(keys.size).toBeGreaterThan(80);
    for (const key of keys) {
      expect(has(staffEn, key), `en: ${key}`).toBe(true);
      expect(has(staffZhCN, key), `zh-CN: ${key}`).toBe(true);
    }
    for (const op of ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'isBlank']) expect(has(staffZhCN, `ops.${op}`)).toBe(true);
  });
});

describe('staff app: home, bulk actions, boards, reports and the record page', () => {
  const byName = (n: string) => objects.find((o) => o.name === n)!;

  it('finds what is assigned to the user through indexes only: one Query per open status of an (assignee, status) index', () => {
    const me = '01J00000000000000000000000';
    const queries = assignedQueries(objects, me);
    const tasks = queries.filter((q) => q.object === 'activity');
    expect(tasks.map((q) => q.filters.find((f) => f.field === 'status')?.value)).toEqual(['open', 'in_progress']);
    expect(queries.find((q) => q.object === 'service_request')).toMatchObject({ field: 'assignee', filters: [{ field: 'assignee', op: 'eq', value: me }], sort: 'status' });
    for (const q of queries) {
      const object = compiled.object(q.object);
      const plan = planList(object, parseListRequest(object, { ...Object.fromEntries(q.filters.map((f) => [`filter[${f.field}][${f.op}]`, f.value])), ...(q.sort ? { sort: q.sort } : {}) }), null);
      expect(plan.servedBy, `${q.object}.${q.field}`).toMatch(/^index:/);
    }
    expect(['completed', 'Cancelled', 'won', 'closed'].every(isClosedValue)).toBe(true);
    expect(['open', 'in_progress', 'proposal'].some(isClosedValue)).toBe(false);
  });

  it('sends bulk changes as batches of at most 200 versioned updates and reads each item’s result', () => {
    const records = Array.from({ length: 450 }, (_, i) => ({ id: `r${i}`, version: i + 1 }));
    expect(chunk(records).map((c) => c.length)).toEqual([200, 200, 50]);
    expect(updateItems(records.slice(0, 1), { owner: 'u' })).toEqual([{ op: 'update', ref: 'r0', id: 'r0', version: 1, values: { owner: 'u' } }]);
    expect(outcomeOf({ index: 0, op: 'update', status: 422, problem: { code: 'validation.failed', title: 'The record is not valid', errors: [{ pointer: '/amount', message: 'The amount cannot be negative' }] } }, 'r0')).toEqual({ id: 'r0', ok: false, status: 422, message: 'The amount cannot be negative' });
    expect(outcomeOf({ index: 1, op: 'update', status: 412, problem: { code: 'record.versionConflict', title: 'The record was changed by someone else' } }, 'r1').message).toBe('The record was changed by someone else');
    expect(outcomeOf({ index: 2, op: 'update', status: 200, record: { id: 'r2', version: 3 } }, 'r2')).toMatchObject({ ok: true, record: { id: 'r2' } });
  });

  it('boards an object by its stage or status, and a refused drop asks for the fields the refusal names', () => {
    expect(boardField(byName('opportunity'))?.name).toBe('stage');
    expect(boardField(byName('service_request'))?.name).toBe('status');
    expect(boardField(byName('contact'))).toBeNull();
    const problems = [{ pointer: '/loss_reason', code: 'rule' }, { pointer: '/stage', code: 'enum' }, { pointer: '/number', code: 'readOnly' }, { pointer: '', code: 'x' }];
    expect(refusalFields(problems, byName('opportunity'), 'stage')).toEqual(['loss_reason']);
  });

  it('charts a funnel by stage and the open pipeline by owner, and a bar drills down to its records', () => {
    const charts = dashboardCharts(objects);
    expect(charts.find((c) => c.id === 'opportunity-funnel')).toMatchObject({ groupBy: 'stage', sum: 'amount', kind: 'funnel' });
    const owner = charts.find((c) => c.id === 'opportunity-owner')!;
    expect(owner.filters).toEqual([{ field: 'stage', op: 'in', value: 'qualify,needs,proposal,negotiation' }]);
    expect(decodeURIComponent(drillDown(owner, 'U1'))).toBe('/app/o/opportunity?f=stage.in.qualify,needs,proposal,negotiation&f=owner.eq.U1');
    expect(decodeURIComponent(drillDown({ object: 'lead', groupBy: 'source', filters: [] }, null))).toBe('/app/o/lead?f=source.isBlank.true');
    // Every chart is a query the aggregate API takes: its filters parse for the object.
    for (const c of charts) {
      const object = compiled.object(c.object);
      expect(() => parseListRequest(object, Object.fromEntries(c.filters.map((f) => [`filter[${f.field}][${f.op}]`, f.value])))).not.toThrow();
    }
  });

  it('lists the related records an index serves, and merges history with rule runs newest first', () => {
    const relations = relationsOf('account', objects).map((r) => r.relation);
    expect(relations).toEqual(expect.arrayContaining(['contact.account', 'opportunity.account', 'activity.account']));
    expect(relationsOf('opportunity', objects, [{ relation: 'quote', fields: ['name'] }])).toEqual([{ relation: 'quote.opportunity', object: 'quote', field: 'opportunity', columns: ['name'] }]);
    const events = timeline(
      [{ id: 'h1', at: '2026-01-01T10:00:00.000Z', by: 'u', op: 'create', version: 1, changes: { name: { old: null, new: 'A' } } }, { id: 'h2', at: '2026-01-02T10:00:00.000Z', by: 'u', op: 'update', version: 2, changes: { stage: { old: 'a', new: 'b' } } }],
      [{ id: 'r1', rule: 'assign', kind: 'assignment', trigger: 'created', at: '2026-01-01T10:00:00.000Z', outcome: 'applied', actions: [] }],
    );
    expect(events.map((e) => (e.kind === 'change' ? `change v${e.version}` : `run ${e.rule}`))).toEqual(['change v2', 'run assign', 'change v1']);
  });

  it('starts a create from each field’s default, today and now included', () => {
    const now = new Date('2026-03-04T05:06:07Z');
    const values = defaultValues([{ name: 'source', default: 'web' }, { name: 'd', default: 'today' }, { name: 't', default: 'now' }, { name: 'n' }], now);
    expect(values).toMatchObject({ source: 'web', t: '2026-03-04T05:06:07.000Z' });
    expect(values.d).toMatch(/^2026-03-0[45]$/);
    expect('n' in values).toBe(false);
  });
});

describe('staff app: workflow transitions as buttons and board drops', () => {
  it('offers the transitions that leave the record’s state; one missing only fields asks for them, others say why', () => {
    const answer = {
      workflow: 'opportunity_sales', field: 'stage', state: 'negotiation', approval: null,
      transitions: [
        { name: 'win', from: ['negotiation'], to: 'won', available: true, reasons: [] },
        { name: 'lose', from: ['qualify', 'negotiation'], to: 'lost', available: false, reasons: [{ code: 'requiredFields', message: 'fill loss_reason first', fields: ['loss_reason'] }] },
        { name: 'reopen', from: ['won', 'lost'], to: 'qualify', available: false, reasons: [{ code: 'notFromState', message: 'reopen leaves won, lost' }] },
        { name: 'escalate', from: ['negotiation'], to: 'needs', available: false, reasons: [{ code: 'guard', message: 'needs a manager', messages: { en: 'needs a manager', 'zh-CN': '需要经理' } }] },
        { name: 'auto', from: ['negotiation'], to: 'won', available: false, reasons: [{ code: 'automatic', message: 'made by automation' }] },
      ],
    };
    const offered = offeredTransitions(answer);
    expect(offered.map((t) => [t.name, t.available, t.needsFields])).toEqual([['win', true, []], ['lose', false, ['loss_reason']], ['escalate', false, []]]);
    expect(reasonText(offered[2]!, 'zh-CN')).toBe('需要经理');
  });
});
