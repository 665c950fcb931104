import { lazyValidator } from '../../engine/ajv';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { EngineError, isEngineError } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { SYSTEM_FIELDS } from '../../engine/metadata/types';
import type { ObjectAccess } from '../../engine/permissions/access';
import { seesInClear } from '../../engine/permissions/recordView';
import { parseListRequest, planList } from '../../engine/query/listQuery';
import { SavedViewStore } from '../../store/savedViewStore';
import type { SavedView, SavedViewContent, ViewFilter } from '../../store/savedViewStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';
import { checkIfMatch } from './ifMatch';

/** A user keeps at most this many views per object; lists read at most this many shared ones per object. */
export const MAX_VIEWS_PER_USER = 50;
export const MAX_SHARED_VIEWS = 200;
export const MAX_VIEW_COLUMNS = 40;
export const MAX_VIEW_FILTERS = 10;

const GROUPABLE = new Set(['picklist', 'boolean', 'user', 'lookup']);

const validateShape = lazyValidator({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    shared: { type: 'boolean' },
    columns: { type: 'array', minItems: 1, maxItems: MAX_VIEW_COLUMNS, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } },
    filters: {
      type: 'array',
      maxItems: MAX_VIEW_FILTERS,
      items: {
        type: 'object',
        properties: { field: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' }, op: { type: 'string', maxLength: 20 }, value: { type: 'string', maxLength: 1000 } },
        required: ['field', 'op', 'value'],
        additionalProperties: false,
      },
    },
    sort: { type: ['string', 'null'], pattern: '^-?[a-z][a-z0-9_]{0,63}$' },
    groupBy: { type: ['string', 'null'], pattern: '^[a-z][a-z0-9_]{0,63}$' },
  },
  required: ['name', 'columns'],
  additionalProperties: false,
});

const stores = new WeakMap<Services, SavedViewStore>();
const storeOf = (services: Services) => {
  let store = stores.get(services);
  if (!store) stores.set(services, (store = new SavedViewStore(services.doc, services.tableName)));
  return store;
};

interface Target {
  readonly bundle: CompiledBundle;
  readonly object: CompiledObject;
  readonly access: ObjectAccess;
}

async function target(services: Services, user: UserContext, objectName: string): Promise<Target> {
  const bundle = await currentBundle(services, user.tenantId);
  const object = bundle.hasObject(objectName) ? bundle.object(objectName) : null;
  const access = object ? bundle.access(user.roles).object(object.name) : null;
  if (!object || !access?.can.read) throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  return { bundle, object, access };
}

/**
 * What the caller may see of a field, as lists decide it: hidden fields do not exist, masked ones
 * may be columns (shown masked) but cannot be filtered or sorted by, nor formulas computed on read.
 */
function fieldUse(t: Target) {
  const visible = (field: string) => (SYSTEM_FIELDS as readonly string[]).includes(field) || (t.object.fields.has(field) && t.access.fields.get(field)?.value !== 'hidden');
  const filterable = (field: string) => seesInClear(t.object, t.access, field) && !t.object.volatileFormulas.some((f) => f.field.name === field);
  const groupable = (field: string) => field === 'owner' || (t.object.fields.has(field) && visible(field) && GROUPABLE.has(t.object.fields.get(field)!.def.type) && !t.object.fields.get(field)!.def.sensitive);
  return { visible, filterable, groupable };
}

const queryOf = (filters: readonly ViewFilter[]) => Object.fromEntries(filters.map((f) => [`filter[${f.field}][${f.op}]`, f.value]));

/** Where a list-query problem about one filter belongs in the view: its field, its operator or its value. */
const FILTER_PART: Record<string, 'field' | 'op'> = { unknownField: 'field', unknownOperator: 'op', operatorNotSupported: 'op' };

/**
 * Every problem with a view's content at once, at pointers into the body: each filter is
 * parsed exactly as the list API would parse it, and the sort is planned under the view's
 * filters, so a view that saves is a view the list serves (no 400 when it is applied).
 */
function contentProblems(t: Target, content: SavedViewContent): Problem[] {
  const use = fieldUse(t);
  const problems: Problem[] = [];
  content.columns.forEach((c, i) => {
    if (!use.visible(c)) problems.push({ path: `/columns/${i}`, code: 'unknownField', message: `unknown field "${c}"`, params: { field: c } });
  });
  content.filters.forEach((f, i) => {
    try {
      parseListRequest(t.object, queryOf([f]), use.filterable);
    } catch (error) {
      if (!isEngineError(error)) throw error;
      for (const p of error.details) problems.push({ ...p, path: `/filters/${i}/${FILTER_PART[p.code] ?? 'value'}` });
    }
  });
  if (content.groupBy !== null && !use.groupable(content.groupBy)) {
    problems.push({ path: '/groupBy', code: 'notGroupable', message: 'group by owner or a visible picklist, boolean, user or lookup field', params: { field: content.groupBy } });
  }
  if (content.sort !== null && problems.length === 0) {
    try {
      // Planned as the widest scope would be: an index serves the sort or nothing does.
      planList(t.object, parseListRequest(t.object, { ...queryOf(content.filters), sort: content.sort }, use.filterable), null);
    } catch (error) {
      if (!isEngineError(error)) throw error;
      problems.push(...error.details.map((p) => ({ ...p, path: '/sort' })));
    }
  }
  return problems;
}

