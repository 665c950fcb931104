import { lazyValidator } from '../../engine/ajv';
import { EngineError } from '../../engine/errors';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { ApiKeyRecord, StoredApiKey } from '../../store/apiKeyStore';
import { publicKey } from '../../store/apiKeyStore';
import { newApiKey } from '../auth/apiKeys';
import { forgetApiKey } from '../auth/resolveApiKey';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { requireAdmin } from './adminAccess';
import { currentBundle, headVersion } from './currentBundle';

/** A key lives 90 days unless the administrator says otherwise, and at most a year: integrations rotate keys. */
export const DEFAULT_KEY_DAYS = 90;
export const MAX_KEY_DAYS = 366;
const DAY_MS = 86_400_000;

const validateCreate = lazyValidator({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120 },
    role: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
  required: ['name', 'role'],
  additionalProperties: false,
});

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';
export type ApiKeyView = ApiKeyRecord & { readonly status: ApiKeyStatus };

const view = (key: StoredApiKey, now: Date): ApiKeyView => ({
  ...publicKey(key),
  status: key.revokedAt ? 'revoked' : Date.parse(key.expiresAt) <= now.getTime() ? 'expired' : 'active',
});

/** Managing keys needs `manageUsers`, and a person: a key cannot mint or revoke keys. */
async function requireKeyAdmin(services: Services, user: UserContext): Promise<void> {
  if (user.apiKey) throw new EngineError('access.denied', 'API keys cannot manage API keys; sign in as an administrator');
  await requireAdmin(services, user, 'manageUsers');
}

const audit = (services: Services, user: UserContext, action: string, target: string, before: unknown, after: unknown) =>
  services.audit.record(user.tenantId, { id: services.newId(), at: services.now().toISOString(), actor: user.userId, action, target, before, after });

function expiry(raw: string | undefined, now: Date): string {
  if (raw === undefined) return new Date(now.getTime() + DEFAULT_KEY_DAYS * DAY_MS).toISOString();
  const at = Date.parse(raw);
  if (at <= now.getTime()) throw new EngineError('validation.failed', 'The API key is not valid', [{ path: '/expiresAt', code: 'min', message: 'must be in the future', params: { limit: now.toISOString() } }]);
  const latest = new Date(now.getTime() + MAX_KEY_DAYS * DAY_MS);
  if (at > latest.getTime()) throw new EngineError('validation.failed', 'The API key is not valid', [{ path: '/expiresAt', code: 'max', message: `must be at most ${MAX_KEY_DAYS} days ahead`, params: { limit: latest.toISOString() } }]);
  return new Date(at).toISOString();
}

async function assertRoleExists(services: Services, tenant: string, role: string): Promise<void> {
  if (role === BUILT_IN_ADMIN) return;
  const roles = (await headVersion(services, tenant)) === 0 ? [] : ((await currentBundle(services, tenant)).bundle.roles ?? []);
  if (!roles.some((r) => r.name === role)) {
    throw new EngineError('validation.failed', 'The API key is not valid', [{ path: '/role', code: 'unknownRole', message: `role "${role}" is not defined in the published metadata`, params: { role } }]);
  }
}

/**
 * Creates a key acting with one role until it expires. The answer holds the key itself —
 * the only time it is ever shown: only its SHA-256 is stored.
 */
export async function createApiKey(services: Services, user: UserContext, input: unknown): Promise<ApiKeyView & { key: string }> {
  await requireKeyAdmin(services, user);
  const problems = validateCreate(input);
  if (problems.length > 0) throw new EngineError('validation.failed', 'The API key is not valid', problems);
  const body = input as { name: string; role: string; expiresAt?: string };
  const now = services.now();
  const expiresAt = expiry(body.expiresAt, now);
  await assertRoleExists(services, user.tenantId, body.role);
  const id = services.newId();
  const { key, hash, hint } = newApiKey(user.tenantId, id);
  const stored: StoredApiKey = { id, tenant: user.tenantId, name: body.name.trim(), role: body.role, hint, createdAt: now.toISOString(), createdBy: user.userId, expiresAt, secretHash: hash };
  await services.apiKeys.create(user.tenantId, stored);
  await audit(services, user, 'apiKey.create', id, null, publicKey(stored));
  return { ...view(stored, now), key };
}

export async function listApiKeys(services: Services, user: UserContext): Promise<ApiKeyView[]> {
  await requireKeyAdmin(services, user);
  const now = services.now();
  return (await services.apiKeys.list(user.tenantId)).map((k) => view(k, now));
}

/** Revokes a key at once (within a second in other containers); it stays listed as revoked. */
export async function revokeApiKey(services: Services, user: UserContext, keyId: string): Promise<ApiKeyView> {
  await requireKeyAdmin(services, user);
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(keyId)) throw new EngineError('record.notFound', `There is no API key ${keyId}`, [], { id: keyId });
  const before = await services.apiKeys.get(user.tenantId, keyId);
  if (!before) throw new EngineError('record.notFound', `There is no API key ${keyId}`, [], { id: keyId });
  const after = await services.apiKeys.revoke(user.tenantId, keyId, user.userId, services.now().toISOString());
  forgetApiKey(user.tenantId, keyId);
  if (!before.revokedAt) await audit(services, user, 'apiKey.revoke', keyId, publicKey(before), publicKey(after));
  return view(after, services.now());
}
