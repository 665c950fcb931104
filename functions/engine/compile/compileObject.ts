import type { ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import { fieldType } from '../fields';
import type { FieldTypeDef, JsonSchema } from '../fields';
import type { FieldDef, FieldType, FormulaField, LayoutDef, LookupField, MetadataBundle, ObjectDef, RecordTypeDef, RollupField } from '../metadata/types';
import { defaultRecordType, detailsOf, isMasterDetail, primaryMaster } from '../metadata/relationships';
import type { RollupTarget } from '../records/rollups';
import { checkObjectFormula } from '../fields/formula';
import type { CheckedFormula } from '../formulas/formula';
import { evaluateFormula } from '../formulas/formula';
import { allIndexes } from '../metadata/indexes';
import { compileDuplicateRules } from '../duplicates/duplicateRules';
import type { CompiledDuplicateRule } from '../duplicates/duplicateRules';
import { tenantTimeZone } from '../time/tenantDay';

export interface CompiledIndex {
  readonly name: string;
  readonly equals: readonly FieldDef[];
  readonly sort: FieldDef | null;
  /** Generic GSI slot (1-based) this index occupies. */
  readonly slot: number;
}

export interface CompiledField {
  readonly def: FieldDef;
  readonly type: FieldTypeDef<FieldType>;
}

/** An object ready to interpret: validators, defaults and index plan, built once per version. */
export interface CompiledObject {
  readonly def: ObjectDef;
  readonly name: string;
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Validates a create body (after system fields are refused and defaults applied). */
  readonly validateCreate: ValidateFunction;
  /** Validates the changed fields of a patch. */
  readonly validatePatch: ValidateFunction;
  /** The JSON Schema of a record as this object defines it, for forms and the OpenAPI document. */
  readonly recordSchema: JsonSchema;
  readonly indexes: readonly CompiledIndex[];
  readonly uniqueFields: readonly FieldDef[];
  readonly referenceFields: readonly FieldDef[];
  readonly autoNumberFields: readonly FieldDef[];
  /** Formulas stored on write, in dependency order (a formula after those it reads). */
  readonly storedFormulas: readonly CompiledFormula[];
  /** Formulas calling TODAY() or NOW(): computed on read. */
  readonly volatileFormulas: readonly CompiledFormula[];
  /** This object's roll-up fields (their values are kept beside each record). */
  readonly rollupFields: readonly RollupField[];
  /** The tenant's zone: TODAY() and `today` defaults are days in it. */
  readonly timeZone: string;
  /** Roll-ups of other objects that summarise this one: a write here updates them. */
  readonly rollupTargets: readonly RollupTarget[];
  /** Lookups of other objects (or this one) pointing here with a delete rule (master-detail ones cascade). */
  readonly referencedBy: ReadonlyArray<{ readonly child: string; readonly field: string; readonly onDelete: 'restrict' | 'clear' | 'cascade' }>;
  /** The master-detail lookup whose target's owner this object's records take, if any. */
  readonly primaryMaster: LookupField | null;
  /** Objects whose records take their owner from this object's records, through which lookup. */
  readonly details: ReadonlyArray<{ readonly object: string; readonly field: string }>;
  /** For a junction object: its two master-detail lookups (the first is the primary master). */
  readonly junction: { readonly left: LookupField; readonly right: LookupField } | null;
  readonly recordTypes: readonly RecordTypeDef[];
  /** The record type of a record that names none; null when the object has no record types. */
  readonly defaultRecordType: string | null;
  /** Parent paths (`["account", "industry"]`) that formulas computed on read need, fetched per page of records. */
  readonly parentPaths: ReadonlyArray<readonly string[]>;
  /**
   * The record schema as forms of one record type see it: picklists list only that type's
   * values, and `x-layout` carries its layout. Without a type: the default type (or all values).
   */
  schemaFor(recordType?: string): JsonSchema;
  /** The object's active duplicate rules: every write keeps their match keys. */
  readonly duplicateRules: readonly CompiledDuplicateRule[];
  readonly buildMs: number;
}

export interface CompiledFormula {
  readonly field: FormulaField;
  readonly checked: CheckedFormula;
}

/**
 * Formulas in dependency order; metadata validation has already refused circles. Formulas
 * reading parent records are computed on read like TODAY() ones (`volatile`).
 */
function orderFormulas(def: ObjectDef, bundle: MetadataBundle): CompiledFormula[] {
  const all = new Map(
    def.fields
      .filter((f): f is FormulaField => f.type === 'formula')
      .map((f) => {
        const checked = checkObjectFormula(f, def, bundle);
        return [f.name, { field: f, checked: checked.paths.size > 0 ? { ...checked, volatile: true } : checked }] as const;
      }),
  );
  const ordered: CompiledFormula[] = [];
  const placed = new Set<string>();
  const visit = (name: string, depth: number) => {
    const f = all.get(name);
    if (!f || placed.has(name) || depth > all.size) return;
    for (const dep of f.checked.fields) visit(dep, depth + 1);
    placed.add(name);
    ordered.push(f);
  };
  for (const name of all.keys()) visit(name, 0);
  // A formula reading a volatile formula is volatile too.
  const volatile = new Set<string>();
  for (const f of ordered) if (f.checked.volatile || [...f.checked.fields].some((d) => volatile.has(d))) volatile.add(f.field.name);
  return ordered.map((f) => (volatile.has(f.field.name) && !f.checked.volatile ? { ...f, checked: { ...f.checked, volatile: true } } : f));
}

/** `{type: T}` → `{type: [T, 'null']}` (and `null` joins an `enum`): the patch form of a value schema. */
function nullable(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}

export function compileObject(ajv: Ajv2020, def: ObjectDef, slots: Readonly<Record<string, number>>, bundle: MetadataBundle = { objects: [def] }): CompiledObject {
  const started = performance.now();
  const fields = new Map<string, CompiledField>(def.fields.map((f) => [f.name, { def: f, type: fieldType(f) }]));
  const writable = def.fields.filter((f) => fieldType(f).writable);

  const properties = (nullableOptional: boolean) =>
    Object.fromEntries(
      writable.map((f) => {
        const schema = { ...fieldType(f).valueSchema(f), ...titleOf(f) };
        return [f.name, nullableOptional && !f.required ? nullable(schema) : schema];
      }),
    );
  const createSchema = {
    type: 'object',
    properties: properties(true),
    required: writable.filter((f) => f.required).map((f) => f.name),
    additionalProperties: false,
  };
  const patchSchema = { type: 'object', properties: properties(true), additionalProperties: false };

  const recordSchema: JsonSchema = {
    type: 'object',
    title: def.label.en ?? def.label['zh-CN'] ?? def.name,
    properties: Object.fromEntries(
      def.fields.map((f) => [
        f.name,
        { ...fieldType(f).valueSchema(f), ...titleOf(f), 'x-widget': fieldType(f).widget, ...(f.when ? { 'x-when': f.when } : {}), ...(f.type === 'picklist' && f.dependsOn ? { 'x-dependsOn': f.dependsOn } : {}) },
      ]),
    ),
    required: writable.filter((f) => f.required).map((f) => f.name),
  };

  const formulas = orderFormulas(def, bundle);
  const parentPaths = new Map<string, string[]>();
  for (const f of formulas) for (const p of f.checked.paths) parentPaths.set(p, p.split('.'));
  const md = primaryMaster(def);
  const masters = def.fields.filter(isMasterDetail);
  const junctionFields = def.junction?.between.map((n) => masters.find((f) => f.name === n));
  const recordTypes = def.recordTypes ?? [];
  const layouts = new Map((def.layouts ?? []).map((l) => [l.name, l] as const));
  const schemaFor = (recordType?: string): JsonSchema => schemaOfType(recordSchema, recordTypes, layouts, recordType ?? defaultRecordType(def) ?? undefined);
  const indexes = allIndexes(def).map((index) => {
    const slot = slots[index.name];
    if (slot === undefined) throw new Error(`index ${def.name}.${index.name} has no slot`);
    return {
      name: index.name,
      equals: index.equals.map((name) => fields.get(name)!.def),
      sort: index.sort ? fields.get(index.sort)!.def : null,
      slot,
    };
  });

  return Object.freeze({
    def,
    name: def.name,
    fields,
    validateCreate: ajv.compile(createSchema),
    validatePatch: ajv.compile(patchSchema),
    recordSchema,
    indexes,
    uniqueFields: def.fields.filter((f) => f.unique),
    referenceFields: def.fields.filter((f) => f.type === 'lookup' || f.type === 'user'),
    autoNumberFields: def.fields.filter((f) => f.type === 'auto-number'),
    rollupFields: def.fields.filter((f): f is RollupField => f.type === 'rollup'),
    timeZone: tenantTimeZone(bundle),
    rollupTargets: bundle.objects.flatMap((o) => o.fields.filter((f): f is RollupField => f.type === 'rollup' && f.child === def.name).map((field) => ({ parent: o.name, field }))),
    referencedBy: bundle.objects.flatMap((o) =>
      o.fields.flatMap((f) => {
        if (f.type !== 'lookup' || f.target !== def.name) return [];
        const onDelete = f.relationship === 'master-detail' ? 'cascade' : f.onDelete;
        return onDelete ? [{ child: o.name, field: f.name, onDelete }] : [];
      }),
    ),
    primaryMaster: md,
    details: detailsOf(bundle, def.name),
    junction: junctionFields && junctionFields[0] && junctionFields[1] ? { left: junctionFields[0], right: junctionFields[1] } : null,
    recordTypes,
    defaultRecordType: defaultRecordType(def),
    parentPaths: [...parentPaths.values()],
    schemaFor,
    storedFormulas: formulas.filter((f) => !f.checked.volatile),
    volatileFormulas: formulas.filter((f) => f.checked.volatile),
    duplicateRules: compileDuplicateRules(bundle, def.name),
    buildMs: performance.now() - started,
  });
}

const titleOf = (f: FieldDef) => ({
  title: f.label.en ?? f.label['zh-CN'] ?? f.name,
  ...(f.help?.en ? { description: f.help.en } : {}),
});

/**
 * `values` with `formulas` computed in order (each sees the ones before it). Blank results
 * are absent, like any blank value; numbers are rounded to the formula's scale.
 */
export function withFormulas(object: CompiledObject, values: Readonly<Record<string, unknown>>, formulas: readonly CompiledFormula[], now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const { field, checked } of formulas) {
    const result = evaluateFormula(checked.ast, out, now, object.timeZone);
    if (result === null || result === '') delete out[field.name];
    else out[field.name] = object.fields.get(field.name)!.type.normalize?.(result, field) ?? result;
  }
  return out;
}

/**
 * The record schema narrowed to one record type's picklist values, with its layout (the
 * type's, else the object's first layout).
 */
function schemaOfType(base: JsonSchema, types: readonly RecordTypeDef[], layouts: ReadonlyMap<string, LayoutDef>, recordType: string | undefined): JsonSchema {
  const type = types.find((t) => t.name === recordType);
  const properties = { ...(base.properties as Record<string, JsonSchema>) };
  for (const [field, allowed] of Object.entries(type?.picklistValues ?? {})) {
    const schema = properties[field];
    if (!schema) continue;
    const keep = (values: unknown) => (Array.isArray(values) ? values.filter((v) => allowed.includes(String(v))) : values);
    properties[field] = schema.type === 'array' ? { ...schema, items: { ...(schema.items as JsonSchema), enum: keep((schema.items as JsonSchema).enum) } } : { ...schema, enum: keep(schema.enum) };
  }
  const layout = (type?.layout ? layouts.get(type.layout) : undefined) ?? [...layouts.values()][0];
  return { ...base, properties, ...(type ? { 'x-recordType': type.name } : {}), ...(layout ? { 'x-layout': layout } : {}) };
}
