/**
 * The tenant's OpenAPI document (GET /api/openapi.json) shaped for the API reference screen:
 * operations grouped by tag, `$ref`s resolved, schemas flattened into rows for a tree table.
 * Pure functions, unit-tested in `test/unit/openapiView.test.ts`.
 */
import type { Labels } from './labels';

export type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly tags?: ReadonlyArray<{ readonly name: string; readonly description?: string; readonly 'x-object'?: string }>;
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>>; readonly responses?: Readonly<Record<string, Schema>>; readonly parameters?: Readonly<Record<string, Schema>> };
}

export interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly description: string;
  readonly schema: Schema;
}

export interface Operation {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  readonly isPublic: boolean;
  readonly parameters: readonly Parameter[];
  readonly requestBody: { readonly required: boolean; readonly mediaType: string; readonly schema: Schema } | null;
  readonly responses: ReadonlyArray<{ readonly status: string; readonly description: string; readonly mediaType: string | null; readonly schema: Schema | null }>;
}

export interface TagGroup {
  readonly name: string;
  readonly description: string;
  /** Set for an object's own tag: its API name. */
  readonly object?: string;
  readonly operations: readonly Operation[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Follows `#/components/…` references (at most 20 deep; a longer chain is returned as it is). */
export function resolve<T extends Schema>(doc: OpenApiDocument, value: T): T {
  let current: Schema = value;
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
    const [, kind, name] = /^#\/components\/(schemas|responses|parameters)\/(.+)$/.exec(current.$ref) ?? [];
    const next = kind && name ? doc.components?.[kind as 'schemas' | 'responses' | 'parameters']?.[name] : undefined;
    if (!next) break;
    current = next;
  }
  return current as T;
}

const firstContent = (content: unknown): [string, Schema] | null => {
  const entries = Object.entries((content ?? {}) as Record<string, { schema?: Schema }>);
  return entries.length ? [entries[0]![0], entries[0]![1].schema ?? {}] : null;
};

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Record<string, any> | undefined;
      if (!op) continue;
      const body = op.requestBody ? firstContent(resolve(doc, op.requestBody).content) : null;
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId ?? ''),
        summary: String(op.summary ?? ''),
        description: String(op.description ?? ''),
        tag: String(op.tags?.[0] ?? ''),
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        parameters: ((op.parameters ?? []) as Schema[]).map((p) => {
          const r = resolve(doc, p) as Record<string, any>;
          return { name: String(r.name), in: String(r.in), required: r.required === true, description: String(r.description ?? ''), schema: (r.schema ?? {}) as Schema };
        }),
        requestBody: body ? { required: op.requestBody.required === true, mediaType: body[0], schema: body[1] } : null,
        responses: Object.entries((op.responses ?? {}) as Record<string, Schema>).map(([status, raw]) => {
          const r = resolve(doc, raw) as Record<string, any>;
          const content = firstContent(r.content);
          return { status, description: String(r.description ?? ''), mediaType: content?.[0] ?? null, schema: content?.[1] ?? null };
        }),
      });
    }
  }
  return out;
}

/** Tags in the document's order (the shared ones, then one per object); tags without operations are left out. */
export function groupByTag(doc: OpenApiDocument, operations: readonly Operation[] = operationsOf(doc)): TagGroup[] {
  const byTag = new Map<string, Operation[]>();
  for (const op of operations) byTag.set(op.tag, [...(byTag.get(op.tag) ?? []), op]);
  const declared = doc.tags ?? [];
  const groups: TagGroup[] = declared.filter((t) => byTag.has(t.name)).map((t) => ({ name: t.name, description: t.description ?? t.name, ...(t['x-object'] ? { object: t['x-object'] } : {}), operations: byTag.get(t.name)! }));
  for (const [name, ops] of byTag) if (!declared.some((t) => t.name === name)) groups.push({ name, description: name, operations: ops });
  return groups;
}

