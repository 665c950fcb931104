import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import type { LookupField } from '../../engine/metadata/types';
import { rollupValue } from '../../engine/records/rollups';
import type { StoredRecord } from '../../engine/records/types';
import type { Services } from '../services';

/*
 * What a read adds to stored records before they are shown: roll-up values (kept beside each
 * record) and the parent values that formulas over lookups read. Each is one BatchGetItem per
 * page (per lookup level for parents), never a read per record.
 */

/** Records with their roll-ups and the parent values their on-read formulas need. */
export async function enrichRecords(services: Services, tenant: string, bundle: CompiledBundle, object: CompiledObject, records: readonly StoredRecord[]): Promise<StoredRecord[]> {
  if (records.length === 0) return [...records];
  return withRollupValues(services, tenant, object, await withParentValues(services, tenant, bundle, object, records));
}

async function withRollupValues(services: Services, tenant: string, object: CompiledObject, records: readonly StoredRecord[]): Promise<StoredRecord[]> {
  if (object.rollupFields.length === 0) return [...records];
  const raw = await services.records.rollupItems(tenant, object.name, records.map((r) => r.id));
  return records.map((r) => {
    const counters = raw.get(r.id) ?? {};
    const values: Record<string, unknown> = { ...r.values };
    for (const field of object.rollupFields) {
      const v = rollupValue(field, counters);
      if (v === undefined) delete values[field.name];
      else values[field.name] = v;
    }
    return { ...r, values };
  });
}

/**
 * Adds each parent path a formula reads (`account.industry`, `account.parent.region`) to the
 * records' values under its dotted name. Parents are read level by level: one BatchGetItem
 * for every record's first lookup, one more for the second (formulas follow at most two).
 * Dotted names are not fields, so they are never stored or shown.
 */
export async function withParentValues(services: Services, tenant: string, bundle: CompiledBundle, object: CompiledObject, records: readonly StoredRecord[]): Promise<StoredRecord[]> {
  if (object.parentPaths.length === 0) return [...records];
  // The record (or parent) each lookup prefix leads to, per record: prefix → record id → parent.
  const reached = new Map<string, Map<string, StoredRecord>>();
  const targetOf = (prefix: readonly string[]): string | null => {
    let current: CompiledObject = object;
    for (const step of prefix) {
      const def = current.fields.get(step)?.def as LookupField | undefined;
      if (def?.type !== 'lookup' || !bundle.hasObject(def.target)) return null;
      current = bundle.object(def.target);
    }
    return current.name;
  };
  const depth = Math.max(...object.parentPaths.map((p) => p.length - 1));
  for (let level = 1; level <= depth; level++) {
    const prefixes = [...new Set(object.parentPaths.filter((p) => p.length - 1 >= level).map((p) => p.slice(0, level).join('.')))].map((p) => p.split('.'));
    const wanted: Array<{ object: string; id: string }> = [];
    const sources = new Map<string, Array<[string, string]>>();
    for (const prefix of prefixes) {
      const target = targetOf(prefix);
      if (!target) continue;
      const pairs: Array<[string, string]> = [];
      for (const r of records) {
        const from = level === 1 ? r : reached.get(prefix.slice(0, -1).join('.'))?.get(r.id);
        const id = from?.values[prefix[level - 1]!];
        if (typeof id !== 'string') continue;
        pairs.push([r.id, id]);
        wanted.push({ object: target, id });
      }
      sources.set(prefix.join('.'), pairs.map(([rid, pid]) => [rid, `${target}/${pid}`]));
    }
    const found = await services.records.getRecords(tenant, wanted);
    for (const [prefix, pairs] of sources) {
      const map = new Map<string, StoredRecord>();
      for (const [rid, key] of pairs) {
        const parent = found.get(key);
        if (parent) map.set(rid, parent);
      }
      reached.set(prefix, map);
    }
  }
  return records.map((r) => {
    const values: Record<string, unknown> = { ...r.values };
    for (const path of object.parentPaths) {
      const parent = reached.get(path.slice(0, -1).join('.'))?.get(r.id);
      const v = parent?.values[path[path.length - 1]!];
      if (v !== undefined) values[path.join('.')] = v;
    }
    return { ...r, values };
  });
}
