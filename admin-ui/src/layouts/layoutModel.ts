/**
 * Pure edits of a page layout (`LayoutDef`: sections of one to four columns of field names,
 * and related lists) for the drag-and-drop editor. Every edit returns a new layout; a field is
 * placed at most once (validation refuses a field placed twice).
 */
import type { LayoutDef, ObjectDef } from '../types';

export type LayoutSection = LayoutDef['sections'][number];

/** Where a field goes: a column of a section, before the field at `index` (or at the end). */
export interface Slot {
  readonly section: number;
  readonly column: number;
  readonly index?: number;
}

/** Where a field is, if placed. */
export function findField(layout: LayoutDef, field: string): Slot | null {
  for (const [s, section] of layout.sections.entries()) {
    for (const [c, column] of section.columns.entries()) {
      const index = column.indexOf(field);
      if (index >= 0) return { section: s, column: c, index };
    }
  }
  return null;
}

/** Moves (or places) a field into a slot; `null` takes it off the layout. */
export function moveField(layout: LayoutDef, field: string, to: Slot | null): LayoutDef {
  const from = findField(layout, field);
  const sections = layout.sections.map((s) => ({ ...s, columns: s.columns.map((c) => c.filter((f) => f !== field)) }));
  if (to) {
    const column = sections[to.section]?.columns[to.column];
    if (!column) return layout;
    // Moving down within the same column: the index counted the field itself.
    let index = to.index ?? column.length;
    if (from && from.section === to.section && from.column === to.column && from.index !== undefined && from.index < index) index -= 1;
    column.splice(Math.max(0, Math.min(index, column.length)), 0, field);
  }
  return { ...layout, sections };
}

/** Fields of the object not on the layout, in the object's order. */
export function unplacedFields(object: ObjectDef, layout: LayoutDef): string[] {
  const placed = new Set(layout.sections.flatMap((s) => s.columns.flat()));
  return object.fields.map((f) => f.name).filter((f) => !placed.has(f));
}

/** A section with `n` columns (1–4): fields of dropped columns move to the last one kept. */
export function setColumnCount(section: LayoutSection, n: number): LayoutSection {
  const count = Math.max(1, Math.min(4, Math.round(n)));
  if (count >= section.columns.length) return { ...section, columns: [...section.columns.map((c) => [...c]), ...Array.from({ length: count - section.columns.length }, () => [])] };
  const kept = section.columns.slice(0, count).map((c) => [...c]);
  kept[count - 1]!.push(...section.columns.slice(count).flat());
  return { ...section, columns: kept };
}

/** A first layout for an object: one two-column section with its fields alternating, the name field first. */
export function defaultLayout(object: ObjectDef, name = 'default'): LayoutDef {
  const fields = [object.nameField, ...object.fields.map((f) => f.name).filter((f) => f !== object.nameField)];
  return { name, label: { en: 'Default', 'zh-CN': '默认' }, sections: [{ label: { en: 'Details', 'zh-CN': '详细信息' }, columns: [fields.filter((_, i) => i % 2 === 0), fields.filter((_, i) => i % 2 === 1)] }] };
}

/** Relations a layout may list: `<object>.<lookup>` of every lookup to this object (and junctions through their object name). */
export function relationChoices(objects: readonly ObjectDef[], object: string): string[] {
  return objects.flatMap((o) => o.fields.filter((f) => f.type === 'lookup' && f.target === object).map((f) => `${o.name}.${f.name}`));
}
