import bundleSchema from '../../../metadata/schema/bundle.schema.json' with { type: 'json' };
import objectSchema from '../../../metadata/schema/object.schema.json' with { type: 'json' };
import fieldSchema from '../../../metadata/schema/field.schema.json' with { type: 'json' };
import labelsSchema from '../../../metadata/schema/labels.schema.json' with { type: 'json' };
import roleSchema from '../../../metadata/schema/role.schema.json' with { type: 'json' };
import webhookSchema from '../../../metadata/schema/webhook.schema.json' with { type: 'json' };
import settingsSchema from '../../../metadata/schema/settings.schema.json' with { type: 'json' };
import ruleSchema from '../../../metadata/schema/rule.schema.json' with { type: 'json' };
import duplicateRuleSchema from '../../../metadata/schema/duplicateRule.schema.json' with { type: 'json' };
import workflowSchema from '../../../metadata/schema/workflow.schema.json' with { type: 'json' };
import conversionSchema from '../../../metadata/schema/conversion.schema.json' with { type: 'json' };
import reportSchema from '../../../metadata/schema/report.schema.json' with { type: 'json' };
import type { ValidateFunction } from 'ajv';
import { ajvProblems, createAjv } from '../ajv';
import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import { MAX_INDEX_SLOTS, implicitIndexes } from './indexes';
import type { FieldDef, MetadataBundle, ObjectDef, RoleDef, TenantSettings, WebhookDef } from './types';
import { SYSTEM_FIELDS } from './types';
import { rolesProblems } from './roleProblems';
import { fieldLogicProblems } from '../rules/fieldLogic';
import { rulesProblems } from '../rules/ruleProblems';
import { businessHoursProblems, isTimeZone } from '../rules/durations';
import { relationshipProblems } from './relationshipProblems';
import { webhookProblems } from '../webhooks/webhookProblems';
import { workflowsProblems } from '../workflows/workflowProblems';
import { duplicateRulesProblems } from '../duplicates/duplicateRuleProblems';
import { conversionsProblems } from '../conversions/conversionProblems';
import { reportsProblems } from '../reports/reportProblems';

/**
 * The meta-schema validators, compiled on first use: compiling them costs ~200 ms, which a
 * Lambda serving only records should never pay at start-up.
 */
let compiled: { ajv: ReturnType<typeof createAjv>; bundle: ValidateFunction; object: ValidateFunction; role: ValidateFunction; webhook: ValidateFunction } | undefined;
function validators() {
  if (!compiled) {
    const ajv = createAjv();
    ajv.addSchema([labelsSchema, fieldSchema, objectSchema, roleSchema, webhookSchema, settingsSchema, ruleSchema, workflowSchema, duplicateRuleSchema, conversionSchema, reportSchema, bundleSchema]);
    compiled = { ajv, bundle: ajv.getSchema(bundleSchema.$id)!, object: ajv.getSchema(objectSchema.$id)!, role: ajv.getSchema(roleSchema.$id)!, webhook: ajv.getSchema(webhookSchema.$id)! };
  }
  return compiled;
}

/** Types a record can be named by: short text a person recognises. */
const NAME_FIELD_TYPES = new Set(['text', 'auto-number', 'email', 'phone']);
/**
 * A write is one TransactWriteItems of at most 100 items: record, history, two guard items
 * per changed unique field and one check per reference. These caps keep every write inside it.
 */
export const MAX_UNIQUE_FIELDS = 20;
export const MAX_REFERENCE_FIELDS = 40;

/**
 * Validates a whole bundle and returns every problem at once, each at a JSON Pointer into
 * the bundle. Shape is checked by the meta-schemas; meaning by the checks below, for every
 * object whose own shape is sound (so one broken object does not hide another's problems).
 */
