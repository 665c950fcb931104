/**
 * Pure helpers of the lead conversion editor: which fields each part of a conversion may
 * name (a picklist status, a date stamp, lookups between the source and its targets, mapped
 * fields whose values fit — asked of the engine's own `mappingProblem`), the fixed values a
 * target sets and the input each takes, and form values ↔ `ConversionDef`.
 */
import { mappingProblem } from '../../../functions/engine/conversions/conversionProblems';
import { fieldType } from '../../../functions/engine/fields';
import { below } from '../placedProblems';
import type { PlacedProblem } from '../placedProblems';
import type { ActionValue, ConversionDef, ConversionTargetDef, DurationDef, FieldDef, Labels, ObjectDef } from '../types';

export const TARGETS = ['account', 'contact', 'opportunity'] as const;
export type Target = (typeof TARGETS)[number];

/** Lookups of `object` that point at `target`. */
export function lookupsTo(object: ObjectDef | undefined, target: string | undefined): FieldDef[] {
  return (object?.fields ?? []).filter((f) => f.type === 'lookup' && f.target === target);
}

/** Picklists of the source that can mark it converted. */
export const statusFields = (source: ObjectDef | undefined): FieldDef[] => (source?.fields ?? []).filter((f) => f.type === 'picklist');

/** Date and datetime fields of the source that can take the time of conversion. */
export const stampFields = (source: ObjectDef | undefined): FieldDef[] => (source?.fields ?? []).filter((f) => f.type === 'date' || f.type === 'datetime');

/** Target fields a mapping may write: writable, not computed. */
export function mappableTargets(target: ObjectDef | undefined): FieldDef[] {
  return (target?.fields ?? []).filter((f) => fieldType(f).writable && f.type !== 'formula' && f.type !== 'rollup' && f.type !== 'auto-number');
}

/** Source fields whose values the target field can store, as publishing checks it. */
export function sourcesFor(source: ObjectDef | undefined, to: FieldDef | undefined): FieldDef[] {
  if (!to) return source?.fields ?? [];
  return (source?.fields ?? []).filter((from) => mappingProblem(from, to) === null);
}

/**
 * One fixed value of a target as the form holds it (`set` of `ConversionTargetDef`): a literal
 * (`value`), a field of the source (`from`), or the time of conversion plus `offset` (date and
 * datetime fields only, as publishing checks).
 */
export interface SetRow {
  field?: string;
  kind: 'value' | 'field' | 'now';
  value?: unknown;
  from?: string;
  offset?: DurationDef;
}

export interface TargetForm {
  object?: string;
  link?: string;
  accountField?: string;
  sourceField?: string;
  map: Array<{ from?: string; to?: string }>;
  set: SetRow[];
}

/** The input a literal of a field takes, chosen by the widget the field type registry names. */
export type SetInput = 'text' | 'textarea' | 'number' | 'switch' | 'select' | 'multi-select' | 'date' | 'datetime' | 'id';

const INPUT_OF_WIDGET: Readonly<Record<string, SetInput>> = {
  input: 'text', email: 'text', phone: 'text', url: 'text', textarea: 'textarea',
  number: 'number', currency: 'number', percent: 'number', switch: 'switch',
  select: 'select', 'multi-select': 'multi-select', date: 'date', datetime: 'datetime',
  // A lookup or user value is a record id typed as text: a fixed record, the same for every conversion.
  lookup: 'id', user: 'id',
};

/** The input for a literal of `field`; text for a widget this editor does not know (publishing still checks the value). */
export const setInputOf = (field: FieldDef): SetInput => INPUT_OF_WIDGET[fieldType(field).widget] ?? 'text';

/** What a new literal of `field` starts as: a switch is off, anything else empty. */
export const initialLiteral = (field: FieldDef | undefined): unknown => (field && setInputOf(field) === 'switch' ? false : undefined);

/** Whether a time of conversion can be stored in `field` (the `now` kind). */
export const takesTime = (field: FieldDef | undefined): boolean => field?.type === 'date' || field?.type === 'datetime';

/**
 * Target fields a fixed value may write: those a mapping may, less the ones the conversion
 * already writes (mapped, its account and source lookups) and those the other rows set.
 */
export function settableFields(target: ObjectDef | undefined, form: Partial<TargetForm>, row: number): FieldDef[] {
  const written = new Set([
    form.accountField, form.sourceField, ...(form.map ?? []).map((m) => m?.to),
    ...(form.set ?? []).filter((_, i) => i !== row).map((s) => s?.field),
  ].filter(Boolean));
  return mappableTargets(target).filter((f) => !written.has(f.name));
}

/**
 * Where a row shows what publishing says under `<role>/set/<field>`: problems below `value`
 * (a literal) or `field` (a source field) at the input of the row's kind, when it shows one;
 * everything else of the row (an unknown or computed field, a time in a text field) at its field select.
 */
export function setRowProblems(placed: readonly PlacedProblem[], role: Target, row: Partial<SetRow> | undefined, known: boolean): { field: PlacedProblem[]; value: PlacedProblem[] } {
  if (!row?.field) return { field: [], value: [] };
  const mine = below(placed, `${role}/set/${row.field}`);
  const shown = known && (row.kind ?? 'value') !== 'now' ? (row.kind === 'field' ? 'field' : 'value') : null;
  const atValue = (p: PlacedProblem) => shown !== null && (p.rest === shown || p.rest.startsWith(`${shown}/`));
  return { field: mine.filter((p) => !atValue(p)), value: mine.filter(atValue) };
}

