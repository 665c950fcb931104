import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, templatesDir } from '../../functions/api/templates/catalog';
import { reportsProblems } from '../../functions/engine/reports/reportProblems';
import type { ConversionDef, DashboardDef, FieldDef, MetadataBundle, ObjectDef, ReportDef } from '../../functions/engine/metadata/types';
import {
  dashboardsShowing, decodeFilterValue, emptyReport, encodeFilterValue, filterInput, filterOps, filterableFields, fromDashboardForm, fromReportForm,
  groupableFields, measurableFields, needsUnit, saveReport, statusExactly, toDashboardForm, toReportForm,
} from '../../admin-ui/src/reports/reportDrafts';
import {
  emptyConversion, fromConversionForm, initialLiteral, lookupsTo, mappableTargets, setInputOf, setRowProblems, settableFields, sourcesFor, toConversionForm,
} from '../../admin-ui/src/conversions/conversionDrafts';
import type { SetRow } from '../../admin-ui/src/conversions/conversionDrafts';
import { conversionsProblems } from '../../functions/engine/conversions/conversionProblems';
import { problemRoute, problemsUnder } from '../../admin-ui/src/placedProblems';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import { en } from '../../admin-ui/src/locales/en';
import { zhCN } from '../../admin-ui/src/locales/zhCN';

const core = loadTemplate(join(templatesDir(), 'crm-core')).bundle;
const objects = core.objects;
const opportunity = objects.find((o) => o.name === 'opportunity')!;
const names = (list: ReadonlyArray<{ name: string }>) => list.map((f) => f.name);

describe('reports editor: which fields a report may use', () => {
  const sample: ObjectDef = {
    name: 'deal', label: { en: 'Deal' }, nameField: 'title',
    fields: [
      { name: 'title', type: 'text', label: { en: 'Title' } },
      { name: 'stage', type: 'picklist', label: { en: 'Stage' }, options: [{ value: 'open', label: { en: 'Open' } }] },
      { name: 'tags', type: 'multi-picklist', label: { en: 'Tags' }, options: [{ value: 'a', label: { en: 'A' } }] },
      { name: 'amount', type: 'currency', label: { en: 'Amount' } },
      { name: 'share', type: 'percent', label: { en: 'Share' } },
      { name: 'closes', type: 'date', label: { en: 'Closes' } },
      { name: 'notes', type: 'textarea', label: { en: 'Notes' } },
      { name: 'won', type: 'boolean', label: { en: 'Won' } },
    ],
  };

  it('groups by the owner, picklists, booleans and text, and by dates with a unit; never multi-picklists, long text or money', () => {
    expect(names(groupableFields(sample))).toEqual(['owner', 'title', 'stage', 'closes', 'won']);
    expect(groupableFields(sample).filter((f) => f.time).map((f) => f.name)).toEqual(['closes']);
    expect([needsUnit(sample, 'closes'), needsUnit(sample, 'stage'), needsUnit(sample, 'owner')]).toEqual([true, false, false]);
    expect(groupableFields(undefined)).toEqual([]);
  });

  it('sums, averages and compares only numbers, currencies and percents', () => {
    expect(names(measurableFields(sample))).toEqual(['amount', 'share']);
  });

  it('filters with the operators the list API serves for the field, the owner by eq', () => {
    expect(filterOps(sample, 'stage')).toEqual(expect.arrayContaining(['eq', 'in']));
    expect(filterOps(sample, 'stage')).not.toContain('lt');
    expect(filterOps(sample, 'owner')).toEqual(['eq']);
    expect(filterOps(sample, 'nope')).toEqual([]);
    expect(names(filterableFields(sample))).toContain('owner');
  });

  it('gives a filter the input its value needs and reads the query string value back as typed', () => {
    expect(filterInput(sample, 'stage', 'in')).toEqual({ input: 'options', multiple: true });
    expect(filterInput(sample, 'amount', 'between')).toEqual({ input: 'number', multiple: true });
    expect(filterInput(sample, 'title', 'isBlank')).toEqual({ input: 'boolean', multiple: false });
    expect(filterInput(sample, 'owner', 'eq')).toEqual({ input: 'user', multiple: false });
    expect(decodeFilterValue('qualify,won', 'options', 'in')).toEqual(['qualify', 'won']);
    expect(decodeFilterValue('10,20.5', 'number', 'between')).toEqual([10, 20.5]);
    expect(decodeFilterValue('true', 'boolean', 'isBlank')).toBe(true);
    expect(decodeFilterValue('1000', 'number', 'gt')).toBe(1000);
    expect(encodeFilterValue([10, 20.5])).toBe('10,20.5');
    expect(encodeFilterValue(false)).toBe('false');
    expect(encodeFilterValue(undefined)).toBe('');
  });

  it('starts a new report on the first groupable field of the object (by month for a date), counted, as bars', () => {
    const fresh = emptyReport(opportunity);
    expect(fresh).toMatchObject({ object: 'opportunity', measures: [{ fn: 'count' }], chart: 'bar' });
    expect(fresh.groupings).toHaveLength(1);
    expect(emptyReport(sample).groupings).toEqual([{ field: 'title' }]);
  });
});

