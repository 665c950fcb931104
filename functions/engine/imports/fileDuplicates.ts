import { compareRecords, matchKeys } from '../duplicates/duplicateRules';
import type { CompiledDuplicateRule, FieldLookup } from '../duplicates/duplicateRules';

/*
 * Rows of one file that match each other under the object's duplicate rules: what an import's
 * dry run must report beside matches with stored records, since the run writes the rows one by
 * one and a later row then meets the record an earlier row created (a block rule refuses it, a
 * warn rule names it). Candidates share a match key; each is then compared as a save would.
 */

/** A row the file has planned to write: its row number, record id and the values the rules read. */
export interface FileRow {
  readonly row: number;
  readonly recordId: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** An earlier row of the file that a row matches. */
export interface FileDuplicate {
  readonly rule: string;
  readonly action: 'block' | 'warn';
  readonly row: number;
  readonly score: number;
}

const SEP = '\u0001';

export class FileDuplicateIndex {
  private readonly byKey = new Map<string, FileRow[]>();
  private readonly seen: FileRow[] = [];

  constructor(
    private readonly rules: readonly CompiledDuplicateRule[],
    private readonly fieldOf: FieldLookup,
  ) {}

  /** The values a row is kept with: only the fields some rule reads (what the next batches need). */
  fingerprint(row: number, recordId: string, values: Readonly<Record<string, unknown>>): FileRow {
    const fields = new Set(this.rules.flatMap((r) => r.fields));
    return { row, recordId, values: Object.fromEntries(Object.entries(values).filter(([k, v]) => fields.has(k) && v !== undefined && v !== null)) };
  }

  add(entry: FileRow): void {
    this.seen.push(entry);
    for (const rule of this.rules) {
      for (const k of matchKeys(rule, this.fieldOf, entry.values)) {
        const id = `${rule.id}${SEP}${k.key}`;
        const list = this.byKey.get(id) ?? [];
        list.push(entry);
        this.byKey.set(id, list);
      }
    }
  }

  /** Earlier rows `values` matches, per rule, best first; a row writing the same record is not a duplicate of it. */
  matches(recordId: string, values: Readonly<Record<string, unknown>>): FileDuplicate[] {
    const out: FileDuplicate[] = [];
    for (const rule of this.rules) {
      const rows = new Map<number, FileRow>();
      for (const k of matchKeys(rule, this.fieldOf, values)) for (const e of this.byKey.get(`${rule.id}${SEP}${k.key}`) ?? []) if (e.recordId !== recordId) rows.set(e.row, e);
      const found: FileDuplicate[] = [];
      for (const e of rows.values()) {
        const score = compareRecords(rule, this.fieldOf, values, e.values);
        if (score !== null) found.push({ rule: rule.name, action: rule.action, row: e.row, score });
      }
      out.push(...found.sort((a, b) => b.score - a.score || a.row - b.row));
    }
    return out;
  }

  /** The rows added so far, in order (to be kept with the batch's dry run). */
  rows(): readonly FileRow[] {
    return this.seen;
  }
}
