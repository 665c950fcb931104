/**
 * Which settings each field type has, read from the meta-schema the server validates with
 * (`metadata/schema/field.schema.json`), so the settings panel cannot drift from the API:
 * a setting added to the schema appears in the console with an input of its JSON type.
 */
import fieldSchema from '../../metadata/schema/field.schema.json';
import type { FieldType } from '../../functions/engine/metadata/types';

export type { FieldType };

/** Every type the meta-schema accepts, in its order (a unit test checks it against the engine's list). */
export const FIELD_TYPES = (fieldSchema as unknown as { properties: { type: { enum: FieldType[] } } }).properties.type.enum;

/** Settings every type has; the editor shows them in its own section. */
export const COMMON_SETTINGS = ['type', 'name', 'label', 'help', 'required', 'unique', 'indexed', 'sensitive'] as const;

export type SettingKind = 'string' | 'integer' | 'number' | 'boolean' | 'options' | 'target' | 'strings' | 'enum' | 'object';

export interface Setting {
  readonly key: string;
  readonly kind: SettingKind;
  readonly minimum?: number;
  readonly maximum?: number;
  /** The allowed values of an `enum` setting. */
  readonly values?: readonly string[];
}

interface JsonSchema {
  enum?: string[];
  type?: string | string[];
  const?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
}

const branches = (fieldSchema as unknown as JsonSchema).oneOf ?? [];

function branchOf(type: FieldType): JsonSchema {
  const branch = branches.find((b) => b.properties?.type?.const === type);
  if (!branch) throw new Error(`field.schema.json has no branch for ${type}`);
  return branch;
}

function kindOf(key: string, schema: JsonSchema): SettingKind {
  if (key === 'options') return 'options';
  if (key === 'target') return 'target';
  if (schema.enum) return 'enum';
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (t === 'integer' || t === 'number' || t === 'boolean') return t;
  if (t === 'array') return 'strings';
  if (t === 'object') return 'object';
  return 'string';
}

/** The type-specific settings of a field type, in the schema's order. */
export function settingsOf(type: FieldType): Setting[] {
  const props = branchOf(type).properties ?? {};
  return Object.entries(props)
    .filter(([key]) => !(COMMON_SETTINGS as readonly string[]).includes(key))
    .map(([key, schema]) => ({
      key,
      kind: kindOf(key, schema),
      ...(schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
      ...(schema.maximum !== undefined ? { maximum: schema.maximum } : {}),
      ...(schema.enum ? { values: schema.enum } : {}),
    }));
}

/** Whether the type accepts a common setting (`unique`, `indexed` …) at all. */
export function hasSetting(type: FieldType, key: string): boolean {
  return key in (branchOf(type).properties ?? {});
}

/** Settings a type requires beyond name, type and label (`options`, `target`, `pattern` …). */
export function requiredSettings(type: FieldType): string[] {
  return (branchOf(type).required ?? []).filter((k) => !['name', 'type', 'label'].includes(k));
}

export type DraftField = { name: string; type: FieldType; label: Record<string, string | undefined> } & Record<string, unknown>;

/** A new field of a type, with what the type requires filled in so it validates as soon as it is named. */
export function newField(type: FieldType, name = ''): DraftField {
  const field: DraftField = { name, type, label: { en: '' } };
  for (const key of requiredSettings(type)) {
    if (key === 'options') field.options = [];
    else if (key === 'target') field.target = '';
    else if (key === 'pattern' && type === 'auto-number') field.pattern = 'N-{0000}';
    else field[key] = branchOf(type).properties?.[key]?.enum?.[0] ?? '';
  }
  return field;
}

/** The field as another type: keeps what both types accept, drops the rest, adds what the new one requires. */
export function changeType(field: DraftField, type: FieldType): DraftField {
  const next = newField(type, field.name);
  for (const [key, value] of Object.entries(field)) {
    if (key === 'type' || value === undefined) continue;
    // A default of one type rarely fits another (a number default on a date field).
    if (key === 'default' && field.type !== type) continue;
    if (hasSetting(type, key)) next[key] = value;
  }
  return next;
}

/** Drops empty inputs (`''`, `null`, empty labels) so the API sees only what the admin set. */
export function cleanField(field: DraftField): DraftField {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(field)) {
    if (value === undefined || value === null || value === '') continue;
    if ((key === 'label' || key === 'help') && typeof value === 'object') {
      const labels = Object.fromEntries(Object.entries(value as Record<string, string | undefined>).filter(([, v]) => v));
      if (Object.keys(labels).length || key === 'label') out[key] = labels;
      continue;
    }
    if (key === 'default' && Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as DraftField;
}

/** API names are `snake_case`: a suggestion from a label (`Site visit` → `site_visit`). */
export function apiName(label: string): string {
  const base = label.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[a-z]/.test(base) ? base : base ? `f_${base}` : '';
  return name.slice(0, 40);
}
