import type { Problem } from '../errors';
import { pointer } from '../errors';
import { fieldType } from '../fields';
import type { ConversionDef, ConversionTargetDef, FieldDef, FieldType, MetadataBundle, ObjectDef } from '../metadata/types';
import { CONVERSION_TARGETS } from '../metadata/types';

/*
 * Semantic checks of conversions (their shape is `metadata/schema/conversion.schema.json`):
 * the objects and fields they name exist, each lookup points where the conversion writes,
 * and every mapped value can be stored in its target field — so a conversion that publishes
 * never fails at run time on a type it could have known about. Problems at JSON pointers.
 */

/** Source types a target field of each type accepts besides its own (text takes what prints as text). */
const ALSO_ACCEPTS: Partial<Record<FieldType, readonly FieldType[]>> = {
  text: ['email', 'phone', 'url', 'auto-number'],
  textarea: ['text', 'email', 'phone', 'url'],
  number: ['currency'],
  currency: ['number'],
};

/** Types a conversion cannot write: computed by the platform. */
const COMPUTED = new Set<FieldType>(['formula', 'rollup', 'auto-number']);

/** Why a value of `from` cannot be stored in `to`, or null when it can. */
export function mappingProblem(from: FieldDef, to: FieldDef): { code: string; message: string; params?: Record<string, unknown> } | null {
  if (COMPUTED.has(to.type) || !fieldType(to).writable) return { code: 'notWritable', message: `${to.name} is computed by the platform and cannot be written` };
  if (from.type !== to.type && !(ALSO_ACCEPTS[to.type] ?? []).includes(from.type)) {
    return { code: 'typeMismatch', message: `a ${from.type} value cannot be stored in a ${to.type} field`, params: { from: from.type, to: to.type } };
  }
  if ((from.type === 'picklist' || from.type === 'multi-picklist') && (to.type === 'picklist' || to.type === 'multi-picklist')) {
    const allowed = new Set(to.options.map((o) => o.value));
    const missing = from.options.map((o) => o.value).filter((v) => !allowed.has(v));
    if (missing.length) return { code: 'optionsMissing', message: `${to.name} has no option ${missing.join(', ')}`, params: { missing } };
  }
  if (from.type === 'lookup' && to.type === 'lookup' && from.target !== to.target) {
    return { code: 'typeMismatch', message: `${from.name} points at ${from.target}, ${to.name} at ${to.target}`, params: { from: from.target, to: to.target } };
  }
  return null;
}

type Fits = (field: FieldDef, value: unknown) => boolean;

export function conversionsProblems(bundle: MetadataBundle, valueFits: Fits): Problem[] {
  const problems: Problem[] = [];
  const objects = new Map(bundle.objects.map((o) => [o.name, o] as const));
  const names = new Set<string>();
  const sources = new Set<string>();
  (bundle.conversions ?? []).forEach((conversion, i) => {
    const at = (...rest: Array<string | number>) => pointer('conversions', i, ...rest);
    if (names.has(conversion.name)) problems.push({ path: at('name'), code: 'duplicate', message: `conversion "${conversion.name}" is already used`, params: { name: conversion.name } });
    names.add(conversion.name);
    const source = objects.get(conversion.object);
    if (!source) {
      problems.push({ path: at('object'), code: 'unknownObject', message: `there is no object "${conversion.object}"`, params: { object: conversion.object } });
      return;
    }
    if (sources.has(source.name)) problems.push({ path: at('object'), code: 'duplicate', message: `${source.name} already has a conversion`, params: { object: source.name } });
    sources.add(source.name);
    problems.push(...sourceProblems(conversion, source, at));
    for (const role of CONVERSION_TARGETS) {
      const def = conversion[role];
      if (def) problems.push(...targetProblems(conversion, role, def, source, objects, valueFits, (...rest) => at(role, ...rest)));
    }
  });
  return problems;
}