describe('reports editor: form values ↔ definitions', () => {
  it.each((core.reports ?? []).map((report) => ({ title: report.name, report })))('keeps the crm-core report $title as it is through the form', ({ report }) => {
    expect(fromReportForm(toReportForm(report, objects), objects, report)).toEqual(report);
  });

  it.each((core.dashboards ?? []).map((dashboard) => ({ title: dashboard.name, dashboard })))('keeps the crm-core dashboard $title as it is through the form', ({ dashboard }) => {
    expect(fromDashboardForm(toDashboardForm(dashboard), dashboard)).toEqual(dashboard);
  });

  it('keeps properties the editor does not show, drops empty rows and text, and a unit where the field takes none', () => {
    const original = { ...emptyReport(opportunity), name: 'by_stage', label: { en: 'By stage' }, description: { en: 'old' }, future: 1 } as ReportDef;
    const report = fromReportForm({
      name: 'by_stage', label: { en: 'By stage' }, description: {}, object: 'opportunity', chart: 'bar',
      groupings: [{ field: 'stage', unit: 'month' }, {}], measures: [{ fn: 'sum', field: 'amount' }, { fn: 'avg' }], filters: [{ field: 'stage', op: 'in', value: ['won', 'lost'] }, { field: 'amount' }],
    }, objects, original);
    expect(report).toEqual({
      name: 'by_stage', label: { en: 'By stage' }, object: 'opportunity', chart: 'bar', future: 1,
      groupings: [{ field: 'stage' }], measures: [{ fn: 'sum', field: 'amount' }], filters: [{ field: 'stage', op: 'in', value: 'won,lost' }],
    });
    expect(reportsProblems({ objects, reports: [report] } as MetadataBundle)).toEqual([]);
  });

  it('writes no roles for everyone and no blank tile titles', () => {
    const dashboard = fromDashboardForm({ name: 'd', label: { en: 'D' }, roles: [], tiles: [{ report: 'a', title: {} }, { report: 'b', title: { en: 'B' }, width: 'full' }] });
    expect(dashboard).toEqual({ name: 'd', label: { en: 'D' }, tiles: [{ report: 'a' }, { report: 'b', title: { en: 'B' }, width: 'full' }] });
  });

  it('renames a report in the dashboards that show it, and appends a new one', () => {
    const report = core.reports!.find((r) => r.name === 'sales_funnel')!;
    const index = core.reports!.indexOf(report);
    const renamed = saveReport(core, { ...report, name: 'funnel' }, index);
    expect(renamed.reports![index]!.name).toBe('funnel');
    expect(dashboardsShowing(renamed, 'funnel').map((d: DashboardDef) => d.name)).toEqual(['sales']);
    expect(dashboardsShowing(renamed, 'sales_funnel')).toEqual([]);
    expect(reportsProblems(renamed)).toEqual([]);
    const added = saveReport(core, { ...report, name: 'another' }, -1);
    expect(added.reports).toHaveLength(core.reports!.length + 1);
    expect(added.dashboards).toBe(core.dashboards);
  });
});

