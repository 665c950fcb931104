import type { UserContext } from '../auth/tokens';
import { buildOpenApi } from '../openapi/buildOpenApi';
import type { Services } from '../services';
import { callerAccess } from './adminAccess';
import { currentBundle, headVersion } from './currentBundle';

/** The OpenAPI document for this caller, from the tenant's published head (routes only, before the first publish). */
export async function openApiDocument(services: Services, user: UserContext, serverUrl?: string): Promise<Record<string, unknown>> {
  const [version, tenant] = await Promise.all([headVersion(services, user.tenantId), services.identity.tenant(user.tenantId)]);
  const bundle = version === 0 ? null : await currentBundle(services, user.tenantId);
  const access = bundle ? bundle.access(user.roles) : await callerAccess(services, user);
  return buildOpenApi(bundle, access, { tenantName: tenant?.name ?? user.tenantId, version: bundle?.version ?? 0, ...(serverUrl ? { serverUrl } : {}) });
}
