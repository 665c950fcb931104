import type { Problem } from '../errors';
import { pointer } from '../errors';
import { servesEquality } from './indexes';
import { MAX_MASTERS, MAX_MASTER_DEPTH, RECORD_TYPE_FIELD, isMasterDetail, masterDetailFields, primaryMaster } from './relationships';
import type { MetadataBundle, ObjectDef } from './types';

/*
 * Meaning checks of master-detail lookups, junctions, record types and layouts, each problem
 * at a JSON Pointer into the bundle (`path` is the object's pointer).
 */

export function relationshipProblems(object: ObjectDef, bundle: MetadataBundle, path: string): Problem[] {
  return [...masterDetailProblems(object, bundle, path), ...junctionProblems(object, path), ...recordTypeProblems(object, path), ...layoutProblems(object, bundle, path)];
}

function masterDetailProblems(object: ObjectDef, bundle: MetadataBundle, path: string): Problem[] {
  const problems: Problem[] = [];
  object.fields.forEach((f, i) => {
    if (!isMasterDetail(f)) return;
    const at = `${path}/fields/${i}`;
    if (!f.required) problems.push({ path: `${at}/required`, code: 'masterDetailRequired', message: 'a master-detail lookup is required: a detail record cannot exist without its master' });
    if (f.onDelete !== undefined && f.onDelete !== 'cascade') problems.push({ path: `${at}/onDelete`, code: 'masterDetailCascades', message: 'deleting a master deletes its details: onDelete is cascade (or left out)' });
    if (f.target === object.name) problems.push({ path: `${at}/target`, code: 'selfMaster', message: 'an object cannot be its own master' });
    // Deleting the master and following its owner find the details by Query.
    if (!servesEquality(object, f.name)) problems.push({ path: `${at}/relationship`, code: 'needsIndex', message: `index ${object.name}.${f.name} (mark it indexed) so the master's details can be found`, params: { field: f.name } });
  });
  if (masterDetailFields(object).length > MAX_MASTERS) {
    problems.push({ path: `${path}/fields`, code: 'tooManyMasters', message: `an object has at most ${MAX_MASTERS} master-detail lookups`, params: { max: MAX_MASTERS } });
  }
  // Owners cascade down primary-master chains: no circles, bounded depth.
  const seen = [object.name];
  let current: ObjectDef | undefined = object;
  while (current) {
    const master = primaryMaster(current);
    if (!master) break;
    if (seen.includes(master.target)) {
      if (master.target === object.name && seen.length > 1) problems.push({ path: `${path}/fields/${object.fields.indexOf(primaryMaster(object)!)}/target`, code: 'masterCycle', message: `master-detail lookups form a circle: ${[...seen, master.target].join(' → ')}` });
      break;
    }
    seen.push(master.target);
    if (seen.length > MAX_MASTER_DEPTH + 1) {
      problems.push({ path: `${path}/fields/${object.fields.indexOf(primaryMaster(object)!)}/target`, code: 'masterTooDeep', message: `master-detail chains are at most ${MAX_MASTER_DEPTH} levels deep`, params: { max: MAX_MASTER_DEPTH } });
      break;
    }
    current = bundle.objects.find((o) => o.name === master.target);
  }
  return problems;
}

function junctionProblems(object: ObjectDef, path: string): Problem[] {
  if (!object.junction) return [];
  const problems: Problem[] = [];
  const [a, b] = object.junction.between;
  object.junction.between.forEach((name, k) => {
    const field = object.fields.find((f) => f.name === name);
    if (!field || !isMasterDetail(field)) problems.push({ path: `${path}/junction/between/${k}`, code: 'notMasterDetail', message: `"${name}" is not a master-detail lookup of ${object.name}`, params: { field: name } });
  });
  if (a === b) problems.push({ path: `${path}/junction/between/1`, code: 'duplicate', message: 'a junction joins two different lookups' });
  return problems;
}

