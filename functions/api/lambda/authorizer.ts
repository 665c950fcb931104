import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { isEngineError } from '../../engine/errors';
import { ApiKeyStore } from '../../store/apiKeyStore';
import { configFromEnv, createDocumentClient } from '../../store/client';
import { looksLikeApiKey } from '../auth/apiKeys';
import { resolveApiKey } from '../auth/resolveApiKey';
import { tokenServiceFromEnv } from '../auth/tokens';

/**
 * The HTTP API's authorizer on every route that needs a caller (payload 2.0, simple
 * responses): a Cognito token, verified against the user pool's keys and client as the JWT
 * authorizer did, or an integration's API key (`tsk_…`), checked against its stored hash. It
 * is a gate, not the decision: API Gateway caches its answer per Authorization header for a
 * few minutes, and every route function verifies the caller again on every request — so a
 * revoked key or a deactivated user stops at the function within a second.
 *
 * Only what that needs is bundled: the token verifier and the key store (no engine, no routes).
 */
const store = configFromEnv();
const keys = { apiKeys: new ApiKeyStore(createDocumentClient(store), store.tableName), userTtlMs: Number(process.env.TESSERA_USER_TTL_MS ?? 1000), now: () => new Date() };
const tokens = tokenServiceFromEnv();

export interface AuthorizerResult {
  readonly isAuthorized: boolean;
  /** Reaches the access log as `$context.authorizer.<name>`. */
  readonly context?: { readonly tenant: string; readonly principal: string; readonly kind: 'user' | 'apiKey' };
}

export async function handler(event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>): Promise<AuthorizerResult> {
  const m = /^Bearer\s+(\S+)$/i.exec(event.headers?.authorization ?? '');
  if (!m) return { isAuthorized: false };
  const credential = m[1]!;
  try {
    const caller = looksLikeApiKey(credential) ? await resolveApiKey(keys, credential) : await tokens.verify(credential);
    return { isAuthorized: true, context: { tenant: caller.tenantId, principal: caller.userId, kind: caller.apiKey ? 'apiKey' : 'user' } };
  } catch (error) {
    // A credential that is not valid is a "no"; anything else (DynamoDB unreachable) is API Gateway's 500.
    if (isEngineError(error)) return { isAuthorized: false };
    throw error;
  }
}
