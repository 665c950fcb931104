import Papa from 'papaparse';
import { EngineError, isEngineError } from '../../../engine/errors';
import type { CompiledObject } from '../../../engine/compile/compileObject';
import type { Locale } from '../../../engine/metadata/types';
import type { StoredRecord } from '../../../engine/records/types';
import type { ImportRowOutcome } from '../../../store/importStore';
import type { UserContext } from '../../auth/tokens';
import { problemDocument } from '../../problem';
import type { Services } from '../../services';
import { currentBundle } from '../currentBundle';
import { deleteRecord, patchRecord } from '../records';
import type { WriteOptions } from '../records';
import { conflict, importStore, jobView, ownJob, saveJob } from './importJobs';
import type { ImportJob, UndoProgress } from './importJobs';
import { chunkOutcomes } from './importRun';

/*
 * Undo, one batch of row outcomes per call: a created record is deleted (at the version the
 * import left, so one changed since is reported, not deleted), an updated record is put back
 * to its before-image (only if it is still at the version the import left; otherwise it is
 * reported as changed since). The restore commits the row's undo outcome in its own
 * transaction, so a resumed undo never restores twice. Undo acts as the caller, with the
 * same checks as their own deletes and edits.
 */

const UNDO_BATCH = 100;

/** The change that takes a record back to its before-image: every writable field that differs, and the owner. */
function restorePatch(object: CompiledObject, before: NonNullable<ImportRowOutcome['before']>, current: StoredRecord): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [name, field] of object.fields) {
    if (!field.type.writable) continue;
    if (JSON.stringify(before.values[name]) !== JSON.stringify(current.values[name])) patch[name] = before.values[name] ?? null;
  }
  if (before.owner !== current.owner && !object.primaryMaster) patch.owner = before.owner;
  return patch;
}

async function undoRow(services: Services, user: UserContext, job: ImportJob, automation: boolean, object: CompiledObject, row: ImportRowOutcome, locale: Locale): Promise<ImportRowOutcome['undo'] | null> {
  const store = importStore(services);
  // Marked like the import's own writes: with automations off, no after-save rule runs for the undo either.
  const origin = { import: job.id, automation };
  const failed = (error: EngineError) => ({ outcome: 'failed', problem: problemDocument(error, locale) });
  try {
    if (row.outcome === 'created') {
      const current = await services.records.get(user.tenantId, object.name, row.recordId!);
      if (!current) return { outcome: 'gone' };
      if (current.version !== 1) return { outcome: 'conflict', currentVersion: current.version };
      await deleteRecord(services, user, object.name, row.recordId!, 1, { origin });
      return { outcome: 'deleted' };
    }
    if (row.outcome === 'updated' && row.before) {
      const current = await services.records.get(user.tenantId, object.name, row.recordId!);
      if (!current) return { outcome: 'gone' };
      if (current.version !== row.afterVersion) return { outcome: 'conflict', currentVersion: current.version };
      const patch = restorePatch(object, row.before, current);
      if (Object.keys(patch).length === 0) return { outcome: 'restored' };
      const report: NonNullable<WriteOptions['report']> = { duplicates: [] };
      await patchRecord(services, user, object.name, current.id, current.version, patch, {
        automation,
        origin,
        duplicates: 'skip',
        report,
        alongside: () => [store.rowItem(user.tenantId, job.id, { ...row, undo: { outcome: 'restored' } })],
      });
      return report.changed === false ? { outcome: 'restored' } : null;
    }
    return undefined;
  } catch (error) {
    if (!isEngineError(error)) throw error;
    if (error.code === 'record.versionConflict') return { outcome: 'conflict', currentVersion: Number(error.extra.currentVersion) };
    if (error.code === 'record.notFound') return { outcome: 'gone' };
    return failed(error);
  }
}

