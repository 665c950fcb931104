import { EngineError } from '../../../engine/errors';
import type { Problem } from '../../../engine/errors';
import { IMPORT_MODES, settingsProblems, suggestMapping } from '../../../engine/imports/mapping';
import type { ColumnSuggestion, ImportMode, ImportSettings } from '../../../engine/imports/mapping';
import { BUILT_IN_ADMIN } from '../../../engine/metadata/types';
import { ImportStore } from '../../../store/importStore';
import type { ImportChunk } from '../../../store/importStore';
import type { UserContext } from '../../auth/tokens';
import type { Services } from '../../services';
import { requireAdmin } from '../adminAccess';
import { currentBundle } from '../currentBundle';
import { parseCsv } from './csvInput';

/*
 * CSV import jobs: upload (the file is parsed, checked and stored in chunks under the job),
 * settings (column mapping, mode, match key, automation switch), and the job as the caller
 * sees it. Running, dry runs and undo are in importRun.ts and importUndo.ts.
 */

/** Rows per chunk, and so per batch of a run: ~100 single writes keep a call around 1–2 s. */
export const IMPORT_BATCH_ROWS = 100;
/** A chunk item stays well under DynamoDB's 400 KB. */
const CHUNK_BYTES = 300_000;

export interface Progress {
  /** The next chunk (batch) to process. */
  readonly nextChunk: number;
  readonly done: boolean;
  readonly rowsDone: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The run's automation switch, recorded when it starts (its undo runs with the same). */
  readonly automation?: boolean;
}

export interface UndoProgress {
  /** The last row whose outcome the undo has handled. */
  readonly afterRow: number;
  readonly done: boolean;
  readonly counts: Readonly<Record<string, number>>;
  /** Whether the undo's deletes and restores run automations: as the import did. */
  readonly automation?: boolean;
}

export interface ImportJob {
  readonly id: string;
  readonly object: string;
  readonly name: string;
  readonly status: 'uploaded' | 'ready' | 'running' | 'completed' | 'undoing' | 'undone';
  readonly encoding: string;
  readonly headers: string[];
  readonly rows: number;
  readonly chunks: number;
  /** Row number of each chunk's first row (row 1 is the first line after the header). */
  readonly chunkStarts: number[];
  readonly suggestions: ColumnSuggestion[];
  readonly settings: ImportSettings | null;
  readonly dryRun: Progress | null;
  readonly run: Progress | null;
  readonly undo: UndoProgress | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  /** Bumped by every change of the job: two callers cannot both move the same checkpoint. */
  readonly revision: number;
}

export const importStore = (services: Services) => new ImportStore(services.doc, services.tableName);
export const notFound = (id: string) => new EngineError('import.notFound', `There is no import job ${id}`, [], { id });
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new EngineError('import.conflict', message, [], extra);

/** The job as answered: without its storage attributes. */
export function jobView(job: ImportJob): ImportJob {
  const { pk: _pk, sk: _sk, kind: _kind, tenant: _tenant, gsi1pk: _g1, gsi1sk: _g2, ...rest } = job as ImportJob & Record<string, unknown>;
  return rest as unknown as ImportJob;
}

/** A job the caller may act on: their own (the built-in admin: any), with the importData permission. */
export async function ownJob(services: Services, user: UserContext, id: string): Promise<ImportJob> {
  await requireAdmin(services, user, 'importData');
  const job = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await importStore(services).job<ImportJob>(user.tenantId, id) : null;
  if (!job || (job.createdBy !== user.userId && !user.roles.includes(BUILT_IN_ADMIN))) throw notFound(id);
  return job;
}

/** Saves a changed job under the revision it was read at; false when another call moved it first. */
export const saveJob = (services: Services, user: UserContext, before: ImportJob, after: Omit<ImportJob, 'revision' | 'updatedAt'>) =>
  importStore(services).saveJob(user.tenantId, { ...after, revision: before.revision + 1, updatedAt: services.now().toISOString() }, before.revision);

function objectFor(body: Record<string, unknown>): string {
  if (typeof body.object !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(body.object)) throw new EngineError('request.invalid', 'Name the object to import into', [{ path: '/object', code: 'required', message: 'object is required' }]);
  return body.object;
}

