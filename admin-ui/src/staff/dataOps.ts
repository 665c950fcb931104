/** The data-operation calls of the staff app: CSV import jobs, duplicate groups, merges (see functions/api/routes/imports.ts). */
import { api, session } from '../api';
import type { ImportJob } from '../../../functions/api/operations/imports/importJobs';
import type { ApiRecord } from './staffApi';

/** The job as the API answers it (`jobView`: the stored job without its keys). */
export type { ImportJob } from '../../../functions/api/operations/imports/importJobs';
export type { ImportMode } from '../../../functions/engine/imports/mapping';

export interface RowProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly params?: Record<string, unknown>;
}

export interface RowOutcome {
  readonly row: number;
  readonly outcome: string;
  readonly recordId?: string;
  readonly reason?: string;
  readonly problem?: { code: string; title?: string; detail?: string; errors?: RowProblem[] };
  readonly duplicates?: Array<{ rule: string; id: string; name?: unknown; score: number }>;
  readonly fileDuplicates?: Array<{ rule: string; action: string; row: number; score: number }>;
  readonly undo?: { outcome: string; currentVersion?: number };
}

/** The file's bytes as base64, so the server detects the encoding (UTF-8, BOMs, GBK). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const createImport = async (object: string, name: string, csvBase64: string, encoding: string) =>
  (await api<ImportJob>('/api/imports', { method: 'POST', body: { object, name, csvBase64, encoding } })).data;
export const configureImport = async (id: string, settings: NonNullable<ImportJob['settings']>) => (await api<ImportJob>(`/api/imports/${id}`, { method: 'PATCH', body: settings })).data;
export const getImport = async (id: string) => (await api<ImportJob>(`/api/imports/${id}`)).data;
export const listImports = async () => (await api<{ items: ImportJob[]; nextCursor: string | null }>('/api/imports?limit=200')).data.items;
export const importStep = async (id: string, step: 'dry-run' | 'run' | 'undo') => (await api<ImportJob>(`/api/imports/${id}/${step}`, { method: 'POST' })).data;

/** Every row outcome of a phase, batch after batch (optionally only one outcome). */
export async function importRows(id: string, phase: 'dryRun' | 'run', outcome?: string): Promise<RowOutcome[]> {
  const out: RowOutcome[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: RowOutcome[]; nextCursor: string | null } = (await api<{ items: RowOutcome[]; nextCursor: string | null }>(`/api/imports/${id}/rows?phase=${phase}${outcome ? `&outcome=${outcome}` : ''}${cursor ? `&cursor=${cursor}` : ''}`)).data;
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The error report's text (CSV, UTF-8 with BOM). */
export async function importErrorReport(id: string, phase: 'dryRun' | 'run'): Promise<{ blob: Blob; name: string }> {
  const res = await fetch(`/api/imports/${id}/errors?phase=${phase}`, { headers: { authorization: `Bearer ${session.token()}` } });
  if (!res.ok) throw new Error(res.statusText);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'errors.csv';
  return { blob: await res.blob(), name };
}

/** Saves a blob as a file through a temporary link. */
export function download(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export interface DuplicateGroup {
  readonly records: ApiRecord[];
  /** The lowest similarity between members (1 for exact rules). */
  readonly score: number;
}
export const duplicateGroups = async (object: string, rule?: string, cursor?: string | null) =>
  (await api<{ rule: string; groups: DuplicateGroup[]; nextCursor: string | null }>(`/api/objects/${object}/duplicates?limit=50${rule ? `&rule=${encodeURIComponent(rule)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).data;

export interface MergeBody {
  readonly survivor: { id: string; version: number };
  readonly merged: Array<{ id: string; version: number }>;
  readonly values: Record<string, string>;
  readonly preview?: boolean;
}
export type MergeAnswer = ApiRecord & { _merged: string[]; _repointed: Record<string, number>; _notRepointed?: string[] };
export const mergeRecords = async (object: string, body: MergeBody) => (await api<MergeAnswer>(`/api/objects/${object}/merge`, { method: 'POST', body })).data;