/** Undoes the next batch of the run's rows and answers the job with the undo's progress. */
export async function undoImportBatch(services: Services, user: UserContext, id: string, locale: Locale): Promise<ImportJob> {
  const job = await ownJob(services, user, id);
  if (!job.run) throw conflict('The import has not run; there is nothing to undo', { status: job.status });
  // The undo runs with the automation switch the import ran with, recorded on the job when it starts (jobs from before: the settings').
  const automation = job.undo?.automation ?? job.run.automation ?? job.settings?.automation ?? true;
  const progress: UndoProgress = job.undo ?? { afterRow: 0, done: false, counts: { deleted: 0, restored: 0, conflict: 0, gone: 0, failed: 0 }, automation };
  if (progress.done) return jobView(job);
  const bundle = await currentBundle(services, user.tenantId);
  if (!bundle.hasObject(job.object)) throw new EngineError('object.notFound', `There is no object "${job.object}"`, [], { object: job.object });
  const object = bundle.object(job.object);
  const store = importStore(services);
  const page = await store.rows(user.tenantId, job.id, progress.afterRow, UNDO_BATCH);
  const counts: Record<string, number> = { ...progress.counts };
  const record: ImportRowOutcome[] = [];
  for (const row of page.items) {
    if (row.undo) {
      counts[row.undo.outcome] = (counts[row.undo.outcome] ?? 0) + 1;
      continue;
    }
    const undo = await undoRow(services, user, job, automation, object, row, locale);
    if (undo === undefined) continue;
    const outcome = undo ?? { outcome: 'restored' };
    counts[outcome.outcome] = (counts[outcome.outcome] ?? 0) + 1;
    // A restore that wrote committed its outcome with it (undo === null); the rest are recorded here.
    if (undo !== null) record.push({ ...row, undo });
  }
  await store.putRows(user.tenantId, job.id, record);
  const finished = page.last === null;
  const lastRow = page.items.length ? page.items[page.items.length - 1]!.row : progress.afterRow;
  const after = { ...job, status: finished ? ('undone' as const) : ('undoing' as const), undo: { afterRow: lastRow, done: finished, counts, automation } };
  if (!(await saveJob(services, user, job, after))) return jobView(await ownJob(services, user, id));
  return jobView({ ...after, revision: job.revision + 1, updatedAt: services.now().toISOString() });
}

/** `phase`: the run's outcomes once it has started, else the dry run's. */
function phaseOf(job: ImportJob, raw: string | undefined): 'dryRun' | 'run' {
  if (raw !== undefined && raw !== 'run' && raw !== 'dryRun') throw new EngineError('query.invalid', 'phase is run or dryRun', [{ path: '/phase', code: 'enum', message: 'must be run or dryRun', params: { allowedValues: ['run', 'dryRun'] } }]);
  return (raw as 'dryRun' | 'run' | undefined) ?? (job.run ? 'run' : 'dryRun');
}

/** Row outcomes, one batch per page: `cursor` is the next batch; `outcome` keeps only rows with that outcome. */
export async function importRows(services: Services, user: UserContext, id: string, query: Readonly<Record<string, string | undefined>>) {
  const job = await ownJob(services, user, id);
  const phase = phaseOf(job, query.phase);
  const chunk = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!Number.isInteger(chunk) || chunk < 0 || chunk >= Math.max(job.chunks, 1)) throw new EngineError('query.badCursor', 'The cursor is not valid', [{ path: '/cursor', code: 'badCursor', message: 'not a batch of this import' }]);
  const items = (await chunkOutcomes(services, user, job, phase, chunk)).filter((o) => query.outcome === undefined || o.outcome === query.outcome).map(({ before: _b, ...o }) => o);
  return { phase, items, nextCursor: chunk + 1 < job.chunks ? String(chunk + 1) : null };
}

/** A row's problems as one cell: `field: message; …`. */
function problemText(o: ImportRowOutcome): string {
  const p = o.problem as { detail?: string; errors?: Array<{ pointer: string; message: string }> } | undefined;
  if (p?.errors?.length) return p.errors.map((e) => `${e.pointer.slice(1) || 'row'}: ${e.message}`).join('; ');
  return p?.detail ?? o.reason ?? '';
}

/**
 * The failed rows as CSV — their cells as uploaded, then their problems — to fix in a
 * spreadsheet and upload again. Formula-like cells are defused as in exports; UTF-8 with BOM.
 */
export async function importErrorReport(services: Services, user: UserContext, id: string, query: Readonly<Record<string, string | undefined>>): Promise<{ csv: string; rows: number; name: string }> {
  const job = await ownJob(services, user, id);
  const phase = phaseOf(job, query.phase);
  const store = importStore(services);
  const data: string[][] = [];
  for (let chunk = 0; chunk < job.chunks; chunk++) {
    const failed = (await chunkOutcomes(services, user, job, phase, chunk)).filter((o) => o.outcome === 'failed' || o.outcome === 'fail');
    if (failed.length === 0) continue;
    const rows = (await store.chunk(user.tenantId, job.id, chunk))!;
    for (const o of failed) {
      const cells = rows.rows[o.row - rows.first] ?? [];
      data.push([String(o.row), ...job.headers.map((_, i) => cells[i] ?? ''), problemText(o)]);
    }
  }
  const csv = Papa.unparse({ fields: ['row', ...job.headers, 'problems'], data }, { escapeFormulae: true, newline: '\r\n' });
  return { csv: `\uFEFF${csv}\r\n`, rows: data.length, name: job.name.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_') + '-errors.csv' };
}
