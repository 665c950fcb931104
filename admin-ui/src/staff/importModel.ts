/** What the import screens compute from a job and its row outcomes, apart from rendering. */
import { IMPORT_MAX_FILE_BYTES } from '../../../functions/api/bodyLimits';
import type { ObjectDef } from '../types';
import type { ImportJob, RowOutcome } from './dataOps';
import { importStep } from './dataOps';
import { fieldLabel } from './format';
import type { ConsoleLanguage } from '../labels';

/** Calls a phase (one bounded batch per call) until the job says it is done, reporting each step. */
export async function untilDone(id: string, step: 'dry-run' | 'run' | 'undo', onProgress: (job: ImportJob) => void): Promise<ImportJob> {
  const phase = step === 'dry-run' ? 'dryRun' : step;
  for (;;) {
    const job = await importStep(id, step);
    onProgress(job);
    if (job[phase]?.done) return job;
  }
}

/** MB as the messages show them: two decimals under 10 MB, whole above. */
function megabytes(bytes: number, round: (n: number) => number): string {
  const digits = bytes < 10 * 1024 * 1024 ? 2 : 0;
  return (round((bytes / (1024 * 1024)) * 10 ** digits) / 10 ** digits).toFixed(digits);
}

/**
 * Why a file cannot be imported for its size (the message's key and values), or null when it
 * can: the API refuses a body over 1 MiB, so a larger file is refused before anything is sent.
 * Its size is rounded up, so a file just over the limit (0.7422 MB) does not read as the limit (0.74 MB).
 */
export function fileSizeProblem(bytes: number): { key: 'data.fileTooLarge'; values: { size: string; limit: string } } | null {
  return bytes > IMPORT_MAX_FILE_BYTES ? { key: 'data.fileTooLarge', values: { size: megabytes(bytes, Math.ceil), limit: megabytes(IMPORT_MAX_FILE_BYTES, Math.round) } } : null;
}

/** Rows worth showing after a dry run or run: problems, skips with a reason, duplicates found. */
export const rowsToShow = (rows: readonly RowOutcome[]) =>
  rows.filter((r) => r.problem || r.reason || r.duplicates?.length || r.fileDuplicates?.length || (r.undo && r.undo.outcome !== 'deleted' && r.undo.outcome !== 'restored'));

/** `/email` → the field's label; the row itself (`''`) → null. */
export function pointerLabel(def: ObjectDef, pointer: string, language: ConsoleLanguage): string | null {
  const name = pointer.replace(/^\//, '').split('/')[0] ?? '';
  return name ? fieldLabel(def, name, language) : null;
}

/** Fields a row may set: those the user may write (create or update), plus owner; `id` only to match on. */
export function mappableFields(def: ObjectDef, creatable: ReadonlySet<string>, editable: ReadonlySet<string>): string[] {
  return [...def.fields.map((f) => f.name).filter((n) => creatable.has(n) || editable.has(n)), 'owner'];
}

/** Required fields no column maps to (a create would fail without them). */
export const requiredUnmapped = (def: ObjectDef, mapping: ReadonlyArray<string | null>) => def.fields.filter((f) => f.required && !mapping.includes(f.name) && !['formula', 'rollup', 'auto-number'].includes(f.type));

/** The first rows of the file as the server decoded it, for the mapping screen. */
export async function previewRows(file: Blob, encoding: string): Promise<string[][]> {
  const { default: Papa } = await import('papaparse');
  const text = new TextDecoder(encoding === 'gbk' ? 'gb18030' : encoding === 'utf-16le' ? 'utf-16le' : 'utf-8').decode(await file.slice(0, 64 * 1024).arrayBuffer());
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 4, skipEmptyLines: 'greedy' }).data.slice(1);
}
