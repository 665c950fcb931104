import { TABLE_SPEC } from './keys';
import { RESTORED_VERSION } from './recordItems';
import { timerDueKeys } from './timerStore';

/*
 * How one item of a tenant export is written and read back. Keys start with `T#<tenant>#`, so
 * replacing that prefix (and every `tenant` attribute) with a placeholder lets an export be
 * restored under any tenant id. Three kinds name their tenant elsewhere and are fixed by kind:
 * a pending timer's due-index attributes (`P#TIMERDUE#<shard>`, `<due>#<tenant>#…`, the shard
 * hashed from the tenant) are dropped and rebuilt; an API key's hint (`tsk_<tenant>_<id>_…`)
 * names the tenant after `tsk_`; a record gets the restore's marker (RESTORED_VERSION).
 */

export type Item = Record<string, unknown>;

const PLACEHOLDER = '{{tenant}}';
const API_KEY_HINT = 'tsk_';

function encode(value: unknown, tenant: string): unknown {
  if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
  if (typeof value === 'string') return value.startsWith(`T#${tenant}#`) ? `T#${PLACEHOLDER}#${value.slice(tenant.length + 3)}` : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, tenant));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'tenant' ? PLACEHOLDER : encode(v, tenant)]));
  return value;
}

function decode(value: unknown, tenant: string): unknown {
  if (typeof value === 'string') return value.startsWith(`T#${PLACEHOLDER}#`) ? `T#${tenant}#${value.slice(PLACEHOLDER.length + 3)}` : value === PLACEHOLDER ? tenant : value;
  if (Array.isArray(value)) return value.map((v) => decode(v, tenant));
  if (value && typeof value === 'object') {
    if ('$b64' in value && Object.keys(value).length === 1) return Buffer.from(String((value as { $b64: string }).$b64), 'base64');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, tenant)]));
  }
  return value;
}

const swapPrefix = (value: unknown, from: string, to: string) => (typeof value === 'string' && value.startsWith(from) ? `${to}${value.slice(from.length)}` : value);

/** One stored item as a line of the export. */
export function exportLine(item: Item, tenant: string): string {
  let out = item;
  if (item.kind === 'timer') {
    const { byOwner } = TABLE_SPEC.indexes;
    const { [byOwner.partitionKey]: _pk, [byOwner.sortKey]: _sk, ...rest } = item;
    out = rest;
  } else if (item.kind === 'apiKey') {
    out = { ...item, hint: swapPrefix(item.hint, `${API_KEY_HINT}${tenant}_`, `${API_KEY_HINT}${PLACEHOLDER}_`) };
  }
  return JSON.stringify(encode(out, tenant));
}

/** A line of the export as the item to put under `tenant`. */
export function importItem(line: unknown, tenant: string): Item {
  const item = decode(line, tenant) as Item;
  if (item.kind === 'timer' && item.state === 'pending') {
    return { ...item, ...timerDueKeys({ tenant, object: String(item.object), recordId: String(item.recordId), rule: String(item.rule), dueAt: String(item.dueAt) }) };
  }
  if (item.kind === 'apiKey') return { ...item, hint: swapPrefix(item.hint, `${API_KEY_HINT}${PLACEHOLDER}_`, `${API_KEY_HINT}${tenant}_`) };
  if (item.kind === 'record' && item.sk === 'R') return { ...item, [RESTORED_VERSION]: item.version };
  return item;
}