/** Operations whose method, path, summary or operation id contain every word of `query` (case-insensitive). */
export function filterOperations(operations: readonly Operation[], query: string): Operation[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...operations];
  return operations.filter((op) => {
    const text = `${op.method} ${op.path} ${op.summary} ${op.operationId}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export interface SchemaRow {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly readOnly: boolean;
  readonly description: string;
  readonly labels?: Labels;
  /** Allowed values, formats, patterns and limits, in words. */
  readonly constraints: readonly string[];
  readonly children?: SchemaRow[];
}

const CONSTRAINTS: ReadonlyArray<[string, (v: unknown) => string]> = [
  ['format', (v) => `format: ${String(v)}`],
  ['pattern', (v) => `pattern: ${String(v)}`],
  ['minimum', (v) => `≥ ${String(v)}`],
  ['maximum', (v) => `≤ ${String(v)}`],
  ['minLength', (v) => `length ≥ ${String(v)}`],
  ['maxLength', (v) => `length ≤ ${String(v)}`],
  ['minItems', (v) => `items ≥ ${String(v)}`],
  ['maxItems', (v) => `items ≤ ${String(v)}`],
  ['default', (v) => `default: ${JSON.stringify(v)}`],
  ['const', (v) => `= ${JSON.stringify(v)}`],
];

/** A schema's type in a few words: `string`, `integer | null`, `array of account.record`, `one of Create, Update`. */
export function typeOf(doc: OpenApiDocument, schema: Schema): string {
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (variants) return variants.map((v) => (v.type === 'null' ? 'null' : typeof v.title === 'string' ? v.title : typeOf(doc, v))).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : schema.const !== undefined ? 'const' : 'any';
  if (type === 'array' && schema.items) return `array of ${typeOf(doc, schema.items as Schema)}`;
  return type;
}

const MAX_DEPTH = 4;

/** A schema as rows for a tree table: one per property, nested objects and arrays of objects as children. */
export function schemaRows(doc: OpenApiDocument, schema: Schema, prefix = '', depth = 0): SchemaRow[] {
  const resolved = resolve(doc, schema);
  const variants = (resolved.oneOf ?? resolved.anyOf) as Schema[] | undefined;
  if (variants) {
    const objects = variants.filter((v) => v.type !== 'null');
    if (objects.length === 1) return schemaRows(doc, objects[0]!, prefix, depth);
    return objects.map((v, i) => row(doc, `${prefix}${i}`, String(resolve(doc, v).title ?? `#${i + 1}`), v, false, depth));
  }
  if (resolved.type === 'array' && resolved.items) return schemaRows(doc, resolved.items as Schema, prefix, depth);
  const properties = (resolved.properties ?? {}) as Record<string, Schema>;
  const required = new Set((resolved.required ?? []) as string[]);
  return Object.entries(properties).map(([name, p]) => row(doc, `${prefix}${name}`, name, p, required.has(name), depth));
}

function row(doc: OpenApiDocument, key: string, name: string, schema: Schema, required: boolean, depth: number): SchemaRow {
  const resolved = resolve(doc, schema);
  const variants = ((resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined)?.filter((v) => v.type !== 'null');
  const inner = variants?.length === 1 ? { ...resolved, ...resolve(doc, variants[0]!) } : resolved;
  const values = (inner.enum ?? (inner.items as Schema | undefined)?.enum) as unknown[] | undefined;
  const constraints = [...(values ? [`one of: ${values.filter((v) => v !== null).join(', ')}`] : []), ...CONSTRAINTS.filter(([k]) => inner[k] !== undefined).map(([k, f]) => f(inner[k]))];
  const nested = depth < MAX_DEPTH && (inner.type === 'object' || (inner.type === 'array' && (resolve(doc, (inner.items ?? {}) as Schema).type === 'object')) || (resolved.oneOf !== undefined && (variants?.length ?? 0) > 1));
  const children = nested ? schemaRows(doc, resolved, `${key}.`, depth + 1) : [];
  return {
    key,
    name,
    type: typeOf(doc, schema),
    required,
    readOnly: inner.readOnly === true,
    description: String(inner.description ?? inner.title ?? ''),
    ...(inner['x-labels'] ? { labels: inner['x-labels'] as Labels } : {}),
    constraints,
    ...(children.length ? { children } : {}),
  };
}

/** A filename-safe download of the document. */
export const documentFileName = (doc: OpenApiDocument) => `openapi-${doc.info.version.replace(/[^a-z0-9.-]/gi, '-')}.json`;
