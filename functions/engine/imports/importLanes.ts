import type { CompiledObject } from '../compile/compileObject';
import { matchKeys } from '../duplicates/duplicateRules';
import type { FieldLookup } from '../duplicates/duplicateRules';
import { ID_COLUMN, rowInput } from './mapping';
import type { ImportSettings } from './mapping';

/*
 * Rows of one import batch that can be written at the same time. Rows that could meet each
 * other — the same value of a unique field, a shared duplicate-rule match key, the same
 * matching key of an update — go in one lane, written in file order, so the outcome is the
 * one a row-by-row import gives (the first row takes the unique value, a later row is warned
 * about or refused for an earlier one). Different lanes share nothing a write reads first; what
 * they may share (a round-robin counter, a parent's roll-up) is updated atomically by the
 * store, which retries transaction conflicts.
 */

export interface LaneRow {
  readonly row: number;
  readonly cells: readonly string[];
}

/** A row of a lane with the write's input read from its cells (`rowInput`), so the write need not read it again; null for a row that cannot be read (it fails on its own). */
export type LaneRowWithInput<T extends LaneRow> = T & { readonly input: Record<string, unknown> | null };

export function importLanes<T extends LaneRow>(object: CompiledObject, settings: ImportSettings, rows: readonly T[], users: (email: string) => string | undefined, columns: number): Array<Array<LaneRowWithInput<T>>> {
  const read = rows.map((r): LaneRowWithInput<T> => ({ ...r, input: readRow(object, settings, r.cells, users, columns) }));
  const parent = read.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  const fieldOf: FieldLookup = (name) => object.fields.get(name)?.def;
  read.forEach((r, i) => {
    for (const key of rowKeys(object, settings, r.cells, r.input, fieldOf)) {
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else parent[find(i)] = find(first);
    }
  });
  const lanes = new Map<number, Array<LaneRowWithInput<T>>>();
  read.forEach((r, i) => {
    const root = find(i);
    const lane = lanes.get(root) ?? [];
    lane.push(r);
    lanes.set(root, lane);
  });
  return [...lanes.values()];
}

function readRow(object: CompiledObject, settings: ImportSettings, cells: readonly string[], users: (email: string) => string | undefined, columns: number): Record<string, unknown> | null {
  if (cells.length !== columns) return null;
  try {
    return rowInput(object, settings, cells, users);
  } catch {
    return null;
  }
}

function rowKeys(object: CompiledObject, settings: ImportSettings, cells: readonly string[], values: Record<string, unknown> | null, fieldOf: FieldLookup): string[] {
  if (values === null) return [];
  const keys: string[] = [];
  if (settings.matchOn !== null) {
    const column = settings.mapping.indexOf(settings.matchOn);
    const value = settings.matchOn === ID_COLUMN ? cells[column]?.trim() : values[settings.matchOn];
    if (value !== undefined && value !== null && value !== '') keys.push(`match\u0001${String(value).trim().toLowerCase()}`);
  }
  for (const def of object.uniqueFields) {
    const name = def.name;
    const field = object.fields.get(name);
    const value = values[name];
    if (!field || value === undefined || value === null || value === '') continue;
    try {
      const normalized = field.type.normalize ? field.type.normalize(value, field.def as never) : value;
      keys.push(`unique\u0001${name}\u0001${field.type.uniqueKey!(normalized, field.def as never)}`);
    } catch {
      // A value the field refuses: the row fails on its own.
    }
  }
  for (const rule of object.duplicateRules) for (const k of matchKeys(rule, fieldOf, values)) keys.push(`dup\u0001${rule.id}\u0001${k.key}`);
  return keys;
}