const toRow = (field: string, v: ActionValue): SetRow => {
  if ('field' in v) return { field, kind: 'field', from: v.field };
  if ('now' in v) return { field, kind: 'now', ...(v.offset ? { offset: { ...v.offset } } : {}) };
  return { field, kind: 'value', value: v.value };
};

/** The entry a row makes of `set`, or null while it names no field. An offset cleared in the form drops its blank parts. */
function fromRow(row: SetRow): [string, ActionValue] | null {
  if (!row.field) return null;
  if (row.kind === 'field') return [row.field, { field: row.from ?? '' }];
  if (row.kind === 'now') {
    if (!row.offset) return [row.field, { now: true }];
    const offset = Object.fromEntries(Object.entries(row.offset).filter(([, v]) => v !== undefined && v !== null)) as DurationDef;
    return [row.field, { now: true, offset }];
  }
  // A literal not yet entered is null, which publishing refuses at this row (`set/<field>/value`).
  return [row.field, { value: row.value === undefined ? null : row.value }];
}

export interface ConversionForm {
  name: string;
  label?: Labels;
  object: string;
  status: { field?: string; value?: string };
  convertedAt?: string;
  account: TargetForm;
  contact: TargetForm;
  /** Whether the conversion creates an opportunity at all. */
  withOpportunity: boolean;
  opportunity: TargetForm;
}

const targetForm = (t: ConversionTargetDef | undefined, object: string): TargetForm => ({
  object: t?.object ?? object, ...(t?.link ? { link: t.link } : {}), ...(t?.accountField ? { accountField: t.accountField } : {}),
  ...(t?.sourceField ? { sourceField: t.sourceField } : {}), map: (t?.map ?? []).map((m) => ({ ...m })),
  set: Object.entries(t?.set ?? {}).map(([field, v]) => toRow(field, v)),
});

export function toConversionForm(c: ConversionDef): ConversionForm {
  return {
    name: c.name, ...(c.label ? { label: c.label } : {}), object: c.object, status: { ...c.status }, ...(c.convertedAt ? { convertedAt: c.convertedAt } : {}),
    account: targetForm(c.account, 'account'), contact: targetForm(c.contact, 'contact'),
    withOpportunity: Boolean(c.opportunity), opportunity: targetForm(c.opportunity, 'opportunity'),
  };
}

/** A new conversion of `source` into the standard targets, its lookups picked where there is exactly one. */
export function emptyConversion(source: ObjectDef | undefined, objects: readonly ObjectDef[]): ConversionDef {
  const only = (fields: FieldDef[]) => (fields.length === 1 ? fields[0]!.name : '');
  const target = (name: Target): ConversionTargetDef => {
    const object = objects.find((o) => o.name === name);
    const accountField = name === 'account' ? '' : only(lookupsTo(object, 'account'));
    return { object: name, link: only(lookupsTo(source, name)), ...(accountField ? { accountField } : {}) };
  };
  const status = statusFields(source).find((f) => f.name === 'status') ?? statusFields(source)[0];
  return {
    name: source ? `${source.name}_conversion` : '', object: source?.name ?? '', label: {},
    status: { field: status?.name ?? '', value: status?.type === 'picklist' ? (status.options.find((o) => o.value === 'converted') ?? status.options[0])?.value ?? '' : '' },
    account: target('account'), contact: target('contact'), opportunity: target('opportunity'),
  };
}

/** The target the form describes, on top of the original (anything the form does not hold stays). */
function fromTarget(form: TargetForm, original: ConversionTargetDef | undefined, role: Target): ConversionTargetDef {
  const { accountField: _a, sourceField: _s, map: _m, set: _set, ...kept } = original ?? ({} as Partial<ConversionTargetDef>);
  const map = form.map.flatMap((m) => (m.from && m.to ? [{ from: m.from, to: m.to }] : []));
  const set = Object.fromEntries((form.set ?? []).flatMap((row) => { const entry = fromRow(row); return entry ? [entry] : []; }));
  return {
    ...kept, object: form.object ?? '', link: form.link ?? '',
    ...(form.accountField && role !== 'account' ? { accountField: form.accountField } : {}),
    ...(form.sourceField ? { sourceField: form.sourceField } : {}),
    ...(map.length || original?.map ? { map } : {}),
    ...(Object.keys(set).length || original?.set ? { set } : {}),
  };
}

export function fromConversionForm(form: ConversionForm, original?: ConversionDef): ConversionDef {
  const { label: _l, convertedAt: _c, opportunity: _o, ...kept } = original ?? ({} as Partial<ConversionDef>);
  const label = form.label && Object.values(form.label).some(Boolean) ? form.label : undefined;
  return {
    ...kept,
    name: form.name, object: form.object, ...(label ? { label } : {}),
    status: { field: form.status.field ?? '', value: form.status.value ?? '' },
    ...(form.convertedAt ? { convertedAt: form.convertedAt } : {}),
    account: fromTarget(form.account, original?.account, 'account'),
    contact: fromTarget(form.contact, original?.contact, 'contact'),
    ...(form.withOpportunity ? { opportunity: fromTarget(form.opportunity, original?.opportunity, 'opportunity') } : {}),
  };
}
