/**
 * Bulk actions over selected records: changes go through the batch API (200 items a request,
 * each item the same write as a single PATCH with its version), deletes one request per
 * record (the batch API creates and updates only). Progress and per-item results come back
 * as each request answers.
 */
import { ApiError } from '../api';
import type { ApiRecord, BatchItem, BatchResult } from './staffApi';
import { deleteRecord, runBatch } from './staffApi';

export const BATCH_LIMIT = 200;
const DELETE_PARALLEL = 4;

export interface BulkOutcome {
  readonly id: string;
  readonly ok: boolean;
  readonly status: number;
  readonly message?: string;
  readonly record?: ApiRecord;
}

export function chunk<T>(items: readonly T[], size = BATCH_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function updateItems(records: ReadonlyArray<Pick<ApiRecord, 'id' | 'version'>>, values: Record<string, unknown>): BatchItem[] {
  return records.map((r) => ({ op: 'update', ref: r.id, id: r.id, version: r.version, values }));
}

/** A batch item's result as the list shows it: the record, or the problem's first message at its field. */
export function outcomeOf(result: BatchResult, id: string): BulkOutcome {
  const ok = result.status >= 200 && result.status < 300;
  const problem = result.problem;
  const message = problem ? [problem.errors?.map((e) => e.message).join('; '), problem.detail ?? problem.title].filter(Boolean)[0] : undefined;
  return { id, ok, status: result.status, ...(message ? { message } : {}), ...(result.record ? { record: result.record } : {}) };
}

export const summarize = (outcomes: readonly BulkOutcome[]) => ({ ok: outcomes.filter((o) => o.ok).length, failed: outcomes.filter((o) => !o.ok).length });

export async function bulkUpdate(object: string, records: readonly ApiRecord[], values: Record<string, unknown>, progress: (done: BulkOutcome[]) => void): Promise<BulkOutcome[]> {
  const done: BulkOutcome[] = [];
  for (const part of chunk(records)) {
    try {
      const answer = await runBatch(object, updateItems(part, values));
      answer.items.forEach((r, i) => done.push(outcomeOf(r, r.ref ?? part[i]!.id)));
    } catch (error) {
      // The whole request was refused (or the network failed): every item of it failed the same way.
      const message = error instanceof ApiError ? [error.message, ...error.problems.map((p) => p.message)].join(' — ') : String(error);
      for (const r of part) done.push({ id: r.id, ok: false, status: error instanceof ApiError ? error.status : 0, message });
    }
    progress([...done]);
  }
  return done;
}

export async function bulkDelete(object: string, records: readonly ApiRecord[], progress: (done: BulkOutcome[]) => void): Promise<BulkOutcome[]> {
  const done: BulkOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const r = records[next++]!;
      try {
        await deleteRecord(object, r.id, r.version);
        done.push({ id: r.id, ok: true, status: 204 });
      } catch (error) {
        done.push({ id: r.id, ok: false, status: error instanceof ApiError ? error.status : 0, message: error instanceof Error ? error.message : String(error) });
      }
      progress([...done]);
    }
  };
  await Promise.all(Array.from({ length: DELETE_PARALLEL }, worker));
  return done;
}
