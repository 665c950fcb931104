import type { CompiledObject } from '../compile/compileObject';
import type { Problem } from '../errors';
import { pointer } from '../errors';
import type { FieldDef, Locale } from '../metadata/types';
import { LOCALES } from '../metadata/types';
import type { ObjectAccess } from '../permissions/access';
import { servesEquality } from '../metadata/indexes';
import { RECORD_ID } from '../ids';

/*
 * How CSV columns become field values: suggestions from headers (API name, or label in
 * either language, compared normalised), the checks of a mapping, and each cell converted
 * to the field's type. A cell that does not convert is passed on as it is, so the write's own
 * validation reports it at the field, like any other bad value.
 */

export const IMPORT_MODES = ['create', 'update', 'upsert'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** A column may map to a field the caller may edit, or to `owner` (or `id` to match on). */
export const ID_COLUMN = 'id';
const OWNER = 'owner';

/** `Full name *`, `full_name`, `ＦＵＬＬ　ＮＡＭＥ` → `fullname`: width, case, spaces, punctuation and required marks do not matter. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Fields an import may write for this caller: writable by type and `edit` for them. */
export function importableFields(object: CompiledObject, access: ObjectAccess): FieldDef[] {
  return object.def.fields.filter((f) => object.fields.get(f.name)!.type.writable && access.fields.get(f.name)?.value === 'edit');
}

export interface ColumnSuggestion {
  readonly column: number;
  readonly header: string;
  readonly field: string | null;
  /** What matched: the API name, or the label in a language. */
  readonly by: 'name' | `label.${Locale}` | null;
}

/** One suggestion per column; a field is suggested once (the first column that names it). */
export function suggestMapping(object: CompiledObject, access: ObjectAccess, headers: readonly string[]): ColumnSuggestion[] {
  const candidates = new Map<string, { field: string; by: ColumnSuggestion['by'] }>();
  const offer = (text: string | undefined, field: string, by: ColumnSuggestion['by']) => {
    const key = text ? normalizeHeader(text) : '';
    if (key && !candidates.has(key)) candidates.set(key, { field, by });
  };
  const fields = importableFields(object, access);
  for (const f of fields) offer(f.name, f.name, 'name');
  for (const locale of LOCALES) for (const f of fields) offer(f.label[locale], f.name, `label.${locale}`);
  offer(ID_COLUMN, ID_COLUMN, 'name');
  offer(OWNER, OWNER, 'name');
  offer('Owner', OWNER, 'label.en');
  offer('负责人', OWNER, 'label.zh-CN');
  offer('所有者', OWNER, 'label.zh-CN');
  const used = new Set<string>();
  return headers.map((header, column) => {
    const hit = candidates.get(normalizeHeader(header));
    if (!hit || used.has(hit.field)) return { column, header, field: null, by: null };
    used.add(hit.field);
    return { column, header, field: hit.field, by: hit.by };
  });
}

export interface ImportSettings {
  /** Per column (by position), the field it fills, or null to leave it out. */
  readonly mapping: ReadonlyArray<string | null>;
  readonly mode: ImportMode;
  /** The field (or `id`) a row is matched on; required for update and upsert; with create, rows that match are skipped. */
  readonly matchOn: string | null;
  /** Before-save and after-save automation, and assignment. Validation always runs. @default true */
  readonly automation: boolean;
}

/** Every problem of a mapping at once, at pointers into the request (`/mapping/3`, `/matchOn`). */
export function settingsProblems(object: CompiledObject, access: ObjectAccess, headers: readonly string[], settings: ImportSettings): Problem[] {
  const problems: Problem[] = [];
  const allowed = new Set([...importableFields(object, access).map((f) => f.name), ID_COLUMN, OWNER]);
  if (settings.mapping.length !== headers.length) problems.push({ path: '/mapping', code: 'length', message: `the mapping has ${settings.mapping.length} entries for ${headers.length} columns`, params: { columns: headers.length } });
  const seen = new Map<string, number>();
  settings.mapping.forEach((field, i) => {
    if (field === null) return;
    if (!allowed.has(field)) problems.push({ path: pointer('mapping', i), code: 'unknownField', message: `"${field}" is not a field you may import into`, params: { field } });
    else if (seen.has(field)) problems.push({ path: pointer('mapping', i), code: 'duplicate', message: `${field} is already filled by column ${seen.get(field)}`, params: { field, column: seen.get(field) } });
    else seen.set(field, i);
  });
  if (![...seen.keys()].some((f) => f !== ID_COLUMN)) problems.push({ path: '/mapping', code: 'empty', message: 'map at least one column to a field' });
  const { matchOn, mode } = settings;
  if (matchOn === null) {
    if (mode !== 'create') problems.push({ path: '/matchOn', code: 'required', message: `${mode} needs a field to match rows on` });
  } else if (!seen.has(matchOn)) {
    problems.push({ path: '/matchOn', code: 'unmapped', message: `no column is mapped to ${matchOn}`, params: { field: matchOn } });
  } else if (matchOn === OWNER) {
    problems.push({ path: '/matchOn', code: 'notMatchable', message: 'rows cannot be matched on the owner', params: { field: matchOn } });
  } else if (matchOn !== ID_COLUMN) {
    const field = object.fields.get(matchOn)!.def;
    if (!field.unique && !servesEquality(object.def, matchOn)) problems.push({ path: '/matchOn', code: 'notIndexed', message: `${matchOn} is neither unique nor indexed, so rows cannot be matched on it`, params: { field: matchOn } });
  }
  if (seen.has(ID_COLUMN) && matchOn !== ID_COLUMN) problems.push({ path: pointer('mapping', seen.get(ID_COLUMN)!), code: 'idOnlyToMatch', message: 'the id column can only be used to match rows (matchOn: "id")' });
  if (mode === 'create' && matchOn === ID_COLUMN) problems.push({ path: '/matchOn', code: 'notMatchable', message: 'new records get new ids: match on a field, or use update or upsert' });
  return problems;
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对', 'x', '✓']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '错']);

/** `1,234.50`, `¥1,234.5`, `12.5%` → numbers; anything else stays text for validation to refuse. */
function toNumber(cell: string): unknown {
  const cleaned = cell.replace(/[\s,，_]/g, '').replace(/^[¥$€£]|%$/g, '');
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned) ? Number(cleaned) : cell;
}

/** `2026/3/7`, `2026-03-07`, `2026.3.7` → `2026-03-07`. */
function toDate(cell: string): unknown {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cell);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : cell;
}

