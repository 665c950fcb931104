/** The sections of a record's form and details: the schema's layout, else metadata order (no validator here, so the record page stays light). */
import type { Labels } from '../labels';
import type { RecordSchema } from './formModel';

export interface FormSection {
  readonly label: Labels | null;
  readonly columns: string[][];
  /** No layout: the fields flow two to a row on wide screens, one on phones. */
  readonly grid?: boolean;
}

/** The form's sections: the schema's layout (fields it leaves out follow it), or every field in metadata order. */
export function formSections(schema: RecordSchema, order: readonly string[]): FormSection[] {
  const layout = schema['x-layout'];
  const known = new Set(Object.keys(schema.properties));
  if (layout && layout.sections.length) {
    const placed = new Set(layout.sections.flatMap((s) => s.columns.flat()));
    const sections = layout.sections.map((s) => ({ label: s.label, columns: s.columns.map((c) => c.filter((n) => known.has(n))) }));
    // Fields the layout does not place are still the record's: shown after it, so nothing is lost.
    const rest = order.filter((n) => known.has(n) && !placed.has(n));
    return rest.length ? [...sections, { label: null, columns: [rest], grid: true }] : sections;
  }
  return [{ label: null, columns: [order.filter((n) => known.has(n))], grid: true }];
}
