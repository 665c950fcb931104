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
export async function login(services: Services, input: unknown): Promise<{ token: string; expiresAt: string; user: UserContext & { name: string } }> {
  const { tenant, email, password } = parseLogin(input);
  if (!services.tokens.sign) throw new EngineError('route.notFound', 'Sign in through the identity provider of this deployment');
  const user = TENANT_ID.test(tenant) ? await services.identity.userByEmail(tenant, email) : null;
  const ok = await verifyPassword(password, user?.passwordHash || (await decoyHash()));
  if (!user || !ok || !user.active) throw new EngineError('auth.badCredentials', 'Wrong tenant, e-mail or password');
  const context: UserContext = { tenantId: tenant, userId: user.id, roles: user.roles, email: user.email };
  const { token, expiresAt } = await services.tokens.sign(context);
  return { token, expiresAt, user: { ...context, name: user.name } };
}
