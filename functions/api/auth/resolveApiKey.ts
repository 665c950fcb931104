import { EngineError } from '../../engine/errors';
import type { StoredApiKey } from '../../store/apiKeyStore';
import type { Services } from '../services';
import { parseApiKey, secretMatches } from './apiKeys';
import type { UserContext } from './tokens';

/*
 * Keys as the request path needs them, cached per container for `userTtlMs` (default 1 s),
 * like users: a revocation takes effect within that time everywhere. The secret is checked
 * against the stored hash on every request, cached or not.
 */
const cache = new Map<string, { key: StoredApiKey | null; readAt: number }>();

export function forgetApiKey(tenant: string, keyId: string): void {
  cache.delete(`${tenant}/${keyId}`);
}

const invalid = (message: string) => new EngineError('auth.invalidToken', message);

/**
 * The principal an API key stands for: its tenant (from the stored key, never from the
 * request), its id as the user id, and its one role. Unknown, revoked and expired keys are 401.
 */
export async function resolveApiKey(services: Pick<Services, 'apiKeys' | 'userTtlMs' | 'now'>, credential: string): Promise<UserContext> {
  const parsed = parseApiKey(credential);
  if (!parsed) throw invalid('This is not a valid API key');
  const cacheKey = `${parsed.tenantId}/${parsed.keyId}`;
  let hit = cache.get(cacheKey);
  if (!hit || Date.now() - hit.readAt >= services.userTtlMs) {
    hit = { key: await services.apiKeys.get(parsed.tenantId, parsed.keyId), readAt: Date.now() };
    cache.set(cacheKey, hit);
  }
  const key = hit.key;
  if (!key || key.tenant !== parsed.tenantId || key.id !== parsed.keyId || !secretMatches(parsed.secret, key.secretHash)) throw invalid('This is not a valid API key');
  if (key.revokedAt) throw invalid('This API key has been revoked');
  if (Date.parse(key.expiresAt) <= services.now().getTime()) throw invalid(`This API key expired at ${key.expiresAt}`);
  return { tenantId: key.tenant, userId: key.id, roles: [key.role], apiKey: key.id };
}
