import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import { EngineError, isEngineError } from '../../../engine/errors';
import type { CompiledObject } from '../../../engine/compile/compileObject';
import { FileDuplicateIndex } from '../../../engine/imports/fileDuplicates';
import type { FileRow } from '../../../engine/imports/fileDuplicates';
import { ID_COLUMN, rowInput } from '../../../engine/imports/mapping';
import { importLanes } from '../../../engine/imports/importLanes';
import type { ImportSettings } from '../../../engine/imports/mapping';
import type { Locale } from '../../../engine/metadata/types';
import { planList } from '../../../engine/query/listQuery';
import { matchesAll } from '../../../engine/query/matchesFilter';
import { RECORD_ID } from '../../../engine/ids';
import type { StoredRecord } from '../../../engine/records/types';
import { DryRunRecordStore } from '../../../store/dryRunRecordStore';
import { groupCommits } from '../../../store/groupCommitRecordStore';
import type { ImportRowOutcome } from '../../../store/importStore';
import type { UserContext } from '../../auth/tokens';
import { problemDocument, toEngineError } from '../../problem';
import type { Services } from '../../services';
import { currentBundle } from '../currentBundle';
import { directory } from '../directory';
import { createRecord, patchRecord } from '../records';
import type { WriteOptions } from '../records';
import { MAX_CELL } from './csvInput';
import { conflict, importStore, jobView, ownJob, saveJob } from './importJobs';
import type { ImportJob, Progress } from './importJobs';

/*
 * Running an import, one batch (one chunk of ≤100 rows) per call, and the dry run the same
 * way. Each row is the write it stands for — `createRecord` / `patchRecord` as the importing
 * user, so the same permissions, validation, rules, duplicate rules and history — and its
 * outcome item is committed in that write's own transaction, with the before-image of an
 * updated record. A new record's id is derived from (job, row). So a batch cut short by a
 * crash is finished by calling again: rows with an outcome are not written twice, and the
 * checkpoint moves only once the whole batch is done, conditioned on the job's revision.
 * A dry run saves through a store that plans and checks without writing.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The id a row's new record gets: the same (job, row) always gives the same id, time-ordered by the job. */
export function importRecordId(jobId: string, row: number, createdAt: string): string {
  const digest = createHash('sha256').update(`import:${jobId}#${row}`).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32];
  return encodeTime(Date.parse(createdAt), 10) + random;
}

type Phase = 'dryRun' | 'run';
/**
 * Rows of a batch written at the same time (see importLanes); their writes share transactions
 * (see groupCommits), about six items a row, so sixteen fill one of DynamoDB's 100.
 */
export const IMPORT_LANES = 16;
const ZERO = { dryRun: { create: 0, update: 0, skip: 0, fail: 0 }, run: { created: 0, updated: 0, skipped: 0, failed: 0 } } as const;
const VERB = { dryRun: { create: 'create', update: 'update', skip: 'skip', fail: 'fail' }, run: { create: 'created', update: 'updated', skip: 'skipped', fail: 'failed' } } as const;

interface RowContext {
  readonly services: Services;
  readonly user: UserContext;
  readonly job: ImportJob;
  readonly settings: ImportSettings;
  readonly object: CompiledObject;
  readonly phase: Phase;
  readonly locale: Locale;
  readonly users: (email: string) => string | undefined;
  readonly dry: DryRunRecordStore | null;
  /** A dry run of an object with duplicate rules: the rows of the file planned so far (earlier batches included). */
  readonly inFile: FileDuplicateIndex | null;
}

const skip = (ctx: RowContext, row: number, reason: string, extra: Partial<ImportRowOutcome> = {}): ImportRowOutcome => ({ row, outcome: VERB[ctx.phase].skip, reason, ...extra });
const fail = (ctx: RowContext, row: number, error: EngineError): ImportRowOutcome => ({ row, outcome: VERB[ctx.phase].fail, problem: problemDocument(error, ctx.locale) });

/**
 * A dry run's planned write checked against the file's earlier rows under the duplicate rules:
 * the run writes rows in order, so a later row meets the record an earlier one created. A block
 * rule (the user not bypassing it) makes the row fail as the run would; a warn rule names the rows.
 */
