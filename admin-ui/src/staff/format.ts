/** Record values as staff read them, in the console's language: option labels, money, percentages, dates. */
import type { ConsoleLanguage } from '../labels';
import { pickLabel } from '../labels';
import type { FieldDef, ObjectDef } from '../types';

export const SYSTEM_COLUMNS = ['owner', 'created_at', 'updated_at', 'created_by', 'updated_by'] as const;

const locale = (language: ConsoleLanguage) => (language === 'zh-CN' ? 'zh-CN' : 'en-GB');

/** Label of a system field (owner, created_at …) in the language. */
export function systemLabel(name: string, language: ConsoleLanguage): string {
  const zh: Record<string, string> = { owner: '负责人', created_at: '创建时间', updated_at: '更新时间', created_by: '创建人', updated_by: '更新人', id: 'ID', version: '版本' };
  const en: Record<string, string> = { owner: 'Owner', created_at: 'Created', updated_at: 'Updated', created_by: 'Created by', updated_by: 'Updated by', id: 'ID', version: 'Version' };
  return (language === 'zh-CN' ? zh : en)[name] ?? name;
}

export function fieldLabel(object: Pick<ObjectDef, 'fields'>, name: string, language: ConsoleLanguage): string {
  const f = object.fields.find((x) => x.name === name);
  return f ? pickLabel(f.label, language, name) : systemLabel(name, language);
}

export function optionLabel(field: FieldDef, value: unknown, language: ConsoleLanguage): string {
  if (field.type !== 'picklist' && field.type !== 'multi-picklist') return String(value);
  const option = field.options.find((o) => o.value === value);
  return option ? pickLabel(option.label, language, option.value) : String(value);
}

export function optionColor(field: FieldDef, value: unknown): string | undefined {
  if (field.type !== 'picklist' && field.type !== 'multi-picklist') return undefined;
  return field.options.find((o) => o.value === value)?.color;
}

/** Who or what an id names, for user and lookup fields; the id itself until it is known. */
export type NameOf = (kind: 'user' | string, id: string) => string | undefined;

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The kind of value a field shows (a formula shows its return type). */
export function displayType(field: FieldDef): string {
  return field.type === 'formula' ? field.returnType : field.type === 'rollup' ? 'number' : field.type;
}

/**
 * A value as text: `''` for blank. Numbers use the language's grouping; currency keeps two
 * decimals (the field's scale); percent adds `%`; datetimes are shown in the browser's zone.
 */
export function formatValue(field: FieldDef | undefined, value: unknown, language: ConsoleLanguage, nameOf?: NameOf): string {
  if (blank(value)) return '';
  const system = field === undefined;
  if (system) {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value, language);
    if (typeof value === 'string' && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value)) return nameOf?.('user', value) ?? value;
    return String(value);
  }
  const type = displayType(field);
  const l = locale(language);
  switch (type) {
    case 'currency': {
      const scale = 'scale' in field && typeof field.scale === 'number' ? field.scale : 2;
      const code = field.type === 'currency' ? field.currency : undefined;
      const text = new Intl.NumberFormat(l, { minimumFractionDigits: scale, maximumFractionDigits: scale }).format(Number(value));
      return code ? `${code} ${text}` : text;
    }
    case 'number':
      return new Intl.NumberFormat(l, { maximumFractionDigits: 6 }).format(Number(value));
    case 'percent':
      return `${new Intl.NumberFormat(l, { maximumFractionDigits: 4 }).format(Number(value))}%`;
    case 'date':
      return String(value);
    case 'datetime':
      return formatDateTime(String(value), language);
    case 'boolean':
      return value === true ? (language === 'zh-CN' ? '是' : 'Yes') : language === 'zh-CN' ? '否' : 'No';
    case 'picklist':
      return optionLabel(field, value, language);
    case 'multi-picklist':
      return (value as unknown[]).map((v) => optionLabel(field, v, language)).join(', ');
    case 'user':
      return nameOf?.('user', String(value)) ?? String(value);
    case 'lookup':
      return nameOf?.(field.type === 'lookup' ? field.target : '', String(value)) ?? String(value);
    default:
      return String(value);
  }
}

export function formatDateTime(iso: string, language: ConsoleLanguage): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(language), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** A record's name: its name field, else its id. */
export function recordName(object: Pick<ObjectDef, 'nameField' | 'fields'>, record: Readonly<Record<string, unknown>>, language: ConsoleLanguage): string {
  const field = object.fields.find((f) => f.name === object.nameField);
  const text = formatValue(field, record[object.nameField], language);
  return text || String(record.id ?? '');
}

/** Columns a list shows before the user chooses: the name field, then up to `count - 1` short fields, then the owner. */
export function defaultColumns(object: Pick<ObjectDef, 'nameField' | 'fields'>, count = 6): string[] {
  const short = object.fields.filter((f) => f.name !== object.nameField && !['textarea', 'multi-picklist', 'formula', 'rollup'].includes(f.type) && !f.sensitive);
  return [object.nameField, ...short.slice(0, count - 1).map((f) => f.name), 'owner'];
}
