import { EngineError } from '../../engine/errors';
import { TENANT_ID } from '../../engine/ids';
import { decoyHash, verifyPassword } from '../auth/passwords';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';

export interface LoginInput {
  readonly tenant: string;
  readonly email: string;
  readonly password: string;
}

function parseLogin(input: unknown): LoginInput {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems = (['tenant', 'email', 'password'] as const)
    .filter((k) => typeof body[k] !== 'string' || (body[k] as string).length === 0 || (body[k] as string).length > 256)
    .map((k) => ({ path: `/${k}`, code: 'required', message: `${k} is required`, params: { field: k } }));
  if (problems.length > 0) throw new EngineError('validation.failed', 'Send tenant, email and password', problems);
  return body as unknown as LoginInput;
}

/**
 * The local identity provider's login. Every failure is the same answer after the same
 * work (a decoy hash for unknown e-mails), so it does not reveal which tenants or e-mails exist.
 */
/**
 * Repeated failures slow sign-in down: after FREE_FAILURES failures within WINDOW_MS, each
 * further failure locks the e-mail for twice as long as the one before, up to MAX_LOCK_MS.
 */
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

export async function login(services: Services, input: unknown): Promise<{ token: string; expiresAt: string; user: UserContext & { name: string } }> {
  const { tenant, email, password } = parseLogin(input);
  if (!services.tokens.sign) throw new EngineError('route.notFound', 'Sign in through the identity provider of this deployment');
  const knownTenant = TENANT_ID.test(tenant) && (await services.identity.tenant(tenant)) !== null;
  const now = services.now().getTime();
  const failures = knownTenant ? await services.identity.loginFailures(tenant, email) : { count: 0, lockedUntil: 0, windowStart: now };
  if (failures.lockedUntil > now) {
    const retryAfter = Math.ceil((failures.lockedUntil - now) / 1000);
    throw new EngineError('auth.tooManyAttempts', `Too many failed sign-ins; try again in ${retryAfter} s`, [], { retryAfter });
  }
  const user = knownTenant ? await services.identity.userByEmail(tenant, email) : null;
  const ok = await verifyPassword(password, user?.passwordHash || (await decoyHash()));
  if (!user || !ok || !user.active) {
    if (knownTenant) {
      const fresh = now - failures.windowStart > WINDOW_MS;
      const count = (fresh ? 0 : failures.count) + 1;
      const lockedUntil = count > FREE_FAILURES ? now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (count - FREE_FAILURES - 1)) : 0;
      await services.identity.setLoginFailures(tenant, email, { count, lockedUntil, windowStart: fresh ? now : failures.windowStart });
      await services.audit.record(tenant, { id: services.newId(), at: services.now().toISOString(), actor: user?.id ?? 'anonymous', action: 'auth.loginFailed', target: `login/${email.trim().toLowerCase()}`, after: { failures: count, reason: !user ? 'unknown e-mail' : !user.active ? 'deactivated' : 'wrong password' } });
    }
    throw new EngineError('auth.badCredentials', 'Wrong tenant, e-mail or password');
  }
  if (failures.count > 0) await services.identity.clearLoginFailures(tenant, email);
  const context: UserContext = { tenantId: tenant, userId: user.id, roles: user.roles, email: user.email };
  const { token, expiresAt } = await services.tokens.sign(context);
  return { token, expiresAt, user: { ...context, name: user.name } };
}