function checkInFile(ctx: RowContext, row: number, planned: ImportRowOutcome): ImportRowOutcome {
  const values = ctx.dry?.lastPlan?.record?.values;
  if (!ctx.inFile || !values || !planned.recordId) return planned;
  const found = ctx.inFile.matches(planned.recordId, values);
  const rules = new Map(ctx.object.duplicateRules.map((r) => [r.name, r] as const));
  const blocking = found.filter((d) => d.action === 'block' && !(rules.get(d.rule)?.def.bypassRoles ?? []).some((r) => ctx.user.roles.includes(r)));
  if (blocking.length) {
    const rule = rules.get(blocking[0]!.rule)!;
    const rows = blocking.filter((d) => d.rule === rule.name).map((d) => d.row);
    return fail(ctx, row, new EngineError('record.duplicate', `Row ${row} matches row ${rows.join(', ')} of this file (duplicate rule ${rule.name})`, rule.fields.map((field) => ({
      path: `/${field}`,
      code: 'duplicateRule',
      message: `row ${rows.join(', ')} of this file matches on ${rule.fields.join(', ')} (duplicate rule ${rule.name})`,
      params: { rule: rule.name, field, rows },
    })), { rule: rule.name, rows }));
  }
  ctx.inFile.add(ctx.inFile.fingerprint(row, planned.recordId, values));
  return found.length ? { ...planned, fileDuplicates: found.map((d) => ({ ...d, action: d.action === 'block' ? 'warn' : d.action })) } : planned;
}

/** The record a row matches on `matchOn`: none, one, or several (a non-unique field). Found by id, unique guard or index — never a Scan. */
async function findMatch(ctx: RowContext, value: unknown): Promise<StoredRecord[]> {
  const { services, user, object } = ctx;
  const field = ctx.settings.matchOn!;
  if (field === ID_COLUMN) {
    const id = String(value).trim();
    if (!RECORD_ID.test(id)) return [];
    const record = await services.records.get(user.tenantId, object.name, id);
    return record ? [record] : [];
  }
  const def = object.fields.get(field)!;
  if (def.def.unique) {
    let key: string;
    try {
      key = def.type.uniqueKey!(def.type.normalize ? def.type.normalize(value, def.def as never) : value, def.def as never);
    } catch {
      return [];
    }
    const holder = await services.records.guardHolder(user.tenantId, object.name, field, key);
    const record = holder ? await services.records.get(user.tenantId, object.name, holder) : null;
    return record ? [record] : [];
  }
  let plan;
  try {
    plan = planList(object, { filters: [{ field, op: 'eq', values: [value] }], sort: null, limit: 2, cursor: null });
  } catch {
    return [];
  }
  return (await services.records.list(user.tenantId, plan, null, (r) => matchesAll(object, r, plan.residual))).records;
}

/**
 * One row: decide, write (or plan), and say what happened. Engine errors are the row's outcome;
 * anything else stops the batch. `read`: the row's input when importLanes has read it already.
 */
