import { createHash } from 'node:crypto';
import { EngineError } from '../engine/errors';

/**
 * Cursors are opaque to clients: base64url JSON of the last key read and a hash of the
 * query it belongs to. A cursor is refused (400) when it does not decode, belongs to a
 * different query, or points outside the caller's tenant and the query's partition.
 */
interface CursorBody {
  q: string;
  k: Record<string, string>;
}

const digest = (signature: string) => createHash('sha256').update(signature).digest('base64url').slice(0, 16);
const bad = (why: string) => new EngineError('query.badCursor', `The cursor is not valid: ${why}`, [{ path: '/cursor', code: 'badCursor', message: why }]);

export function encodeCursor(signature: string, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ q: digest(signature), k: key })).toString('base64url');
}

/**
 * @param allowed key attribute → exact value it must have (partition keys) or the prefix
 *   it must start with (`{ prefix }`, for sort keys and the table key).
 */
export function decodeCursor(cursor: string, signature: string, allowed: Record<string, string | { prefix: string }>): Record<string, string> {
  const k = decodeCursorKeys(cursor, signature);
  const names = Object.keys(k);
  if (names.length !== Object.keys(allowed).length) throw bad('malformed');
  for (const name of names) {
    const value = k[name]!;
    const rule = allowed[name];
    if (rule === undefined) throw bad('malformed');
    if (typeof rule === 'string' ? value !== rule : !value.startsWith(rule.prefix)) throw bad('it points outside this list');
  }
  return k;
}

/** The key map of a cursor whose query signature matches; string values only. Callers check the keys. */
export function decodeCursorKeys(cursor: string, signature: string): Record<string, string> {
  if (cursor.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad('malformed');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('malformed');
  }
  if (typeof body !== 'object' || body === null) throw bad('malformed');
  const { q, k } = body as Partial<CursorBody>;
  if (q !== digest(signature)) throw bad('it belongs to a different query');
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw bad('malformed');
  if (Object.values(k).some((v) => typeof v !== 'string')) throw bad('malformed');
  return k as Record<string, string>;
}

export const badCursor = bad;
