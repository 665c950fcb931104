import type { AuthedRequest, Route } from '../http';
import { json } from '../http';
import { configureImport, createImport, getImport, listImports } from '../operations/imports/importJobs';
import { runImportBatch } from '../operations/imports/importRun';
import { importErrorReport, importRows, undoImportBatch } from '../operations/imports/importUndo';
import { findDuplicateGroups } from '../operations/duplicates';
import { mergeRecords } from '../operations/merge';

const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** CSV import jobs, duplicate groups and merges: data operations, served by the data function beside export and search. */
export const importRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/imports',
    group: 'data',
    auth: true,
    summary: 'Upload a CSV for import into an object: {object, csv | csvBase64, encoding?, delimiter?, name?}; answers the job with a suggested mapping (importData)',
    handle: async (req) => json(201, await createImport(req.services, req.user, req.body)),
  },
  {
    method: 'GET',
    path: '/api/imports',
    group: 'data',
    auth: true,
    summary: 'Your import jobs, newest first (importData)',
    handle: async (req) => json(200, await listImports(req.services, req.user, req.query)),
  },
  {
    method: 'GET',
    path: '/api/imports/{id}',
    group: 'data',
    auth: true,
    summary: 'An import job: settings, status and progress with counts',
    handle: async (req) => json(200, await getImport(req.services, req.user, param(req, 'id'))),
  },
  {
    method: 'PATCH',
    path: '/api/imports/{id}',
    group: 'data',
    auth: true,
    summary: 'Set an import’s column mapping, mode (create, update, upsert), match key and automation switch, until it runs',
    handle: async (req) => json(200, await configureImport(req.services, req.user, param(req, 'id'), req.body)),
  },
  {
    method: 'POST',
    path: '/api/imports/{id}/dry-run',
    group: 'data',
    auth: true,
    summary: 'Plan the next batch of rows without writing: what would be created, updated, skipped, and every row’s problems',
    handle: async (req) => json(200, await runImportBatch(req.services, req.user, param(req, 'id'), 'dryRun', req.locale)),
  },
  {
    method: 'POST',
    path: '/api/imports/{id}/run',
    group: 'data',
    auth: true,
    summary: 'Import the next batch of rows (≤100) and answer the progress; call again until done (resumes safely after a failure)',
    handle: async (req) => json(200, await runImportBatch(req.services, req.user, param(req, 'id'), 'run', req.locale)),
  },
  {
    method: 'POST',
    path: '/api/imports/{id}/undo',
    group: 'data',
    auth: true,
    summary: 'Undo the next batch of an import: delete what it created, restore what it updated (records changed since are reported)',
    handle: async (req) => json(200, await undoImportBatch(req.services, req.user, param(req, 'id'), req.locale)),
  },
  {
    method: 'GET',
    path: '/api/imports/{id}/rows',
    group: 'data',
    auth: true,
    summary: 'Row outcomes of the run or dry run (phase), one batch per page, optionally one outcome',
    handle: async (req) => json(200, await importRows(req.services, req.user, param(req, 'id'), req.query)),
  },
  {
    method: 'GET',
    path: '/api/imports/{id}/errors',
    group: 'data',
    auth: true,
    summary: 'The failed rows as CSV with their problems, to fix and upload again',
    handle: async (req) => {
      const { csv, rows, name } = await importErrorReport(req.services, req.user, param(req, 'id'), req.query);
      return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'x-tessera-rows': String(rows) }, body: csv };
    },
  },
  {
    method: 'GET',
    path: '/api/objects/{object}/duplicates',
    group: 'data',
    auth: true,
    summary: 'Groups of records a duplicate rule finds alike: rule, limit, cursor',
    handle: async (req) => json(200, await findDuplicateGroups(req.services, req.user, param(req, 'object'), req.query)),
  },
  {
    method: 'POST',
    path: '/api/objects/{object}/merge',
    group: 'data',
    auth: true,
    summary: 'Merge one or two records into a survivor: chosen values survive, related records are re-pointed, history keeps the merge',
    handle: async (req) => json(200, await mergeRecords(req.services, req.user, param(req, 'object'), req.body, req.locale)),
  },
];