async function processRow(ctx: RowContext, row: number, cells: readonly string[], read: Record<string, unknown> | null = null): Promise<ImportRowOutcome> {
  const { job, settings, object, user, phase } = ctx;
  const services = ctx.dry ? { ...ctx.services, records: ctx.dry } : ctx.services;
  if (ctx.dry) ctx.dry.lastPlan = null;
  if (cells.length !== job.headers.length) {
    return fail(ctx, row, new EngineError('validation.failed', `row ${row} has ${cells.length} cells; the header has ${job.headers.length} columns`, [{ path: '', code: 'columnCount', message: `the row has ${cells.length} cells for ${job.headers.length} columns`, params: { cells: cells.length, columns: job.headers.length } }]));
  }
  const long = cells.findIndex((c) => c.length > MAX_CELL);
  if (long >= 0) return fail(ctx, row, new EngineError('validation.failed', `a cell of row ${row} is too long`, [{ path: `/${settings.mapping[long] ?? job.headers[long]}`, code: 'maxLength', message: `a cell holds at most ${MAX_CELL} characters`, params: { limit: MAX_CELL } }]));
  const input = read ?? rowInput(object, settings, cells, ctx.users);
  const keyColumn = settings.matchOn === null ? -1 : settings.mapping.indexOf(settings.matchOn);
  const keyValue = keyColumn < 0 ? undefined : settings.matchOn === ID_COLUMN ? cells[keyColumn]!.trim() || undefined : input[settings.matchOn!];
  let matches: StoredRecord[] = [];
  if (settings.matchOn !== null && keyValue !== undefined) matches = await findMatch(ctx, keyValue);
  if (matches.length > 1) return fail(ctx, row, new EngineError('validation.failed', 'more than one record matches', [{ path: `/${settings.matchOn}`, code: 'ambiguousMatch', message: `${matches.length}+ ${object.name} records have this ${settings.matchOn}`, params: { field: settings.matchOn } }]));
  const match = matches[0] ?? null;
  const origin = { import: job.id, automation: settings.automation };
  const report: NonNullable<WriteOptions['report']> = { duplicates: [] };
  const store = importStore(ctx.services);
  const warnings = () => (report.duplicates.length ? { duplicates: report.duplicates as unknown as Array<Record<string, unknown>> } : {});
  const changed = () => (ctx.dry?.lastPlan?.history ? { changed: Object.keys(ctx.dry.lastPlan.history.changes) } : {});
  try {
    if (match === null) {
      if (settings.mode === 'update') return skip(ctx, row, keyValue === undefined ? 'noKey' : 'noMatch');
      const recordId = importRecordId(job.id, row, job.createdAt);
      const outcome = (): ImportRowOutcome => ({ row, outcome: VERB[phase].create, recordId, ...warnings() });
      const created = await createRecord(services, user, object.name, input, {
        recordId,
        automation: settings.automation,
        origin,
        report,
        ...(phase === 'run' ? { alongside: () => [store.rowItem(user.tenantId, job.id, { row, outcome: 'created', recordId, ...warnings() })] } : {}),
      });
      return checkInFile(ctx, row, { ...outcome(), recordId: created.id, ...changed() });
    }
    if (settings.mode === 'create') return skip(ctx, row, 'exists', { recordId: match.id });
    const options: WriteOptions = {
      automation: settings.automation,
      origin,
      report,
      ...(phase === 'run'
        ? { alongside: (current) => [store.rowItem(user.tenantId, job.id, { row, outcome: 'updated', recordId: match.id, before: { version: current!.version, owner: current!.owner, values: current!.values }, afterVersion: current!.version + 1, ...warnings() })] }
        : {}),
    };
    await patchRecord(services, user, object.name, match.id, match.version, input, options);
    if (report.changed === false) return skip(ctx, row, 'unchanged', { recordId: match.id });
    return checkInFile(ctx, row, { row, outcome: VERB[phase].update, recordId: match.id, ...warnings(), ...changed() });
  } catch (thrown) {
    // Another call running the same batch created this row's record first: its outcome is the row's.
    if (!isEngineError(thrown) && /record id collision/.test(String((thrown as Error)?.message))) {
      const done = (await store.rowRange(user.tenantId, job.id, row, row)).get(row);
      if (done) return done;
    }
    if (!isEngineError(thrown)) throw thrown;
    return fail(ctx, row, toEngineError(thrown));
  }
}

/**
 * The run's rows of a batch: rows that could meet each other share a lane, in file order
 * (importLanes); lanes are written side by side, and their writes share transactions
 * (groupCommits). A failure that is not a row's own (DynamoDB unreachable) stops every lane
 * before the batch answers, so nothing of this call is still writing when it is called again.
 */
async function writeInLanes(ctx: RowContext, rows: ReadonlyArray<{ row: number; cells: string[] }>): Promise<Map<number, ImportRowOutcome>> {
  const written = new Map<number, ImportRowOutcome>();
  const lanes = importLanes(ctx.object, ctx.settings, rows, ctx.users, ctx.job.headers.length);
  let next = 0;
  let active = 0;
  let stopped = false;
  // Writes that arrive within 15 ms share a transaction: an item costs DynamoDB (Local) about 1.7 times
  // as much in a one-row transaction of seven items as in a full one of a hundred.
  const laneCtx: RowContext = { ...ctx, services: { ...ctx.services, records: groupCommits(ctx.services.records, () => active, 15) } };
  const worker = async () => {
    active++;
    try {
      for (let lane = lanes[next++]; lane && !stopped; lane = lanes[next++]) {
        for (const r of lane) {
          if (stopped) return;
          written.set(r.row, await processRow(laneCtx, r.row, r.cells, r.input));
        }
      }
    } catch (error) {
      stopped = true;
      throw error;
    } finally {
      active--;
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(IMPORT_LANES, lanes.length) }, worker));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return written;
}

/**
 * Processes the next batch of the run (or of the dry run) and answers the job with its
 * progress. A finished phase answers the job as it is. The run's outcomes go to one item per
 * row (written with each row's write), the dry run's to one item per batch.
 */