describe('reports editor: problems at their place', () => {
  it('shows a problem the API reports for a report at its input, and links reports and dashboards to their editors', () => {
    const bad = { objects, reports: [{ ...core.reports![0]!, groupings: [{ field: 'stage' }, { field: 'close_date' }], chart: 'bar' }], dashboards: [{ name: 'x', label: { en: 'X' }, tiles: [{ report: 'missing' }] }] } as MetadataBundle;
    const problems = reportsProblems(bad).map((p) => ({ pointer: p.path, code: p.code, message: p.message }));
    const placed = problemsUnder(problems, '/reports/0');
    expect(statusExactly(placed, 'groupings/1', 'groupings/1/unit')).toMatchObject({ validateStatus: 'error' });
    expect(statusExactly(placed, 'groupings/0', 'groupings/0/unit')).toEqual({});
    expect(problemsUnder(problems, '/dashboards/0').map((p) => p.rest)).toEqual(['tiles/0/report']);
    expect(problemRoute('/reports/0/groupings/1', bad)).toBe('/reports/report/sales_funnel');
    expect(problemRoute('/dashboards/0/tiles/0/report', bad)).toBe('/reports/dashboard/x');
    expect(problemRoute('/dashboards/4', bad)).toBe('/reports?kind=dashboards');
  });
});

describe('lead conversion editor', () => {
  const byName = (n: string) => objects.find((o) => o.name === n)!;
  const fits = () => true;

  it.each((core.conversions ?? []).map((conversion) => ({ title: conversion.name, conversion })))('keeps the crm-core conversion $title as it is through the form (its set values too)', ({ conversion }) => {
    expect(fromConversionForm(toConversionForm(conversion), conversion)).toEqual(conversion);
  });

  it('drops the opportunity when switched off, empty mappings and an account field on the account', () => {
    const original = core.conversions![0]!;
    const form = toConversionForm(original);
    const saved = fromConversionForm({ ...form, withOpportunity: false, account: { ...form.account, accountField: 'parent', map: [...form.account.map, { from: 'phone' }] } }, original);
    expect(saved.opportunity).toBeUndefined();
    expect(saved.account).toEqual(original.account);
  });

  it('offers lookups between the records, only fields a mapping may write, and only sources whose values fit', () => {
    expect(names(lookupsTo(byName('lead'), 'account'))).toContain('converted_account');
    expect(lookupsTo(byName('lead'), 'account').every((f) => f.type === 'lookup')).toBe(true);
    expect(mappableTargets(byName('opportunity')).some((f) => f.type === 'formula' || f.type === 'rollup' || f.type === 'auto-number')).toBe(false);
    const amount = byName('opportunity').fields.find((f) => f.name === 'amount')!;
    const fitting = sourcesFor(byName('lead'), amount);
    expect(fitting.every((f) => ['number', 'currency'].includes(f.type))).toBe(true);
  });

  it('starts a new conversion of leads that publishes as it is', () => {
    const fresh = emptyConversion(byName('lead'), objects);
    expect(fresh).toMatchObject({ object: 'lead', status: { field: 'status', value: 'converted' }, account: { object: 'account', link: 'converted_account' } });
    expect(conversionsProblems({ objects, conversions: [fresh] } as MetadataBundle, fits)).toEqual([]);
    expect(problemRoute('/conversions/0/contact/link', { conversions: [fresh] })).toBe('/reports/conversion/lead_conversion');
  });
});

