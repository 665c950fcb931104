import { cachedBundle } from '../../engine/compile/compileBundle';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import { EngineError } from '../../engine/errors';
import type { Services } from '../services';

/**
 * Head version per tenant, trusted for `metadataTtlMs` (default 1 s) so a list is one
 * Query rather than a GetItem plus a Query. A publish from this container takes effect
 * here at once; other containers see it within the TTL.
 */
const heads = new Map<string, { version: Promise<number>; readAt: number }>();

export function forgetHead(tenant: string): void {
  heads.delete(tenant);
}

/** The head version; callers that miss the cache together share one GetItem. A failed read is not cached. */
export function headVersion(services: Services, tenant: string): Promise<number> {
  const hit = heads.get(tenant);
  const now = Date.now();
  if (hit && now - hit.readAt < services.metadataTtlMs) return hit.version;
  const entry = { version: services.metadata.head(tenant), readAt: now };
  heads.set(tenant, entry);
  entry.version.catch(() => heads.get(tenant) === entry && heads.delete(tenant));
  return entry.version;
}

/** The tenant's published metadata, compiled (and cached per tenant+version). */
export async function currentBundle(services: Services, tenant: string): Promise<CompiledBundle> {
  const version = await headVersion(services, tenant);
  if (version === 0) throw new EngineError('metadata.notFound', 'This tenant has not published any metadata yet');
  return bundleAt(services, tenant, version);
}

export function bundleAt(services: Services, tenant: string, version: number): Promise<CompiledBundle> {
  return cachedBundle(tenant, version, async () => {
    const stored = await services.metadata.version(tenant, version);
    if (!stored) throw new EngineError('metadata.notFound', `There is no metadata version ${version}`, [], { version });
    return { bundle: stored.bundle, storage: stored.storage };
  });
}
