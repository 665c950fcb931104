import { cachedBundle } from '../../engine/compile/compileBundle';
import type { CompiledBundle } from '../../engine/compile/compileBundle';
import { EngineError } from '../../engine/errors';
import type { Services } from '../services';
import { SharedReads } from './sharedReads';

/**
 * Head version per tenant, trusted for `metadataTtlMs` (default 1 s) so a list is one
 * Query rather than a GetItem plus a Query. A publish from this container takes effect
 * here at once; other containers see it within the TTL.
 */
const heads = new SharedReads<number>();

export function forgetHead(tenant: string): void {
  heads.forget(tenant);
}

/** The head version (one GetItem shared by callers that miss the cache together). */
export function headVersion(services: Services, tenant: string): Promise<number> {
  return heads.get(tenant, services.metadataTtlMs, () => services.metadata.head(tenant));
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