describe('lead conversion editor: fixed values (set)', () => {
  const core0 = core.conversions![0]!;
  const field = (o: string, f: string) => objects.find((x) => x.name === o)!.fields.find((x) => x.name === f)!;
  /** crm-core's conversion, its opportunity given every kind of value publishing accepts. */
  const every: ConversionDef = {
    ...core0,
    account: { ...core0.account, set: { grade: { value: 'A' }, is_active: { value: true } } },
    contact: { ...core0.contact, set: {} },
    opportunity: {
      ...core0.opportunity!,
      set: {
        stage: { value: 'qualify' }, probability: { value: 10 }, amount: { value: 0 }, close_date: { now: true, offset: { days: 30, business: false } },
        actual_close_date: { now: true }, next_step: { value: '' }, competitors: { field: 'company' },
      },
    },
  };

  it('keeps every kind of set value exactly through the form, in its order, and leaves set out where there was none', () => {
    const saved = fromConversionForm(toConversionForm(every), every);
    expect(saved).toEqual(every);
    for (const role of ['account', 'contact', 'opportunity'] as const) expect(JSON.stringify(saved[role]!.set)).toBe(JSON.stringify(every[role]!.set));
    const bare = { ...core0, opportunity: { object: 'opportunity', link: 'converted_opportunity' } };
    expect(fromConversionForm(toConversionForm(bare), bare).opportunity).toEqual(bare.opportunity);
    expect(toConversionForm(every).opportunity.set.slice(0, 4)).toEqual([
      { field: 'stage', kind: 'value', value: 'qualify' }, { field: 'probability', kind: 'value', value: 10 },
      { field: 'amount', kind: 'value', value: 0 }, { field: 'close_date', kind: 'now', offset: { days: 30, business: false } },
    ]);
  });

  it('writes the rows the form holds: an added value, a removed one, a row without a field left out, a cleared offset part dropped', () => {
    const form = toConversionForm(core0);
    const rows: SetRow[] = [
      { ...form.opportunity.set[0]!, offset: { days: null as unknown as number, hours: 4 } },
      { field: 'stage', kind: 'value', value: 'needs' },
      { field: 'probability', kind: 'value' },
      { kind: 'value', value: 'orphan' },
    ];
    const saved = fromConversionForm({ ...form, contact: { ...form.contact, set: [{ field: 'department', kind: 'field', from: 'title' }] }, opportunity: { ...form.opportunity, set: rows } }, core0);
    expect(saved.opportunity!.set).toEqual({ close_date: { now: true, offset: { hours: 4 } }, stage: { value: 'needs' }, probability: { value: null } });
    expect(saved.contact.set).toEqual({ department: { field: 'title' } });
    expect(saved.account).toEqual(core0.account);
    const emptied = fromConversionForm({ ...form, opportunity: { ...form.opportunity, set: [] } }, core0);
    expect(emptied.opportunity!.set).toEqual({});
  });

  it('offers fields that are writable and not written otherwise: not mapped, not the lookups the conversion fills, not set by another row', () => {
    const form = toConversionForm(every).opportunity;
    const offered = names(settableFields(opportunity, form, 0));
    expect(offered).toContain('stage');
    expect(offered).not.toContain('probability');
    expect(offered).not.toContain('name');
    expect(offered).not.toContain('account');
    expect(offered).not.toContain('number');
    expect(offered.every((n) => mappableTargets(opportunity).some((f) => f.name === n))).toBe(true);
    expect(names(settableFields(opportunity, { map: [], set: [] }, 0))).toEqual(names(mappableTargets(opportunity)));
  });

  it.each([
    { title: 'text', field: field('opportunity', 'next_step'), input: 'text', starts: undefined },
    { title: 'long text', field: field('opportunity', 'description'), input: 'textarea', starts: undefined },
    { title: 'currency', field: field('opportunity', 'amount'), input: 'number', starts: undefined },
    { title: 'percent', field: field('opportunity', 'probability'), input: 'number', starts: undefined },
    { title: 'picklist', field: field('opportunity', 'stage'), input: 'select', starts: undefined },
    { title: 'date', field: field('opportunity', 'close_date'), input: 'date', starts: undefined },
    { title: 'lookup', field: field('opportunity', 'campaign'), input: 'id', starts: undefined },
    { title: 'boolean', field: field('contact', 'marketing_consent'), input: 'switch', starts: false },
    { title: 'user', field: { name: 'reviewer', type: 'user', label: {} } as FieldDef, input: 'id', starts: undefined },
    { title: 'multi-picklist', field: { name: 'tags', type: 'multi-picklist', label: {}, options: [] } as FieldDef, input: 'multi-select', starts: undefined },
  ])('a $title value is entered in a $input input', ({ field: f, input, starts }) => {
    expect(setInputOf(f)).toBe(input);
    expect(initialLiteral(f)).toBe(starts);
  });

  it('places what publishing says of a set value at its row: a literal that does not fit at its input, a time in a text field at the field', () => {
    expect(validateMetadata({ ...core, conversions: [fromConversionForm(toConversionForm(every), every)] })).toEqual([]);
    const bad: ConversionDef = { ...core0, opportunity: { ...core0.opportunity!, set: { ...core0.opportunity!.set, stage: { value: 'nope' }, next_step: { now: true } } } };
    const problems = validateMetadata({ ...core, conversions: [fromConversionForm(toConversionForm(bad), bad)] }).map((p) => ({ pointer: p.path, code: p.code, message: p.message }));
    const placed = problemsUnder(problems, '/conversions/0');
    expect(placed.map((p) => p.rest).sort()).toEqual(['opportunity/set/next_step', 'opportunity/set/stage/value']);
    const [, stage, nextStep] = toConversionForm(bad).opportunity.set;
    const codes = (list: ReadonlyArray<{ code: string }>) => list.map((p) => p.code);
    expect(codes(setRowProblems(placed, 'opportunity', stage, true).value)).toEqual(['invalidValue']);
    expect(setRowProblems(placed, 'opportunity', stage, true).field).toEqual([]);
    expect(codes(setRowProblems(placed, 'opportunity', nextStep, true).field)).toEqual(['type']);
    // A field the target does not have shows no value input: all its problems go to the field select
    expect(codes(setRowProblems(placed, 'opportunity', stage, false).field)).toEqual(['invalidValue']);
    expect(setRowProblems(placed, 'contact', stage, true)).toEqual({ field: [], value: [] });
  });
});