/** Upload: parse and store the file; the answer suggests a mapping for every column. */
export async function createImport(services: Services, user: UserContext, raw: unknown): Promise<ImportJob> {
  await requireAdmin(services, user, 'importData');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EngineError('request.invalid', 'Send a JSON object', [{ path: '', code: 'type', message: 'must be object' }]);
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !['object', 'name', 'csv', 'csvBase64', 'encoding', 'delimiter'].includes(k));
  if (unknown.length) throw new EngineError('request.invalid', 'Unknown members in the upload', unknown.map((k) => ({ path: `/${k}`, code: 'unknownField', message: `unknown member "${k}"` })));
  const objectName = objectFor(body);
  const bundle = await currentBundle(services, user.tenantId);
  const access = bundle.hasObject(objectName) ? bundle.access(user.roles).object(objectName) : null;
  if (!access?.can.read) throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  if (!access.can.create && !access.can.update) throw new EngineError('access.denied', `You may not create or change ${objectName} records`);
  if (body.name !== undefined && (typeof body.name !== 'string' || body.name.length > 200)) throw new EngineError('request.invalid', 'name is a file name of at most 200 characters', [{ path: '/name', code: 'type', message: 'must be a string of at most 200 characters' }]);
  const parsed = parseCsv(body);
  const chunks: ImportChunk[] = [];
  let current: string[][] = [];
  let bytes = 0;
  let first = 1;
  parsed.rows.forEach((row, i) => {
    const size = JSON.stringify(row).length;
    if (current.length > 0 && (current.length >= IMPORT_BATCH_ROWS || bytes + size > CHUNK_BYTES)) {
      chunks.push({ chunk: chunks.length, first, rows: current });
      current = [];
      bytes = 0;
      first = i + 1;
    }
    current.push(row);
    bytes += size;
  });
  chunks.push({ chunk: chunks.length, first, rows: current });
  const now = services.now().toISOString();
  const job: ImportJob = {
    id: services.newId(),
    object: objectName,
    name: (body.name as string | undefined) ?? `${objectName}.csv`,
    status: 'uploaded',
    encoding: parsed.encoding,
    headers: parsed.headers,
    rows: parsed.rows.length,
    chunks: chunks.length,
    chunkStarts: chunks.map((c) => c.first),
    suggestions: suggestMapping(bundle.object(objectName), access, parsed.headers),
    settings: null,
    dryRun: null,
    run: null,
    undo: null,
    createdAt: now,
    createdBy: user.userId,
    updatedAt: now,
    revision: 1,
  };
  await importStore(services).create(user.tenantId, job as unknown as Record<string, unknown> & { id: string }, chunks);
  return job;
}

export async function getImport(services: Services, user: UserContext, id: string): Promise<ImportJob> {
  return jobView(await ownJob(services, user, id));
}

/** The caller's import jobs (the built-in admin: everyone's), newest first. */
export async function listImports(services: Services, user: UserContext, query: Readonly<Record<string, string | undefined>>): Promise<{ items: ImportJob[]; nextCursor: string | null }> {
  await requireAdmin(services, user, 'importData');
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new EngineError('query.invalid', 'limit must be an integer from 1 to 200', [{ path: '/limit', code: 'range', message: 'must be 1 to 200', params: { max: 200 } }]);
  const page = await importStore(services).jobs<ImportJob>(user.tenantId, limit, query.cursor ?? null);
  const mine = page.items.filter((j) => j.createdBy === user.userId || user.roles.includes(BUILT_IN_ADMIN));
  return { items: mine.map(jobView), nextCursor: page.nextCursor };
}

/**
 * Sets the mapping, mode, match key and automation switch. Allowed until the run starts;
 * a change clears an earlier dry run (it no longer says what would happen).
 */
export async function configureImport(services: Services, user: UserContext, id: string, raw: unknown): Promise<ImportJob> {
  const job = await ownJob(services, user, id);
  if (job.run) throw conflict('The import has started; its settings can no longer change', { status: job.status });
  const body = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : null) as Record<string, unknown> | null;
  if (!body) throw new EngineError('request.invalid', 'Send a JSON object', [{ path: '', code: 'type', message: 'must be object' }]);
  const problems: Problem[] = [];
  for (const k of Object.keys(body)) if (!['mapping', 'mode', 'matchOn', 'automation'].includes(k)) problems.push({ path: `/${k}`, code: 'unknownField', message: `unknown member "${k}"` });
  const mapping = body.mapping ?? job.settings?.mapping ?? job.suggestions.map((s) => s.field);
  if (!Array.isArray(mapping) || !mapping.every((m) => m === null || typeof m === 'string')) problems.push({ path: '/mapping', code: 'type', message: 'mapping is an array with one field name (or null) per column' });
  const mode = body.mode ?? job.settings?.mode ?? 'create';
  if (!IMPORT_MODES.includes(mode as ImportMode)) problems.push({ path: '/mode', code: 'enum', message: `mode is one of ${IMPORT_MODES.join(', ')}`, params: { allowedValues: IMPORT_MODES } });
  const matchOn = body.matchOn === undefined ? (job.settings?.matchOn ?? null) : body.matchOn;
  if (matchOn !== null && typeof matchOn !== 'string') problems.push({ path: '/matchOn', code: 'type', message: 'matchOn is a field name or null' });
  const automation = body.automation ?? job.settings?.automation ?? true;
  if (typeof automation !== 'boolean') problems.push({ path: '/automation', code: 'type', message: 'automation is true or false' });
  if (problems.length) throw new EngineError('request.invalid', 'The import settings are not valid', problems);
  const settings: ImportSettings = { mapping: mapping as Array<string | null>, mode: mode as ImportMode, matchOn: matchOn as string | null, automation: automation as boolean };
  const bundle = await currentBundle(services, user.tenantId);
  if (!bundle.hasObject(job.object)) throw new EngineError('object.notFound', `There is no object "${job.object}"`, [], { object: job.object });
  const found = settingsProblems(bundle.object(job.object), bundle.access(user.roles).object(job.object), job.headers, settings);
  if (found.length) throw new EngineError('validation.failed', 'The import settings are not valid', found);
  const next = { ...job, settings, status: 'ready' as const, dryRun: null };
  if (!(await saveJob(services, user, job, next))) throw conflict('The import job changed meanwhile; read it again');
  return jobView({ ...next, revision: job.revision + 1, updatedAt: services.now().toISOString() });
}
