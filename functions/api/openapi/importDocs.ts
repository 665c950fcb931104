/**
 * What the OpenAPI document says about CSV import, duplicate groups and merges
 * (functions/api/routes/imports.ts), kept beside the main table in routeDocs.ts and merged into it.
 */
import type { RouteDoc } from './routeDocs';

const ID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'A ULID' };
const text = (maxLength = 200) => ({ type: 'string', maxLength });
const loose = (description: string) => ({ type: 'object', description, additionalProperties: true });

const IMPORT_COUNTS = { type: 'object', additionalProperties: { type: 'integer' } };
const PROGRESS = {
  type: ['object', 'null'],
  properties: { nextChunk: { type: 'integer' }, done: { type: 'boolean' }, rowsDone: { type: 'integer' }, counts: IMPORT_COUNTS, startedAt: { type: 'string', format: 'date-time' }, finishedAt: { type: 'string', format: 'date-time' }, automation: { type: 'boolean', description: 'The run: its automation switch, recorded when it starts' } },
};
const IMPORT_JOB = {
  type: 'object',
  properties: {
    id: ID,
    object: { type: 'string' },
    name: text(200),
    status: { enum: ['uploaded', 'ready', 'running', 'completed', 'undoing', 'undone'] },
    encoding: { type: 'string' },
    headers: { type: 'array', items: { type: 'string' } },
    rows: { type: 'integer' },
    chunks: { type: 'integer', description: 'Batches: each call of run, dry-run or undo processes one' },
    suggestions: { type: 'array', items: { type: 'object', properties: { column: { type: 'integer' }, header: { type: 'string' }, field: { type: ['string', 'null'] }, by: { type: ['string', 'null'] } } } },
    settings: {
      type: ['object', 'null'],
      properties: { mapping: { type: 'array', items: { type: ['string', 'null'] } }, mode: { enum: ['create', 'update', 'upsert'] }, matchOn: { type: ['string', 'null'] }, automation: { type: 'boolean' } },
    },
    dryRun: PROGRESS,
    run: PROGRESS,
    undo: { type: ['object', 'null'], properties: { afterRow: { type: 'integer' }, done: { type: 'boolean' }, counts: IMPORT_COUNTS, automation: { type: 'boolean', description: 'Whether the undo’s deletes and restores run automations: as the import ran' } } },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: ID,
    revision: { type: 'integer' },
  },
  required: ['id', 'object', 'status', 'headers', 'rows'],
};
const IMPORT_ERRORS = [400, 403, 404, 409];

