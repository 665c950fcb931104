import { EngineError } from '../../engine/errors';
import type { AuthedRequest, Route } from '../http';
import { ifMatchVersion, json, noContent } from '../http';
import {
  deleteDraftObject,
  diffVersions,
  discardDraft,
  getDraft,
  getPublished,
  listVersions,
  publishDraft,
  purgeField,
  putDraftObject,
  replaceDraft,
  rollback,
  validateDraft,
} from '../operations/metadata';
import type { DraftView } from '../operations/metadata';
import { callerAccess, requireAdmin, visibleBundle } from '../operations/adminAccess';

const draftResponse = (draft: DraftView) => json(200, draft, { etag: `"${draft.revision}"` });

/** If-Match on draft routes names the draft revision; when absent the change applies to the current one. */
function revision(req: AuthedRequest): number | undefined {
  const v = ifMatchVersion(req.headers);
  if (v !== undefined && Number.isNaN(v)) throw new EngineError('request.invalid', 'If-Match must be a draft revision', [{ path: '/headers/if-match', code: 'type', message: 'must be a number' }]);
  return v;
}

function versionNumber(raw: unknown, path: string): number {
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 999_999_999) {
    throw new EngineError('request.invalid', `${path.slice(1)} must be a version number`, [{ path, code: 'type', message: 'must be a positive integer' }]);
  }
  return n;
}

function optionalNote(body: unknown): string | undefined {
  const note = (body as { note?: unknown } | undefined)?.note;
  if (note === undefined) return undefined;
  if (typeof note !== 'string' || note.length > 500) throw new EngineError('request.invalid', 'note must be text of at most 500 characters', [{ path: '/note', code: 'type', message: 'must be a string of at most 500 characters' }]);
  return note;
}

const migrationsOf = (body: unknown): unknown => (body as { migrations?: unknown } | undefined)?.migrations;

const managed = (route: Extract<Route, { auth: true }>): Route => ({
  ...route,
  handle: async (req: AuthedRequest) => {
    await requireAdmin(req.services, req.user, 'manageMetadata');
    return route.handle(req);
  },
});

export const metadataRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/metadata',
    group: 'metadata',
    auth: true,
    summary: 'The published metadata (head, or ?version=n)',
    handle: async (req) => {
      const access = await callerAccess(req.services, req.user);
      // Earlier versions are for metadata managers; everyone else sees the head, filtered to what they may read.
      const version = req.query.version ? versionNumber(req.query.version, '/version') : undefined;
      if (version !== undefined && !access.can('manageMetadata')) throw new EngineError('access.denied', 'Earlier versions need the manageMetadata permission');
      const stored = await getPublished(req.services, req.user, version);
      return json(200, { version: stored.version, publishedAt: stored.publishedAt, publishedBy: stored.publishedBy, ...visibleBundle(stored.bundle, access) }, { etag: `"${stored.version}"` });
    },
  },
  managed({
    method: 'GET',
    path: '/api/metadata/versions',
    group: 'metadata',
    auth: true,
    summary: 'Published versions, newest first',
    handle: async (req) => {
      const limit = req.query.limit ? Math.min(versionNumber(req.query.limit, '/limit'), 200) : 50;
      const before = req.query.before ? versionNumber(req.query.before, '/before') : undefined;
      return json(200, { items: await listVersions(req.services, req.user, limit, before) });
    },
  }),
  managed({
    method: 'GET',
    path: '/api/metadata/diff',
    group: 'metadata',
    auth: true,
    summary: 'Differences between two versions (from, to: number, head or draft)',
    handle: async (req) => json(200, await diffVersions(req.services, req.user, req.query.from, req.query.to)),
  }),
  managed({
    method: 'GET',
    path: '/api/metadata/draft',
    group: 'metadata',
    auth: true,
    summary: 'The draft (or the head when there is no draft)',
    handle: async (req) => draftResponse(await getDraft(req.services, req.user)),
  }),
  managed({
    method: 'PUT',
    path: '/api/metadata/draft',
    group: 'metadata',
    auth: true,
    summary: 'Replace the whole draft',
    handle: async (req) => draftResponse(await replaceDraft(req.services, req.user, req.body, revision(req))),
  }),
  managed({
    method: 'DELETE',
    path: '/api/metadata/draft',
    group: 'metadata',
    auth: true,
    summary: 'Discard the draft',
    handle: async (req) => {
      await discardDraft(req.services, req.user);
      return noContent();
    },
  }),
  managed({
    method: 'PUT',
    path: '/api/metadata/draft/objects/{name}',
    group: 'metadata',
    auth: true,
    summary: 'Add or replace an object in the draft',
    handle: async (req) => draftResponse(await putDraftObject(req.services, req.user, req.params.name ?? '', req.body, revision(req))),
  }),
  managed({
    method: 'DELETE',
    path: '/api/metadata/draft/objects/{name}',
    group: 'metadata',
    auth: true,
    summary: 'Remove an object from the draft',
    handle: async (req) => draftResponse(await deleteDraftObject(req.services, req.user, req.params.name ?? '', revision(req))),
  }),
  managed({
    method: 'POST',
    path: '/api/metadata/validate',
    group: 'metadata',
    auth: true,
    summary: 'Validate the draft: every problem at once, each at a JSON Pointer',
    handle: async (req) => {
      const report = await validateDraft(req.services, req.user);
      return json(200, { ...report, problems: report.problems.map((p) => ({ pointer: p.path, code: p.code, message: p.message, ...(p.params ? { params: p.params } : {}) })) });
    },
  }),
  managed({
    method: 'POST',
    path: '/api/metadata/publish',
    group: 'metadata',
    auth: true,
    summary: 'Publish the draft as the next version; {"migrations": [...]} runs the data migrations a refusal offered',
    handle: async (req) => json(201, await publishDraft(req.services, req.user, optionalNote(req.body), migrationsOf(req.body))),
  }),
  managed({
    method: 'POST',
    path: '/api/metadata/rollback',
    group: 'metadata',
    auth: true,
    summary: "Publish an earlier version's content again",
    handle: async (req) => {
      const version = versionNumber((req.body as { version?: unknown } | undefined)?.version, '/version');
      return json(201, await rollback(req.services, req.user, version, optionalNote(req.body), migrationsOf(req.body)));
    },
  }),
  managed({
    method: 'POST',
    path: '/api/metadata/purge',
    group: 'metadata',
    auth: true,
    summary: 'Erase the stored values of a removed field: {"object", "field"} (a removed field keeps its data until purged)',
    handle: async (req) => {
      const body = (req.body ?? {}) as { object?: unknown; field?: unknown };
      return json(200, await purgeField(req.services, req.user, body.object, body.field));
    },
  }),
  managed({
    method: 'GET',
    path: '/api/metadata/versions/{version}',
    group: 'metadata',
    auth: true,
    summary: 'One published version',
    handle: async (req) => {
      const stored = await getPublished(req.services, req.user, versionNumber(req.params.version, '/version'));
      return json(200, stored);
    },
  }),
];