function parseContent(t: Target, body: unknown): SavedViewContent {
  const shape = validateShape(body);
  if (shape.length) throw new EngineError('validation.failed', 'The saved view is not valid', shape);
  const b = body as Partial<SavedViewContent> & { name: string; columns: string[] };
  const content: SavedViewContent = { name: b.name.trim(), shared: b.shared ?? false, columns: b.columns, filters: b.filters ?? [], sort: b.sort ?? null, groupBy: b.groupBy ?? null };
  const problems = [...(content.name ? [] : [{ path: '/name', code: 'minLength', message: 'must not be blank', params: { limit: 1 } }]), ...contentProblems(t, content)];
  if (problems.length) throw new EngineError('validation.failed', 'The saved view is not valid', problems);
  return content;
}

export type ViewForCaller = SavedView & {
  /** The caller's own view (they may change and delete it). */
  readonly mine: boolean;
  /** Parts naming fields the caller cannot use were left out (a view shared by someone who sees more). */
  readonly adjusted: boolean;
};

/**
 * A view as one caller may use it: columns, filters, sort and grouping on fields hidden from
 * them (or gone from the metadata) are left out, so a shared view neither names a hidden field
 * nor fails when applied.
 */
function forCaller(t: Target, user: UserContext, view: SavedView): ViewForCaller {
  const use = fieldUse(t);
  const columns = view.columns.filter(use.visible);
  const filters = view.filters.filter((f) => use.filterable(f.field) || (f.field === 'owner' && f.op === 'eq'));
  const sortField = view.sort?.replace(/^-/, '') ?? null;
  let sort = sortField !== null && (sortField === 'created_at' || use.filterable(sortField)) ? view.sort : null;
  if (sort !== null && filters.length !== view.filters.length) {
    // A declared index serves its sort only under its equality filters: without one of them, nothing may.
    try {
      planList(t.object, parseListRequest(t.object, { ...queryOf(filters), sort }, use.filterable), null);
    } catch (error) {
      if (!isEngineError(error)) throw error;
      sort = null;
    }
  }
  const groupBy = view.groupBy !== null && use.groupable(view.groupBy) ? view.groupBy : null;
  const adjusted = columns.length !== view.columns.length || filters.length !== view.filters.length || sort !== view.sort || groupBy !== view.groupBy;
  return { ...view, columns, filters, sort, groupBy, mine: view.owner === user.userId, adjusted };
}

/** The caller's own views of the object and everyone's shared ones, by name. */
export async function listSavedViews(services: Services, user: UserContext, objectName: string): Promise<ViewForCaller[]> {
  const t = await target(services, user, objectName);
  const store = storeOf(services);
  const [mine, shared] = await Promise.all([store.mine(user.tenantId, t.object.name, user.userId, MAX_VIEWS_PER_USER), store.shared(user.tenantId, t.object.name, MAX_SHARED_VIEWS)]);
  const byId = new Map<string, SavedView>();
  for (const v of [...mine, ...shared]) byId.set(v.id, v);
  return [...byId.values()].map((v) => forCaller(t, user, v)).sort((a, b) => Number(b.mine) - Number(a.mine) || a.name.localeCompare(b.name));
}

export async function createSavedView(services: Services, user: UserContext, objectName: string, body: unknown): Promise<ViewForCaller> {
  const t = await target(services, user, objectName);
  const content = parseContent(t, body);
  const store = storeOf(services);
  const existing = await store.mine(user.tenantId, t.object.name, user.userId, MAX_VIEWS_PER_USER);
  if (existing.length >= MAX_VIEWS_PER_USER) {
    throw new EngineError('validation.failed', `You keep at most ${MAX_VIEWS_PER_USER} views of an object`, [{ path: '', code: 'maxItems', message: `at most ${MAX_VIEWS_PER_USER} views per object`, params: { limit: MAX_VIEWS_PER_USER } }]);
  }
  const now = services.now().toISOString();
  const view: SavedView = { ...content, id: services.newId(), object: t.object.name, owner: user.userId, version: 1, createdAt: now, updatedAt: now };
  await store.put(user.tenantId, view, null);
  return forCaller(t, user, view);
}

/** Another user's shared view can be used, not changed: 403; a view the caller cannot see at all: 404. */
async function ownView(services: Services, user: UserContext, t: Target, id: string): Promise<SavedView> {
  const store = storeOf(services);
  const view = await store.get(user.tenantId, t.object.name, user.userId, id);
  if (view) return view;
  const shared = await store.shared(user.tenantId, t.object.name, MAX_SHARED_VIEWS);
  if (shared.some((v) => v.id === id)) throw new EngineError('access.denied', 'Only its owner may change a saved view');
  throw new EngineError('record.notFound', `There is no saved view ${id}`, [], { id });
}

export async function replaceSavedView(services: Services, user: UserContext, objectName: string, id: string, ifMatch: number | undefined, body: unknown): Promise<ViewForCaller> {
  const version = checkIfMatch(ifMatch, true, 'view');
  const t = await target(services, user, objectName);
  const before = await ownView(services, user, t, id);
  const content = parseContent(t, body);
  const view: SavedView = { ...before, ...content, version: version + 1, updatedAt: services.now().toISOString() };
  await storeOf(services).put(user.tenantId, view, version);
  return forCaller(t, user, view);
}

export async function deleteSavedView(services: Services, user: UserContext, objectName: string, id: string, ifMatch: number | undefined): Promise<void> {
  const version = checkIfMatch(ifMatch, false, 'view');
  const t = await target(services, user, objectName);
  await ownView(services, user, t, id);
  await storeOf(services).delete(user.tenantId, t.object.name, user.userId, id, version);
}