export const IMPORT_ROUTE_DOCS: Record<string, RouteDoc> = {
  'POST /api/imports': {
    summary: 'Upload a CSV for import into an object: {object, csv | csvBase64, encoding?, delimiter?, name?}; answers the job with a suggested mapping (importData)',
    auth: true,
    tag: 'imports',
    operationId: 'createImport',
    description:
      'The file is `csv` (text) or `csvBase64` (its bytes: UTF-8 with or without BOM, UTF-16 with BOM, or GBK — detected, or named in `encoding`). Quoted newlines and quotes follow RFC 4180; cells our export defused (`\'=…`) come back as they were. ' +
      'Each column gets a suggested field: by API name or by label in English or Chinese, compared without case, width, spaces or punctuation. The body limit (1 MiB) bounds the file; nothing is stored when it cannot be read.',
    body: {
      type: 'object',
      properties: { object: { type: 'string' }, name: text(200), csv: { type: 'string' }, csvBase64: { type: 'string', contentEncoding: 'base64' }, encoding: { enum: ['auto', 'utf-8', 'gbk', 'gb18030', 'utf-16le'] }, delimiter: { enum: [',', ';', '\t', '|'] } },
      required: ['object'],
      additionalProperties: false,
    },
    ok: { status: 201, description: 'The job, with the columns and a suggested mapping', body: IMPORT_JOB },
    errors: [400, 403, 404, 413, 415],
    needs: 'importData',
  },
  'GET /api/imports': {
    summary: 'Your import jobs, newest first (importData)',
    auth: true,
    tag: 'imports',
    operationId: 'listImports',
    query: [
      { name: 'limit', description: 'Jobs per page', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Jobs', body: { type: 'object', properties: { items: { type: 'array', items: IMPORT_JOB }, nextCursor: { type: ['string', 'null'] } }, required: ['items'] } },
    errors: [400, 403],
    needs: 'importData',
  },
  'GET /api/imports/{id}': { summary: 'An import job: settings, status and progress with counts', auth: true, tag: 'imports', operationId: 'getImport', ok: { status: 200, description: 'The job', body: IMPORT_JOB }, errors: [403, 404], needs: 'importData' },
  'PATCH /api/imports/{id}': {
    summary: 'Set an import’s column mapping, mode (create, update, upsert), match key and automation switch, until it runs',
    auth: true,
    tag: 'imports',
    operationId: 'configureImport',
    description: '`mapping` has one field name (or null) per column; `matchOn` is a unique or indexed field (or `id`) mapped to a column, needed for update and upsert (with create, rows that match are skipped). `automation: false` runs no before-save or after-save rule and no assignment for the import’s writes; validation always runs. A change clears an earlier dry run.',
    body: { type: 'object', properties: { mapping: { type: 'array', items: { type: ['string', 'null'] } }, mode: { enum: ['create', 'update', 'upsert'] }, matchOn: { type: ['string', 'null'] }, automation: { type: 'boolean' } }, additionalProperties: false },
    ok: { status: 200, description: 'The job with its settings', body: IMPORT_JOB },
    errors: [400, 403, 404, 409, 415, 422],
    needs: 'importData',
  },
  'POST /api/imports/{id}/dry-run': {
    summary: 'Plan the next batch of rows without writing: what would be created, updated, skipped, and every row’s problems',
    auth: true,
    tag: 'imports',
    operationId: 'dryRunImport',
    description: 'Each row goes through the same write as the run — permissions, validation, rules, unique values, references and duplicate rules — against a store that checks and does not write — and each planned row against the file’s earlier rows under the duplicate rules (a block rule fails the row as the run will, `record.duplicate` with `rows`; a warn rule adds `fileDuplicates`). Outcomes are listed by `GET …/rows?phase=dryRun`.',
    ok: { status: 200, description: 'The job with the dry run’s progress', body: IMPORT_JOB },
    errors: IMPORT_ERRORS,
    needs: 'importData',
  },
  'POST /api/imports/{id}/run': {
    summary: 'Import the next batch of rows (≤100) and answer the progress; call again until done (resumes safely after a failure)',
    auth: true,
    tag: 'imports',
    operationId: 'runImport',
    description: 'Each row is the single write it stands for, as you. A row’s outcome (and an updated record’s before-image) commits in that write’s transaction and new records get ids derived from the job and row, so calling again after a failure never writes a row twice.',
    ok: { status: 200, description: 'The job with the run’s progress and counts', body: IMPORT_JOB },
    errors: IMPORT_ERRORS,
    needs: 'importData',
  },
  'POST /api/imports/{id}/undo': {
    summary: 'Undo the next batch of an import: delete what it created, restore what it updated (records changed since are reported)',
    auth: true,
    tag: 'imports',
    operationId: 'undoImport',
    ok: { status: 200, description: 'The job with the undo’s progress: deleted, restored, conflict (changed since), gone, failed', body: IMPORT_JOB },
    errors: IMPORT_ERRORS,
    needs: 'importData',
  },
  'GET /api/imports/{id}/rows': {
    summary: 'Row outcomes of the run or dry run (phase), one batch per page, optionally one outcome',
    auth: true,
    tag: 'imports',
    operationId: 'importRows',
    query: [
      { name: 'phase', description: 'run (default once the run started) or dryRun', schema: { enum: ['run', 'dryRun'] } },
      { name: 'outcome', description: 'Only rows with this outcome (created, updated, skipped, failed; create, update, skip, fail for a dry run)', schema: { type: 'string' } },
      { name: 'cursor', description: 'The next batch, from `nextCursor`', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Outcomes: row, outcome, record id, reason or problem (at field pointers), duplicates found', body: loose('Row outcomes') },
    errors: [400, 403, 404],
    needs: 'importData',
  },
  'GET /api/imports/{id}/errors': {
    summary: 'The failed rows as CSV with their problems, to fix and upload again',
    auth: true,
    tag: 'imports',
    operationId: 'importErrors',
    query: [{ name: 'phase', description: 'run (default once the run started) or dryRun', schema: { enum: ['run', 'dryRun'] } }],
    ok: { status: 200, description: 'CSV (UTF-8 with BOM): row number, the cells as uploaded, problems; formulas defused', body: { object: 'csv' } },
    errors: [400, 403, 404],
    needs: 'importData',
  },
  'GET /api/objects/{object}/duplicates': {
    summary: 'Groups of records a duplicate rule finds alike: rule, limit, cursor',
    auth: true,
    tag: 'imports',
    operationId: 'duplicateGroups',
    query: [
      { name: 'rule', description: 'A duplicate rule of the object (default: its first active one)', schema: { type: 'string' } },
      { name: 'limit', description: 'Groups per page', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { name: 'cursor', description: 'Opaque, from `nextCursor`', schema: { type: 'string' } },
    ],
    ok: { status: 200, description: 'Groups of records you may read, each with its lowest similarity', body: loose('Duplicate groups') },
    errors: [400, 404],
    needs: 'read',
  },
  'POST /api/objects/{object}/merge': {
    summary: 'Merge one or two records into a survivor: chosen values survive, related records are re-pointed, history keeps the merge',
    auth: true,
    tag: 'imports',
    operationId: 'mergeRecords',
    description:
      '`{"survivor": {"id", "version"}, "merged": [{"id", "version"}], "values": {"field": "<id of the record whose value survives>"}}`. Fields not named keep the survivor’s value, or take the first merged record’s where the survivor’s is blank. ' +
      'Records that look up to a merged record point at the survivor afterwards; the survivor’s history names the merged records, theirs names the survivor; the merged records are deleted. One transaction when it fits, otherwise re-pointing first in batches (asking again finishes an interrupted merge). ' +
      'Lookups without an index cannot be followed: the merge is refused naming them unless `skipUnindexed` is true. With `preview: true` nothing is written: the answer is the survivor with the values it would take, `_repointed` counts per lookup and `_preview`.',
    body: { type: 'object', properties: { survivor: { type: 'object' }, merged: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'object' } }, values: { type: 'object', additionalProperties: { type: 'string' } }, skipUnindexed: { type: 'boolean' }, preview: { type: 'boolean', default: false } }, required: ['survivor', 'merged'], additionalProperties: false },
    ok: { status: 200, description: 'The survivor as you may see it, with `_merged` and `_repointed`', body: { object: 'record' } },
    errors: [400, 403, 404, 409, 412, 415, 422],
    needs: 'update',
  },
};