function sourceProblems(conversion: ConversionDef, source: ObjectDef, at: (...rest: Array<string | number>) => string): Problem[] {
  const problems: Problem[] = [];
  const status = source.fields.find((f) => f.name === conversion.status.field);
  if (!status) problems.push(unknownField(at('status', 'field'), conversion.status.field, source.name));
  else if (status.type !== 'picklist') problems.push({ path: at('status', 'field'), code: 'type', message: `the status field must be a picklist, not ${status.type}`, params: { type: status.type } });
  else if (!status.options.some((o) => o.value === conversion.status.value)) {
    problems.push({ path: at('status', 'value'), code: 'unknownOption', message: `${status.name} has no option "${conversion.status.value}"`, params: { field: status.name, value: conversion.status.value } });
  }
  if (conversion.convertedAt) {
    const stamp = source.fields.find((f) => f.name === conversion.convertedAt);
    if (!stamp) problems.push(unknownField(at('convertedAt'), conversion.convertedAt, source.name));
    else if (stamp.type !== 'datetime' && stamp.type !== 'date') problems.push({ path: at('convertedAt'), code: 'type', message: `convertedAt must be a date or datetime field, not ${stamp.type}`, params: { type: stamp.type } });
  }
  return problems;
}

function targetProblems(conversion: ConversionDef, role: string, def: ConversionTargetDef, source: ObjectDef, objects: ReadonlyMap<string, ObjectDef>, valueFits: Fits, at: (...rest: Array<string | number>) => string): Problem[] {
  const problems: Problem[] = [];
  const target = objects.get(def.object);
  if (!target) return [{ path: at('object'), code: 'unknownObject', message: `there is no object "${def.object}"`, params: { object: def.object } }];
  if (target.name === source.name) return [{ path: at('object'), code: 'selfConversion', message: `${source.name} cannot convert into itself` }];
  problems.push(...lookupProblem(source, def.link, target.name, at('link')));
  if (def.accountField) {
    if (role === 'account') problems.push({ path: at('accountField'), code: 'notApplicable', message: 'the account does not point at itself' });
    else problems.push(...lookupProblem(target, def.accountField, conversion.account.object, at('accountField')));
  }
  if (def.sourceField) problems.push(...lookupProblem(target, def.sourceField, source.name, at('sourceField')));
  const written = new Set([def.accountField, def.sourceField].filter(Boolean));
  (def.map ?? []).forEach((entry, j) => {
    const from = source.fields.find((f) => f.name === entry.from);
    const to = target.fields.find((f) => f.name === entry.to);
    if (!from) problems.push(unknownField(at('map', j, 'from'), entry.from, source.name));
    if (!to) problems.push(unknownField(at('map', j, 'to'), entry.to, target.name));
    if (to && written.has(to.name)) problems.push({ path: at('map', j, 'to'), code: 'duplicate', message: `${to.name} is already written by this conversion`, params: { field: to.name } });
    if (to) written.add(to.name);
    const problem = from && to ? mappingProblem(from, to) : null;
    if (problem) problems.push({ path: at('map', j), ...problem, params: { ...problem.params, from: entry.from, to: entry.to } });
  });
  for (const [name, value] of Object.entries(def.set ?? {})) {
    const to = target.fields.find((f) => f.name === name);
    if (!to) {
      problems.push(unknownField(at('set', name), name, target.name));
      continue;
    }
    if (!fieldType(to).writable || COMPUTED.has(to.type)) problems.push({ path: at('set', name), code: 'notWritable', message: `${name} is computed by the platform and cannot be written` });
    if ('value' in value && !valueFits(to, value.value)) problems.push({ path: at('set', name, 'value'), code: 'invalidValue', message: `the value does not fit ${to.type} field ${name}`, params: { field: name } });
    if ('field' in value) {
      const from = source.fields.find((f) => f.name === value.field);
      if (!from) problems.push(unknownField(at('set', name, 'field'), value.field, source.name));
      else {
        const problem = mappingProblem(from, to);
        if (problem) problems.push({ path: at('set', name), ...problem });
      }
    }
    if ('now' in value && to.type !== 'date' && to.type !== 'datetime') problems.push({ path: at('set', name), code: 'type', message: `a time cannot be stored in a ${to.type} field`, params: { type: to.type } });
  }
  return problems;
}

function lookupProblem(object: ObjectDef, name: string, targetObject: string, path: string): Problem[] {
  const field = object.fields.find((f) => f.name === name);
  if (!field) return [unknownField(path, name, object.name)];
  if (field.type !== 'lookup' || field.target !== targetObject) return [{ path, code: 'notLookup', message: `${object.name}.${name} must be a lookup to ${targetObject}`, params: { field: name, target: targetObject } }];
  return [];
}

const unknownField = (path: string, field: string, object: string): Problem => ({ path, code: 'unknownField', message: `"${field}" is not a field of ${object}`, params: { field, object } });

/** The conversion of an object, if it has one. */
export const conversionOf = (bundle: MetadataBundle, object: string): ConversionDef | null => (bundle.conversions ?? []).find((c) => c.object === object) ?? null;
