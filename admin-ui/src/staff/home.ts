/** What the home page asks for: the queries that find records assigned to the user, through indexes only. */
import type { FieldDef, ObjectDef } from '../types';
import type { ViewFilter } from './listQuery';
import { indexesOf } from './listQuery';

/** Option values that end the work on a record (a task done, a request closed, a deal decided). */
const CLOSED = /^(complete|completed|cancel|cancelled|canceled|closed|resolved|done|won|lost|rejected|inactive|archived|expired|terminated|unqualified|converted|declined|finished)$/;

export const isClosedValue = (value: string): boolean => CLOSED.test(value.toLowerCase());

export interface AssignedQuery {
  readonly object: string;
  /** The user field that names the assignee. */
  readonly field: string;
  readonly filters: ViewFilter[];
  readonly sort: string | null;
}

/**
 * One Query per (object, user field, open status) through an index whose first equality
 * field is a user field: `activity` by (assigned_to, status) sorted by due date gives a
 * query per open status; `service_request` by (assignee) sorted by status gives one.
 */
export function assignedQueries(objects: readonly ObjectDef[], userId: string): AssignedQuery[] {
  const out: AssignedQuery[] = [];
  for (const o of objects) {
    const fields = new Map(o.fields.map((f) => [f.name, f] as const));
    const seen = new Set<string>();
    for (const index of indexesOf(o)) {
      const [first, ...rest] = index.equals;
      if (!first || fields.get(first)?.type !== 'user' || seen.has(first) || rest.length > 1) continue;
      const second = rest[0] ? fields.get(rest[0]) : undefined;
      if (rest[0] && second?.type !== 'picklist') continue;
      seen.add(first);
      const base = { field: 'x', op: 'eq' as const, value: userId };
      const sort = index.sort ?? null;
      if (second && second.type === 'picklist') {
        for (const option of openOptions(second)) out.push({ object: o.name, field: first, filters: [{ ...base, field: first }, { field: second.name, op: 'eq', value: option }], sort });
      } else {
        out.push({ object: o.name, field: first, filters: [{ ...base, field: first }], sort });
      }
    }
  }
  return out;
}

function openOptions(field: Extract<FieldDef, { type: 'picklist' }>): string[] {
  return field.options.filter((o) => !o.inactive && !isClosedValue(o.value)).map((o) => o.value);
}

/** Whether a record is still open by its status-like picklists (a closed status on any of them closes it). */
export function isOpenRecord(object: Pick<ObjectDef, 'fields'>, record: Readonly<Record<string, unknown>>): boolean {
  return !object.fields.some((f) => f.type === 'picklist' && /status|stage/.test(f.name) && typeof record[f.name] === 'string' && isClosedValue(record[f.name] as string));
}
