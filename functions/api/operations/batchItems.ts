import { lazyValidator } from '../../engine/ajv';
import { EngineError, pointer } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { ApiRecord } from './records';

/*
 * A batch request as data: its limit, its items, and every problem of a malformed one at once.
 * Apart from `batch.ts` (which writes), so the OpenAPI document can state the limit cheaply.
 */

/**
 * Items per batch request. The same as a list page: 200 single writes of ~10 ms each keep a
 * batch around 2 s, well inside the function's 10 s, and the body inside its 1 MiB.
 */
export const MAX_BATCH_ITEMS = 200;

const RECORD_ID = '^[0-9A-HJKMNP-TV-Z]{26}$';
const ref = { type: 'string', minLength: 1, maxLength: 100 };
const values = { type: 'object' };
const validateEnvelope = lazyValidator({
  type: 'object',
  properties: { items: { type: 'array', minItems: 1, maxItems: MAX_BATCH_ITEMS, items: { type: 'object' } } },
  required: ['items'],
  additionalProperties: false,
});
const validateCreateItem = lazyValidator({
  type: 'object',
  properties: { op: { const: 'create' }, ref, values },
  required: ['op', 'values'],
  additionalProperties: false,
});
const validateUpdateItem = lazyValidator({
  type: 'object',
  properties: { op: { const: 'update' }, ref, id: { type: 'string', pattern: RECORD_ID }, version: { type: 'integer', minimum: 1 }, values },
  required: ['op', 'id', 'version', 'values'],
  additionalProperties: false,
});

export type BatchItem =
  | { readonly op: 'create'; readonly ref?: string; readonly values: Record<string, unknown> }
  | { readonly op: 'update'; readonly ref?: string; readonly id: string; readonly version: number; readonly values: Record<string, unknown> };

export interface BatchResult {
  readonly index: number;
  readonly ref?: string;
  readonly op: BatchItem['op'];
  /** What the same single write would have answered: 201, 200, or the problem's status. */
  readonly status: number;
  readonly record?: ApiRecord;
  /** The problem document the single write would have answered, pointers relative to `values`. */
  readonly problem?: Record<string, unknown>;
}

export interface BatchAnswer {
  readonly items: BatchResult[];
  readonly summary: { readonly created: number; readonly updated: number; readonly failed: number };
}

const invalid = (problems: readonly Problem[]) => new EngineError('request.invalid', 'The batch is not valid; nothing was written', problems);

/** Every problem of the request at once, each at its item's pointer; a batch with any is refused whole (400). */
export function parseBatch(body: unknown): BatchItem[] {
  const envelope = validateEnvelope(body);
  if (envelope.length > 0) throw invalid(envelope);
  const items = (body as { items: Array<Record<string, unknown>> }).items;
  const problems: Problem[] = [];
  const updated = new Map<string, number>();
  items.forEach((item, i) => {
    const validate = item.op === 'create' ? validateCreateItem : item.op === 'update' ? validateUpdateItem : null;
    if (!validate) {
      problems.push({ path: pointer('items', i, 'op'), code: 'enum', message: 'op must be "create" or "update"', params: { allowedValues: ['create', 'update'] } });
      return;
    }
    const found = validate(item);
    problems.push(...found.map((p) => ({ ...p, path: pointer('items', i) + p.path })));
    if (found.length === 0 && item.op === 'update') {
      // Two changes to one record in one batch would race each other's version; send them in order, in two batches.
      const first = updated.get(String(item.id));
      if (first !== undefined) problems.push({ path: pointer('items', i, 'id'), code: 'duplicate', message: `record ${String(item.id)} is already changed by item ${first}`, params: { item: first } });
      else updated.set(String(item.id), i);
    }
  });
  if (problems.length > 0) throw invalid(problems);
  return items as unknown as BatchItem[];
}
