import type { CompiledObject } from '../../engine/compile/compileObject';
import type { JsonSchema } from '../../engine/fields';
import type { FieldDef } from '../../engine/metadata/types';
import { RECORD_ID_PATTERN } from '../../engine/ids';
import type { ObjectAccess } from '../../engine/permissions/access';

/*
 * An object's record as one caller may see and write it, in JSON Schema 2020-12 (what
 * OpenAPI 3.1 uses). Built from the same field-type registry as the record validators, then
 * narrowed by the caller's field access: hidden fields are absent, read-only ones are
 * `readOnly` and absent from request bodies, masked ones are the masked text.
 */

const ID = { type: 'string', pattern: RECORD_ID_PATTERN };
const INSTANT = { type: 'string', format: 'date-time' };

/** System fields every record has, in the order records show them. */
export const SYSTEM_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  id: { ...ID, readOnly: true, description: 'A ULID: sortable by creation time' },
  version: { type: 'integer', minimum: 1, readOnly: true, description: 'Send it back as If-Match to change the record' },
  owner: { ...ID, description: 'The owning user (or API key); settable by the owner or with modifyAll' },
  created_at: { ...INSTANT, readOnly: true },
  created_by: { ...ID, readOnly: true },
  updated_at: { ...INSTANT, readOnly: true },
  updated_by: { ...ID, readOnly: true },
};

/** ajv-only keywords, kept as extensions so standard tools do not trip on them. */
const AJV_KEYWORDS = ['formatMinimum', 'formatMaximum', 'formatExclusiveMinimum', 'formatExclusiveMaximum'];

function standard(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) out[AJV_KEYWORDS.includes(k) ? `x-${k}` : k] = v;
  return out;
}

/** Options a stored value may hold: inactive options too (records keep them after an option is deactivated). */
function widenEnum(schema: JsonSchema, def: FieldDef): JsonSchema {
  const options = (def as { options?: Array<{ value: string }> }).options;
  if (!Array.isArray(options)) return schema;
  const all = options.map((o) => o.value);
  if (Array.isArray(schema.enum)) return { ...schema, enum: all };
  const inner = schema.items as JsonSchema | undefined;
  if (inner && Array.isArray(inner.enum)) return { ...schema, items: { ...inner, enum: all } };
  return schema;
}

function described(def: FieldDef): JsonSchema {
  const target = (def as { target?: string }).target;
  const help = def.help?.en;
  const parts = [help, target ? `The id of a ${target} record.` : undefined, def.sensitive ? 'Sensitive: masked unless you may unmask it.' : undefined].filter(Boolean);
  return {
    title: def.label.en ?? def.label['zh-CN'] ?? def.name,
    ...(parts.length ? { description: parts.join(' ') } : {}),
    'x-labels': def.label,
    'x-field-type': def.type,
  };
}

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

export interface ObjectSchemas {
  /** A record as this caller reads it. */
  readonly record: JsonSchema;
  /** A create body, when the caller may create. */
  readonly create: JsonSchema;
  /** A patch body (every field optional; `null` clears). */
  readonly patch: JsonSchema;
}

export function objectSchemas(object: CompiledObject, access: ObjectAccess): ObjectSchemas {
  const read: Record<string, JsonSchema> = { ...SYSTEM_PROPERTIES };
  const write: Record<string, JsonSchema> = { owner: SYSTEM_PROPERTIES.owner! };
  const required: string[] = [];
  for (const def of object.def.fields) {
    const level = access.fields.get(def.name)?.value ?? 'hidden';
    if (level === 'hidden') continue;
    const compiled = object.fields.get(def.name)!;
    const value = standard(compiled.type.valueSchema(def));
    const about = described(def);
    const masked = def.sensitive === true && !access.can.unmask;
    const editable = compiled.type.writable && level === 'edit';
    read[def.name] = masked ? { type: 'string', ...about, readOnly: !editable } : { ...widenEnum(value, def), ...about, ...(editable ? {} : { readOnly: true }) };
    if (!editable) continue;
    const { readOnly: _readOnly, ...writable } = value;
    const hasDefault = (def as { default?: unknown }).default !== undefined;
    if (def.required && !hasDefault) required.push(def.name);
    write[def.name] = def.required ? { ...writable, ...about } : { ...nullable(writable), ...about };
  }
  const name = object.def.label.en ?? object.name;
  return {
    record: { type: 'object', title: name, properties: read, required: Object.keys(SYSTEM_PROPERTIES) },
    create: { type: 'object', title: `New ${name}`, properties: write, ...(required.length ? { required } : {}), additionalProperties: false },
    patch: { type: 'object', title: `${name} change`, properties: write, additionalProperties: false },
  };
}