export async function runImportBatch(services: Services, user: UserContext, id: string, phase: Phase, locale: Locale): Promise<ImportJob> {
  const job = await ownJob(services, user, id);
  const settings = job.settings;
  if (!settings) throw conflict('Map the columns first (PATCH the import with its mapping)', { status: job.status });
  if (phase === 'run' && (job.status === 'undoing' || job.status === 'undone')) throw conflict('The import is being undone; it cannot run again', { status: job.status });
  if (phase === 'dryRun' && job.run) throw conflict('The import has started; a dry run can no longer say what it would do', { status: job.status });
  const progress: Progress = job[phase] ?? { nextChunk: 0, done: false, rowsDone: 0, counts: ZERO[phase], startedAt: services.now().toISOString(), ...(phase === 'run' ? { automation: settings.automation } : {}) };
  if (progress.done) return jobView(job);
  const bundle = await currentBundle(services, user.tenantId);
  if (!bundle.hasObject(job.object)) throw new EngineError('object.notFound', `There is no object "${job.object}"`, [], { object: job.object });
  const store = importStore(services);
  const chunk = await store.chunk(user.tenantId, job.id, progress.nextChunk);
  if (!chunk) throw new EngineError('internal.error', `chunk ${progress.nextChunk} of import ${job.id} is missing`);
  const dir = await directory(services, user.tenantId);
  const emails = new Map(dir.users.map((u) => [u.email.toLowerCase(), u.id] as const));
  const object = bundle.object(job.object);
  let inFile: FileDuplicateIndex | null = null;
  if (phase === 'dryRun' && object.duplicateRules.length > 0) {
    inFile = new FileDuplicateIndex(object.duplicateRules, (name) => object.fields.get(name)?.def);
    for (const entry of await store.dryFileRows<FileRow>(user.tenantId, job.id, progress.nextChunk)) inFile.add(entry);
  }
  const before = inFile?.rows().length ?? 0;
  const ctx: RowContext = { services, user, job, settings, object, phase, locale, users: (e) => emails.get(e), dry: phase === 'dryRun' ? new DryRunRecordStore(services.doc, services.tableName) : null, inFile };
  const last = chunk.first + chunk.rows.length - 1;
  const done = phase === 'run' ? await store.rowRange(user.tenantId, job.id, chunk.first, last) : new Map<number, ImportRowOutcome>();
  const rows = chunk.rows.map((cells, i) => ({ row: chunk.first + i, cells }));
  const written = new Map<number, ImportRowOutcome>();
  if (phase === 'run') {
    for (const [row, outcome] of await writeInLanes(ctx, rows.filter((r) => !done.has(r.row)))) written.set(row, outcome);
  } else {
    // The dry run's store holds the row's plan and the in-file duplicate index grows row by row: in order.
    for (const r of rows) written.set(r.row, await processRow(ctx, r.row, r.cells));
  }
  const outcomes = rows.map((r) => done.get(r.row) ?? written.get(r.row)!);
  // Rows that wrote nothing (skipped, failed) record their outcome now; rows that wrote did so in their own transaction.
  if (phase === 'run') await store.putRows(user.tenantId, job.id, outcomes.filter((o) => !done.has(o.row) && (o.outcome === 'skipped' || o.outcome === 'failed')));
  else await store.putDry(user.tenantId, job.id, chunk.chunk, outcomes, inFile ? inFile.rows().slice(before) : []);
  const counts: Record<string, number> = { ...progress.counts };
  for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  const finished = progress.nextChunk + 1 >= job.chunks;
  const now = services.now().toISOString();
  const next: Progress = { ...progress, nextChunk: progress.nextChunk + 1, done: finished, rowsDone: progress.rowsDone + outcomes.length, counts, ...(finished ? { finishedAt: now } : {}) };
  const status = phase === 'run' ? (finished ? 'completed' : 'running') : job.status;
  const after = { ...job, [phase]: next, status };
  if (!(await saveJob(services, user, job, after))) return jobView((await ownJob(services, user, id)));
  return jobView({ ...after, revision: job.revision + 1, updatedAt: now });
}

/** Outcomes of one batch (chunk) of a phase, for the job's row list and error report. */
export async function chunkOutcomes(services: Services, user: UserContext, job: ImportJob, phase: Phase, chunk: number): Promise<ImportRowOutcome[]> {
  const store = importStore(services);
  if (phase === 'dryRun') return (await store.dry(user.tenantId, job.id, chunk)) ?? [];
  const first = job.chunkStarts[chunk]!;
  const last = chunk + 1 < job.chunks ? job.chunkStarts[chunk + 1]! - 1 : job.rows;
  return [...(await store.rowRange(user.tenantId, job.id, first, last)).values()].sort((a, b) => a.row - b.row);
}