export function validateMetadata(input: unknown): Problem[] {
  const { bundle: validateBundleShape, object: validateObjectShape, role: validateRoleShape, webhook: validateWebhookShape } = validators();
  if (validateBundleShape(input)) return semanticProblems(input as MetadataBundle);
  const raw = (typeof input === 'object' && input !== null ? input : {}) as { objects?: unknown; roles?: unknown; webhooks?: unknown; settings?: unknown };
  if (!Array.isArray(raw.objects) || (raw.roles !== undefined && !Array.isArray(raw.roles))) return ajvProblems(validateBundleShape.errors);
  const problems: Problem[] = [];
  const soundObjects = soundItems(raw.objects, validateObjectShape, 'objects', problems);
  const soundRoles = soundItems((raw.roles as unknown[] | undefined) ?? [], validateRoleShape, 'roles', problems);
  const soundWebhooks = Array.isArray(raw.webhooks) ? soundItems(raw.webhooks, validateWebhookShape, 'webhooks', problems) : [];
  // Bundle-level shape problems that are not inside an item (unknown top-level keys, too many items, settings).
  problems.push(...ajvProblems(validateBundleShape.errors).filter((p) => !/^\/(objects|roles|webhooks)\/\d+/.test(p.path)));
  const settingsSound = !problems.some((p) => p.path === '/settings' || p.path.startsWith('/settings/'));
  const bundle: MetadataBundle = {
    objects: soundObjects.map(([o]) => o as ObjectDef),
    roles: soundRoles.map(([r]) => r as RoleDef),
    ...(settingsSound && raw.settings !== undefined ? { settings: raw.settings as TenantSettings } : {}),
  };
  for (const [object, i] of soundObjects) problems.push(...objectProblems(object as ObjectDef, bundle, pointer('objects', i)));
  problems.push(...duplicateNames(raw.objects.map((o) => (o as { name?: unknown })?.name), '/objects', 'object'));
  problems.push(...rolesProblems(bundle, soundRoles as Array<[RoleDef, number]>, (raw.roles as unknown[] | undefined) ?? []));
  // A webhook on an object whose own shape is broken is checked once the object is sound.
  const rawNames = new Set(raw.objects.map((o) => (o as { name?: unknown })?.name));
  const soundNames = new Set(bundle.objects.map((o) => o.name));
  problems.push(...webhookProblems(bundle, (soundWebhooks as Array<[WebhookDef, number]>).filter(([w]) => soundNames.has(w.object) || !rawNames.has(w.object))));
  return problems;
}

/** Items of one kind that pass their own meta-schema, with their positions; the others' problems go to `problems`. */
function soundItems(items: unknown[], validate: ValidateFunction, kind: string, problems: Problem[]): Array<[unknown, number]> {
  const sound: Array<[unknown, number]> = [];
  items.forEach((item, i) => {
    if (validate(item)) sound.push([item, i]);
    else problems.push(...ajvProblems(validate.errors, pointer(kind, i)));
  });
  return sound;
}

function semanticProblems(bundle: MetadataBundle): Problem[] {
  const roles = bundle.roles ?? [];
  return [
    ...duplicateNames(bundle.objects.map((o) => o.name), '/objects', 'object'),
    ...bundle.objects.flatMap((object, i) => objectProblems(object, bundle, pointer('objects', i))),
    ...rolesProblems(bundle, roles.map((r, i) => [r, i]), roles),
    ...webhookProblems(bundle),
    ...rulesProblems(bundle, valueFits),
    ...workflowsProblems(bundle, valueFits),
    ...duplicateRulesProblems(bundle),
    ...conversionsProblems(bundle, valueFits),
    ...reportsProblems(bundle),
    ...(bundle.settings?.businessHours ? businessHoursProblems(bundle.settings.businessHours, '/settings/businessHours') : []),
    ...(bundle.settings?.timeZone !== undefined && !isTimeZone(bundle.settings.timeZone) ? [{ path: '/settings/timeZone', code: 'unknownTimeZone', message: `"${bundle.settings.timeZone}" is not an IANA time zone`, params: { timeZone: bundle.settings.timeZone } }] : []),
  ];
}

/** Whether a literal fits a field, by the field type's own value schema (validators cached per schema). */
function valueFits(field: FieldDef, value: unknown): boolean {
  const { ajv } = validators();
  return ajv.validate(fieldType(field).valueSchema(field), value) as boolean;
}

function duplicateNames(names: readonly unknown[], path: string, what: string): Problem[] {
  const first = new Map<unknown, number>();
  const problems: Problem[] = [];
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    if (first.has(name)) {
      problems.push({ path: `${path}/${i}/name`, code: 'duplicate', message: `${what} name "${name}" is already used`, params: { name } });
    } else first.set(name, i);
  });
  return problems;
}