function toOption(field: FieldDef & { options: Array<{ value: string; label: Partial<Record<Locale, string>> }> }, cell: string): string {
  const wanted = normalizeHeader(cell);
  const hit = field.options.find((o) => normalizeHeader(o.value) === wanted || LOCALES.some((l) => o.label[l] !== undefined && normalizeHeader(o.label[l]!) === wanted));
  return hit ? hit.value : cell;
}

/** One cell as the field's value. Blank cells are undefined (left out). `users` resolves an e-mail to a user id. */
export function cellValue(field: FieldDef | undefined, raw: string, users: (email: string) => string | undefined): unknown {
  const cell = raw.trim();
  if (cell === '') return undefined;
  if (!field) return cell;
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent':
      return toNumber(cell);
    case 'boolean': {
      const v = cell.toLowerCase();
      return TRUE.has(v) ? true : FALSE.has(v) ? false : cell;
    }
    case 'date':
      return toDate(cell);
    case 'picklist':
      return toOption(field, cell);
    case 'multi-picklist':
      return cell.split(/[;；]/).map((v) => v.trim()).filter(Boolean).map((v) => toOption(field, v));
    case 'user':
      return RECORD_ID.test(cell) ? cell : (users(cell.toLowerCase()) ?? cell);
    default:
      return cell;
  }
}

/** A row as the write's input: mapped columns only, blank cells left out (an update keeps what the record has). */
export function rowInput(object: CompiledObject, settings: ImportSettings, cells: readonly string[], users: (email: string) => string | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  settings.mapping.forEach((field, i) => {
    if (field === null || field === ID_COLUMN) return;
    const value = field === OWNER ? cellValue({ type: 'user', name: 'owner', label: {} } as FieldDef, cells[i] ?? '', users) : cellValue(object.fields.get(field)?.def, cells[i] ?? '', users);
    if (value !== undefined) input[field] = value;
  });
  return input;
}
