import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { createSecretKey } from 'node:crypto';
import { EngineError } from '../../engine/errors';
import { RECORD_ID, TENANT_ID } from '../../engine/ids';

/** Who is calling, from a verified token only. */
export interface UserContext {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly email?: string;
  /** Set when the caller is an integration's API key; `userId` is then the key's id (it owns what it creates). */
  readonly apiKey?: string;
}

export interface TokenService {
  verify(token: string): Promise<UserContext>;
  /** Issues a token; only the local identity provider can (in AWS, Cognito issues them). */
  sign?(user: UserContext, ttlSeconds?: number): Promise<{ token: string; expiresAt: string }>;
}

const ISSUER = 'tessera-local';
const AUDIENCE = 'tessera';
/** A working day: staff sign in once in the morning. */
const DEFAULT_TTL_SECONDS = 8 * 3600;

/**
 * Claims → user context. Local tokens carry `tenant` and `roles`; Cognito ID tokens carry
 * the same as custom attributes `custom:tenant` and `custom:roles` (comma-separated).
 */
export function userFromClaims(claims: JWTPayload): UserContext {
  const tenantId = claims.tenant ?? claims['custom:tenant'];
  const userId = claims['custom:userId'] ?? claims.sub;
  const rawRoles = claims.roles ?? claims['custom:roles'] ?? [];
  const roles = Array.isArray(rawRoles) ? rawRoles.map(String) : String(rawRoles).split(',').map((r) => r.trim()).filter(Boolean);
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) throw new EngineError('auth.invalidToken', 'The token names no valid tenant');
  if (typeof userId !== 'string' || !RECORD_ID.test(userId)) throw new EngineError('auth.invalidToken', 'The token names no valid user');
  return { tenantId, userId, roles, ...(typeof claims.email === 'string' ? { email: claims.email } : {}) };
}

async function verified(verify: () => Promise<{ payload: JWTPayload }>): Promise<UserContext> {
  try {
    return userFromClaims((await verify()).payload);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const expired = error instanceof joseErrors.JWTExpired;
    throw new EngineError('auth.invalidToken', expired ? 'The token has expired; sign in again' : 'The token is not valid');
  }
}

/** The local identity provider: HS256 tokens signed with a per-installation secret. */
export function localTokenService(secretBytes: Uint8Array): TokenService {
  if (secretBytes.byteLength < 32) throw new Error('the token secret must have at least 32 bytes');
  // A KeyObject once, rather than raw bytes that jose would import again on every verify.
  const secret = createSecretKey(secretBytes);
  return {
    verify: (token) => verified(() => jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] })),
    async sign(user, ttlSeconds = DEFAULT_TTL_SECONDS) {
      const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
      const token = await new SignJWT({ tenant: user.tenantId, roles: [...user.roles], ...(user.email ? { email: user.email } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(secret);
      return { token, expiresAt: new Date(expires * 1000).toISOString() };
    },
  };
}

/**
 * AWS: Cognito-issued tokens, verified against the user pool's JWKS (cached by jose). The key
 * set is made on the first verification, not at module load: it builds fetch `Headers`, which
 * loads Node's HTTP client (~10 ms of every cold start, before the first request needs it).
 */
export function cognitoTokenService(issuer: string, audience: string): TokenService {
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  return {
    verify: (token) =>
      verified(() => {
        jwks ??= createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
        return jwtVerify(token, jwks, { issuer, audience });
      }),
  };
}

export function tokenServiceFromEnv(env: NodeJS.ProcessEnv = process.env): TokenService {
  if (env.TESSERA_COGNITO_ISSUER && env.TESSERA_COGNITO_CLIENT_ID) return cognitoTokenService(env.TESSERA_COGNITO_ISSUER, env.TESSERA_COGNITO_CLIENT_ID);
  if (env.TESSERA_JWT_SECRET) return localTokenService(Buffer.from(env.TESSERA_JWT_SECRET, 'base64url'));
  throw new Error('Set TESSERA_JWT_SECRET (local identity provider) or TESSERA_COGNITO_ISSUER and TESSERA_COGNITO_CLIENT_ID');
}