function objectProblems(object: ObjectDef, bundle: MetadataBundle, path: string): Problem[] {
  const problems: Problem[] = [...duplicateNames(object.fields.map((f) => f.name), `${path}/fields`, 'field')];
  const byName = new Map(object.fields.map((f) => [f.name, f] as const));

  object.fields.forEach((field, i) => {
    const fieldPath = `${path}/fields/${i}`;
    problems.push(...fieldProblems(field, object, bundle, fieldPath));
  });

  const named = byName.get(object.nameField);
  if (!named) {
    problems.push({ path: `${path}/nameField`, code: 'unknownField', message: `name field "${object.nameField}" is not a field of the object`, params: { field: object.nameField } });
  } else if (!NAME_FIELD_TYPES.has(named.type)) {
    problems.push({ path: `${path}/nameField`, code: 'type', message: `name field must be text, auto-number, email or phone, not ${named.type}`, params: { type: named.type } });
  }

  problems.push(...indexProblems(object, byName, path));
  problems.push(...relationshipProblems(object, bundle, path));

  const uniques = object.fields.filter((f) => f.unique).length;
  if (uniques > MAX_UNIQUE_FIELDS) {
    problems.push({ path: `${path}/fields`, code: 'tooManyUnique', message: `at most ${MAX_UNIQUE_FIELDS} unique fields per object`, params: { max: MAX_UNIQUE_FIELDS } });
  }
  const refs = object.fields.filter((f) => f.type === 'lookup' || f.type === 'user').length;
  if (refs > MAX_REFERENCE_FIELDS) {
    problems.push({ path: `${path}/fields`, code: 'tooManyReferences', message: `at most ${MAX_REFERENCE_FIELDS} lookup and user fields per object`, params: { max: MAX_REFERENCE_FIELDS } });
  }
  return problems;
}

function fieldProblems(field: FieldDef, object: ObjectDef, bundle: MetadataBundle, path: string): Problem[] {
  const def = fieldType(field);
  const problems: Problem[] = [];
  if ((SYSTEM_FIELDS as readonly string[]).includes(field.name)) {
    problems.push({ path: `${path}/name`, code: 'reserved', message: `"${field.name}" is a system field name`, params: { name: field.name } });
  }
  if (field.unique && !def.uniqueKey) {
    problems.push({ path: `${path}/unique`, code: 'notSupported', message: `${field.type} fields cannot be unique`, params: { type: field.type } });
  }
  if (field.indexed && !def.indexKey) {
    problems.push({ path: `${path}/indexed`, code: 'notSupported', message: `${field.type} fields cannot be indexed`, params: { type: field.type } });
  }
  problems.push(...(def.check?.(field, { bundle, object, path }) ?? []));
  problems.push(...fieldLogicProblems(field, object, path));
  if ('default' in field && field.default !== undefined && problems.length === 0) {
    const value = def.resolveDefault ? def.resolveDefault(field, new Date()) : field.default;
    const check = validators().ajv.compile(def.valueSchema(field));
    if (!check(value)) {
      problems.push({ path: `${path}/default`, code: 'invalidDefault', message: `default does not fit the field: ${check.errors?.[0]?.message ?? 'invalid'}`, params: { default: field.default } });
    }
  }
  return problems;
}

function indexProblems(object: ObjectDef, byName: Map<string, FieldDef>, path: string): Problem[] {
  const problems: Problem[] = [];
  const declared = object.indexes ?? [];
  const implicit = implicitIndexes(object);
  problems.push(...duplicateNames([...declared.map((x) => x.name), ...implicit.map((x) => x.name)], `${path}/indexes`, 'index'));
  declared.forEach((index, i) => {
    const at = `${path}/indexes/${i}`;
    const fields = [...index.equals.map((f, j) => [f, `${at}/equals/${j}`] as const), ...(index.sort ? [[index.sort, `${at}/sort`] as const] : [])];
    for (const [name, fieldPath] of fields) {
      const field = byName.get(name);
      if (!field) problems.push({ path: fieldPath, code: 'unknownField', message: `"${name}" is not a field of the object`, params: { field: name } });
      else if (!fieldType(field).indexKey) problems.push({ path: fieldPath, code: 'notIndexable', message: `${field.type} fields cannot be indexed`, params: { field: name, type: field.type } });
    }
    if (index.equals.length === 0 && !index.sort) {
      problems.push({ path: at, code: 'empty', message: 'an index needs equality fields, a sort field or both' });
    }
  });
  const total = declared.length + implicit.length;
  if (total > MAX_INDEX_SLOTS) {
    problems.push({ path: `${path}/indexes`, code: 'tooManyIndexes', message: `an object may have at most ${MAX_INDEX_SLOTS} indexes, counting indexed fields (has ${total})`, params: { max: MAX_INDEX_SLOTS, count: total } });
  }
  return problems;
}
