import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RECORD_ID_PATTERN, TENANT_ID } from '../../engine/ids';

/*
 * API keys for integrations: `tsk_<tenant>_<key id>_<secret>`.
 *
 * The secret is 32 random bytes (256 bits), so unlike a password it cannot be guessed and
 * needs no slow hash: SHA-256 at rest is enough (GitHub and Stripe store tokens the same
 * way), and checking it costs microseconds on every request instead of scrypt's ~50 ms.
 * The tenant and key id in front only say where the key's item is (one GetItem); the
 * request's tenant is the one the stored item names, and the secret must hash to its hash.
 * A leaked key is recognisable by its `tsk_` prefix (secret scanners match on it).
 */
export const API_KEY_PREFIX = 'tsk_';
const SECRET_BYTES = 32;
const TENANT_SOURCE = TENANT_ID.source.slice(1, -1);
const ID_SOURCE = RECORD_ID_PATTERN.slice(1, -1);
const FORMAT = new RegExp(`^${API_KEY_PREFIX}(${TENANT_SOURCE})_(${ID_SOURCE})_([A-Za-z0-9_-]{43})$`);

export interface ParsedApiKey {
  readonly tenantId: string;
  readonly keyId: string;
  readonly secret: string;
}

/** True for anything that claims to be an API key (as opposed to a JWT): it is then judged as one. */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);

export function parseApiKey(credential: string): ParsedApiKey | null {
  const m = FORMAT.exec(credential);
  return m ? { tenantId: m[1]!, keyId: m[2]!, secret: m[3]! } : null;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new key for `tenantId`: the full key (shown once), its hash (stored) and a hint to tell keys apart. */
export function newApiKey(tenantId: string, keyId: string): { key: string; hash: string; hint: string } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const key = `${API_KEY_PREFIX}${tenantId}_${keyId}_${secret}`;
  return { key, hash: hashSecret(secret), hint: `${key.slice(0, key.length - secret.length)}…${secret.slice(-4)}` };
}