describe('reports editor: every label exists in both languages', () => {
  it('has an English and a Chinese text for each key the reports, dashboards and conversion pages use', () => {
    const root = join(import.meta.dirname, '../../admin-ui/src/pages/reports');
    const files = readdirSync(root).filter((f) => /\.tsx?$/.test(f) && statSync(join(root, f)).isFile());
    const keys = new Set<string>();
    for (const f of files) for (const m of readFileSync(join(root, f), 'utf8').matchAll(/\bt\(\s*[`']([a-zA-Z]+\.[a-zA-Z.]+)(?:\.\$\{|['`])/g)) keys.add(m[1]!);
    expect(keys.size).toBeGreaterThan(30);
    const has = (messages: object, key: string) => {
      const value = key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], messages);
      return typeof value === 'string' || (typeof value === 'object' && value !== null);
    };
    for (const key of keys) {
      expect(has(en, key), `en: ${key}`).toBe(true);
      expect(has(zhCN, key), `zh-CN: ${key}`).toBe(true);
    }
    for (const group of ['charts', 'fns', 'units', 'ops'] as const) expect(Object.keys(zhCN.reports[group])).toEqual(Object.keys(en.reports[group]));
    expect(Object.keys(zhCN.conversions.targets)).toEqual(Object.keys(en.conversions.targets));
  });
});
