/**
 * Pure helpers of the lead conversion editor: which fields each part of a conversion may
 * name (a picklist status, a date stamp, lookups between the source and its targets, mapped
 * fields whose values fit — asked of the engine's own `mappingProblem`), and form values ↔
 * `ConversionDef` keeping what the editor does not show (a target's `set` values).
 */
import { mappingProblem } from '../../../functions/engine/conversions/conversionProblems';
import { fieldType } from '../../../functions/engine/fields';
import type { ConversionDef, ConversionTargetDef, FieldDef, Labels, ObjectDef } from '../types';

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

export interface TargetForm {
  object?: string;
  link?: string;
  accountField?: string;
  sourceField?: string;
  map: Array<{ from?: string; to?: string }>;
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

/** The target the form describes, on top of the original (its `set` values stay). */
function fromTarget(form: TargetForm, original: ConversionTargetDef | undefined, role: Target): ConversionTargetDef {
  const { accountField: _a, sourceField: _s, map: _m, ...kept } = original ?? ({} as Partial<ConversionTargetDef>);
  const map = form.map.flatMap((m) => (m.from && m.to ? [{ from: m.from, to: m.to }] : []));
  return {
    ...kept, object: form.object ?? '', link: form.link ?? '',
    ...(form.accountField && role !== 'account' ? { accountField: form.accountField } : {}),
    ...(form.sourceField ? { sourceField: form.sourceField } : {}),
    ...(map.length || original?.map ? { map } : {}),
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
