import { EngineError } from '../../engine/errors';
import type { Locale } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import { STATUS, problemDocument, toEngineError } from '../problem';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';
import { createRecord, patchRecord } from './records';
import { parseBatch } from './batchItems';
import type { BatchAnswer, BatchItem, BatchResult } from './batchItems';

export { MAX_BATCH_ITEMS } from './batchItems';

/**
 * Creates and changes records of one object, in order, each exactly as its single write
 * would (the same `createRecord` / `patchRecord`, so the same validation, permissions,
 * unique checks, roll-ups and history). Each item succeeds or fails on its own and reports
 * its own status; a malformed batch writes nothing.
 */
export async function runBatch(services: Services, user: UserContext, objectName: string, body: unknown, locale: Locale): Promise<BatchAnswer> {
  // An object the caller may not read does not exist for them: one 404, not one per item.
  const bundle = await currentBundle(services, user.tenantId);
  if (!bundle.hasObject(objectName) || !bundle.access(user.roles).object(objectName).can.read) {
    throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  }
  const items = parseBatch(body);
  const results: BatchResult[] = [];
  for (const [index, item] of items.entries()) {
    const base = { index, ...(item.ref !== undefined ? { ref: item.ref } : {}), op: item.op };
    try {
      const record = item.op === 'create' ? await createRecord(services, user, objectName, item.values) : await patchRecord(services, user, objectName, item.id, item.version, item.values);
      results.push({ ...base, status: item.op === 'create' ? 201 : 200, record });
    } catch (thrown) {
      const error = toEngineError(thrown);
      if (error.code === 'internal.error') console.error(JSON.stringify({ level: 'error', batchItem: index, error: String(thrown), stack: (thrown as Error)?.stack }));
      results.push({ ...base, status: STATUS[error.code], problem: problemDocument(error, locale) });
    }
  }
  const ok = (op: BatchItem['op']) => results.filter((r) => r.op === op && r.record).length;
  return { items: results, summary: { created: ok('create'), updated: ok('update'), failed: results.filter((r) => !r.record).length } };
}
