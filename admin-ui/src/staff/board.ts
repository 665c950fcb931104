/** Kanban boards: which field a board's columns are, and what a drop means. */
import type { FieldDef, ObjectDef } from '../types';

type Picklist = Extract<FieldDef, { type: 'picklist' }>;

/**
 * The field whose values are a board's columns: the picklist a workflow runs on when the
 * metadata names one, else the object's stage or status picklist. Null: the object has no board.
 */
export function boardField(object: Pick<ObjectDef, 'fields'> & { workflow?: { field?: string } }, workflowField?: string | null): Picklist | null {
  const picklists = object.fields.filter((f): f is Picklist => f.type === 'picklist');
  const named = workflowField ?? object.workflow?.field;
  return picklists.find((f) => f.name === named) ?? picklists.find((f) => f.name === 'stage') ?? picklists.find((f) => f.name === 'status') ?? null;
}

/** The columns, in option order, active options only (an inactive one shows while records hold it). */
export function boardColumns(field: Picklist, present: ReadonlySet<string>): string[] {
  return field.options.filter((o) => !o.inactive || present.has(o.value)).map((o) => o.value);
}

const COMPUTED = new Set(['formula', 'rollup', 'auto-number']);

/**
 * The fields a refused move asks for: problems at a field the user can fill (a lost deal's
 * reason, a resolution before closing), not the board's own field and not computed ones.
 */
export function refusalFields(problems: ReadonlyArray<{ pointer: string; code: string }>, object: Pick<ObjectDef, 'fields'>, boardFieldName: string): string[] {
  const out: string[] = [];
  for (const p of problems) {
    const name = p.pointer.replace(/^\//, '').split('/')[0] ?? '';
    const f = object.fields.find((x) => x.name === name);
    if (f && name !== boardFieldName && !COMPUTED.has(f.type) && p.code !== 'readOnly' && !out.includes(name)) out.push(name);
  }
  return out;
}