function recordTypeProblems(object: ObjectDef, path: string): Problem[] {
  const types = object.recordTypes ?? [];
  if (types.length === 0) return [];
  const problems: Problem[] = [];
  const fields = new Map(object.fields.map((f) => [f.name, f] as const));
  const layouts = new Set((object.layouts ?? []).map((l) => l.name));
  const reserved = object.fields.findIndex((f) => f.name === RECORD_TYPE_FIELD);
  if (reserved >= 0) problems.push({ path: `${path}/fields/${reserved}/name`, code: 'reserved', message: `"${RECORD_TYPE_FIELD}" holds the record type on objects with record types`, params: { name: RECORD_TYPE_FIELD } });
  const seen = new Set<string>();
  types.forEach((type, i) => {
    const at = `${path}/recordTypes/${i}`;
    if (seen.has(type.name)) problems.push({ path: `${at}/name`, code: 'duplicate', message: `record type "${type.name}" is already used`, params: { name: type.name } });
    seen.add(type.name);
    if (type.default && types.findIndex((t) => t.default) !== i) problems.push({ path: `${at}/default`, code: 'duplicateDefault', message: 'only one record type is the default' });
    if (type.default && type.active === false) problems.push({ path: `${at}/active`, code: 'inactiveDefault', message: 'the default record type must be active' });
    if (type.layout !== undefined && !layouts.has(type.layout)) problems.push({ path: `${at}/layout`, code: 'unknownLayout', message: `"${type.layout}" is not a layout of ${object.name}`, params: { layout: type.layout } });
    for (const [name, values] of Object.entries(type.picklistValues ?? {})) {
      const fieldAt = `${at}/picklistValues${pointer(name)}`;
      const field = fields.get(name);
      if (!field) {
        problems.push({ path: fieldAt, code: 'unknownField', message: `"${name}" is not a field of ${object.name}`, params: { field: name } });
        continue;
      }
      if (field.type !== 'picklist' && field.type !== 'multi-picklist') {
        problems.push({ path: fieldAt, code: 'notAPicklist', message: `${name} is a ${field.type} field, not a picklist`, params: { field: name } });
        continue;
      }
      const options = new Set(field.options.map((o) => o.value));
      values.forEach((v, k) => {
        if (!options.has(v)) problems.push({ path: `${fieldAt}/${k}`, code: 'unknownOption', message: `"${v}" is not an option of ${name}`, params: { field: name, value: v } });
      });
    }
  });
  return problems;
}

function layoutProblems(object: ObjectDef, bundle: MetadataBundle, path: string): Problem[] {
  const problems: Problem[] = [];
  const fields = new Set([...object.fields.map((f) => f.name), ...((object.recordTypes ?? []).length ? [RECORD_TYPE_FIELD] : [])]);
  const names = new Set<string>();
  (object.layouts ?? []).forEach((layout, i) => {
    const at = `${path}/layouts/${i}`;
    if (names.has(layout.name)) problems.push({ path: `${at}/name`, code: 'duplicate', message: `layout "${layout.name}" is already used`, params: { name: layout.name } });
    names.add(layout.name);
    const placed = new Set<string>();
    layout.sections.forEach((section, s) =>
      section.columns.forEach((column, c) =>
        column.forEach((name, k) => {
          const fieldAt = `${at}/sections/${s}/columns/${c}/${k}`;
          if (!fields.has(name)) problems.push({ path: fieldAt, code: 'unknownField', message: `"${name}" is not a field of ${object.name}`, params: { field: name } });
          else if (placed.has(name)) problems.push({ path: fieldAt, code: 'duplicate', message: `${name} is already on this layout`, params: { field: name } });
          placed.add(name);
        }),
      ),
    );
    (layout.relatedLists ?? []).forEach((list, r) => {
      const listAt = `${at}/relatedLists/${r}`;
      const related = relatedObject(object, bundle, list.relation);
      if (!related) {
        problems.push({ path: `${listAt}/relation`, code: 'unknownRelation', message: `"${list.relation}" is not an object looking up to ${object.name} (name the lookup as <object>.<field> when there are several)`, params: { relation: list.relation } });
        return;
      }
      (list.fields ?? []).forEach((name, k) => {
        if (!related.fields.some((f) => f.name === name)) problems.push({ path: `${listAt}/fields/${k}`, code: 'unknownField', message: `"${name}" is not a field of ${related.name}`, params: { field: name } });
      });
    });
  });
  return problems;
}

/** The object a related list `relation` shows: `<child>` with exactly one lookup to `parent`, or `<child>.<lookup>`. */
export function relatedObject(parent: ObjectDef, bundle: MetadataBundle, relation: string): ObjectDef | null {
  const [childName, fieldName] = relation.split('.', 2) as [string, string | undefined];
  const child = bundle.objects.find((o) => o.name === childName);
  if (!child) return null;
  const lookups = child.fields.filter((f) => f.type === 'lookup' && f.target === parent.name && (fieldName === undefined || f.name === fieldName));
  return lookups.length === 1 ? child : null;
}
