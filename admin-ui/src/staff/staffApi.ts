/** The public API calls the staff app makes, typed loosely (records are metadata-driven). */
import { api, etagNumber } from '../api';
import type { ListState, ViewFilter } from './listQuery';
import { listParams } from './listQuery';

export type ApiRecord = Record<string, unknown> & { id: string; version: number; owner?: string };

export interface RecordPage {
  readonly items: ApiRecord[];
  readonly nextCursor: string | null;
  readonly meta: { servedBy: string; examined: number; residualFilters: string[] };
}

const o = (object: string) => `/api/objects/${encodeURIComponent(object)}`;

export const listRecords = async (object: string, state: ListState, extra: Readonly<Record<string, string>> = {}) => (await api<RecordPage>(`${o(object)}/records?${listParams(state, extra)}`)).data;

export const getRecord = async (object: string, id: string) => (await api<ApiRecord>(`${o(object)}/records/${id}`)).data;

export const createRecord = async (object: string, values: Record<string, unknown>) => (await api<ApiRecord>(`${o(object)}/records`, { method: 'POST', body: values })).data;

export const patchRecord = async (object: string, id: string, version: number, values: Record<string, unknown>) =>
  (await api<ApiRecord>(`${o(object)}/records/${id}`, { method: 'PATCH', body: values, headers: { 'if-match': `"${version}"` } })).data;

export const deleteRecord = async (object: string, id: string, version?: number) =>
  void (await api(`${o(object)}/records/${id}`, { method: 'DELETE', ...(version ? { headers: { 'if-match': `"${version}"` } } : {}) }));

export const recordAction = async (object: string, id: string, action: 'reassign' | 'take', version: number) =>
  (await api<ApiRecord>(`${o(object)}/records/${id}/${action}`, { method: 'POST', headers: { 'if-match': `"${version}"` } })).data;

/** `account`/`contact`: an existing record's id, or values for a new one; `opportunity`: `false` for none. */
export interface ConversionRequest {
  readonly account?: string | { values?: Record<string, unknown> };
  readonly contact?: string | { values?: Record<string, unknown> };
  readonly opportunity?: false | { values?: Record<string, unknown> };
}
export interface ConversionAnswer {
  readonly source: ApiRecord;
  readonly account: ApiRecord;
  readonly contact: ApiRecord;
  readonly opportunity: ApiRecord | null;
  readonly created: { account: boolean; contact: boolean; opportunity: boolean };
}
export const convertRecord = async (object: string, id: string, version: number, request: ConversionRequest) =>
  (await api<ConversionAnswer>(`${o(object)}/records/${id}/convert`, { method: 'POST', body: request, headers: { 'if-match': `"${version}"` } })).data;

export interface HistoryEntry {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly op: 'create' | 'update' | 'delete' | string;
  readonly version: number;
  readonly changes: Record<string, { old: unknown; new: unknown }>;
}
export const recordHistory = async (object: string, id: string, cursor?: string | null) =>
  (await api<{ items: HistoryEntry[]; nextCursor: string | null }>(`${o(object)}/records/${id}/history?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).data;

export interface RuleRun {
  readonly id: string;
  readonly rule: string;
  readonly kind: string;
  readonly trigger: string;
  readonly at?: string;
  readonly changedAt?: string;
  readonly outcome: string;
  /** `detail` says what an action did: an assignment's `{ entry, owner }`, a created record's id… */
  readonly actions: Array<{ index: number; type: string; status: string; detail?: Record<string, unknown>; error?: string }>;
  readonly error?: string;
}
export const recordRuns = async (object: string, id: string) => (await api<{ items: RuleRun[]; nextCursor: string | null }>(`${o(object)}/records/${id}/runs`)).data;

export const relatedRecords = async (object: string, id: string, relation: string, cursor?: string | null) =>
  (await api<RecordPage & { object: string; field: string }>(`${o(object)}/records/${id}/related/${relation}?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).data;

export interface AggregateAnswer {
  readonly groupBy: string | null;
  readonly groups: Array<{ key: string | null; count: number; sum: Record<string, number>; avg: Record<string, number | null>; sla?: { near: number; breached: number } }>;
  readonly total: number;
  readonly complete: boolean;
}
export const aggregate = async (object: string, filters: readonly ViewFilter[], groupBy: string | null, sum: readonly string[] = [], extra: Readonly<Record<string, string>> = {}) =>
  (await api<AggregateAnswer>(`${o(object)}/aggregate?${listParams({ filters, sort: null }, { ...(groupBy ? { groupBy } : {}), ...(sum.length ? { sum: sum.join(',') } : {}), ...extra })}`)).data;

/** Where a record stands against its workflow state's service level (`sla=true` on lists), from the server. */
export interface SlaMark {
  readonly state: string;
  readonly enteredAt: string;
  readonly dueAt: string;
  readonly status: 'ok' | 'near' | 'breached';
}

export type BatchItem = { op: 'create'; ref?: string; values: Record<string, unknown> } | { op: 'update'; ref?: string; id: string; version: number; values: Record<string, unknown> };
export interface BatchResult {
  readonly index: number;
  readonly ref?: string;
  readonly op: string;
  readonly status: number;
  readonly record?: ApiRecord;
  readonly problem?: { code: string; title?: string; detail?: string; errors?: Array<{ pointer: string; message: string }> };
}
export const runBatch = async (object: string, items: readonly BatchItem[]) =>
  (await api<{ items: BatchResult[]; summary: { created: number; updated: number; failed: number } }>(`${o(object)}/batch`, { method: 'POST', body: { items } })).data;

export interface SavedView {
  readonly id: string;
  readonly object: string;
  readonly owner: string;
  readonly name: string;
  readonly shared: boolean;
  readonly columns: string[];
  readonly filters: ViewFilter[];
  readonly sort: string | null;
  readonly groupBy: string | null;
  readonly version: number;
  readonly mine: boolean;
  readonly adjusted: boolean;
}
export type SavedViewBody = Pick<SavedView, 'name' | 'shared' | 'columns' | 'filters' | 'sort' | 'groupBy'>;
export const listViews = async (object: string) => (await api<{ items: SavedView[] }>(`${o(object)}/views`)).data.items;
export const saveView = async (object: string, body: SavedViewBody, existing?: SavedView) =>
  existing
    ? (await api<SavedView>(`${o(object)}/views/${existing.id}`, { method: 'PUT', body, headers: { 'if-match': `"${existing.version}"` } })).data
    : (await api<SavedView>(`${o(object)}/views`, { method: 'POST', body })).data;
export const deleteView = async (view: SavedView) => void (await api(`${o(view.object)}/views/${view.id}`, { method: 'DELETE', headers: { 'if-match': `"${view.version}"` } }));

export interface Notification {
  readonly id: string;
  readonly at: string;
  readonly message: { en?: string; 'zh-CN'?: string };
  readonly object?: string;
  readonly recordId?: string;
  readonly read: boolean;
}
export const myNotifications = async () => (await api<{ items: Notification[]; nextCursor: string | null }>('/api/notifications')).data;
export const markRead = async (id: string) => void (await api(`/api/notifications/${id}/read`, { method: 'POST' }));

export interface SearchAnswer {
  readonly results: Array<{ object: string; nameField: string; items: ApiRecord[] }>;
  readonly unsearchable: string[];
}
export const search = async (q: string, objects?: readonly string[], limit = 10) =>
  (await api<SearchAnswer>(`/api/search?q=${encodeURIComponent(q)}${objects ? `&objects=${objects.join(',')}` : ''}&limit=${limit}`)).data;

export { etagNumber };
