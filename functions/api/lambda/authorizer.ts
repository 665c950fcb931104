import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { isEngineError } from '../../engine/errors';
import { ApiKeyStore } from '../../store/apiKeyStore';
import { configFromEnv, createDocumentClient } from '../../store/client';
import { looksLikeApiKey } from '../auth/apiKeys';
import { resolveApiKey } from '../auth/resolveApiKey';

/**
 * The integration API's authorizer on every route that needs a caller (payload 2.0, simple
 * responses): an integration's API key (`tsk_…`), checked against its stored hash. People use
 * the other HTTP API, whose JWT authorizer checks Cognito tokens; a token here is refused. It is
 * a gate, not the decision: API Gateway caches its answer per Authorization header for a few
 * minutes, and every route function verifies the caller again on every request — so a revoked
 * key stops at the function within a second.
 *
 * Only what that needs is bundled: the key store (no engine, no routes, no token verifier).
 */
const store = configFromEnv();
const keys = { apiKeys: new ApiKeyStore(createDocumentClient(store), store.tableName), userTtlMs: Number(process.env.TESSERA_USER_TTL_MS ?? 1000), now: () => new Date() };

export interface AuthorizerResult {
  readonly isAuthorized: boolean;
  /** Reaches the access log as `$context.authorizer.<name>`. */
  readonly context?: { readonly tenant: string; readonly principal: string; readonly kind: 'apiKey' };
}

export async function handler(event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>): Promise<AuthorizerResult> {
  const m = /^Bearer\s+(\S+)$/i.exec(event.headers?.authorization ?? '');
  if (!m) return { isAuthorized: false };
  const credential = m[1]!;
  if (!looksLikeApiKey(credential)) return { isAuthorized: false };
  try {
    const caller = await resolveApiKey(keys, credential);
    return { isAuthorized: true, context: { tenant: caller.tenantId, principal: caller.userId, kind: 'apiKey' } };
  } catch (error) {
    // A credential that is not valid is a "no"; anything else (DynamoDB unreachable) is API Gateway's 500.
    if (isEngineError(error)) return { isAuthorized: false };
    throw error;
  }
}
