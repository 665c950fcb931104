import { createAjv } from '../ajv';
import { EngineError } from '../errors';
import type { MetadataBundle, ObjectDef, StorageMap } from '../metadata/types';
import { compileObject } from './compileObject';
import { sanitizeBundle } from '../metadata/relationships';
import type { CompiledObject } from './compileObject';
import { computeAccess } from '../permissions/access';
import type { Access } from '../permissions/access';

/**
 * A published version, compiled. Objects compile on first use: a Lambda container that
 * serves one object pays for one object, and the cost is recorded per object.
 */
export interface CompiledBundle {
  readonly tenantId: string;
  readonly version: number;
  /** The published bundle with platform fields added (see `sanitizeBundle`). */
  readonly bundle: MetadataBundle;
  readonly storage: StorageMap;
  /** The compiled object, or `object.notFound`. */
  object(name: string): CompiledObject;
  hasObject(name: string): boolean;
  /** Milliseconds spent compiling, per object compiled so far. */
  buildTimes(): Record<string, number>;
  /** What holders of these roles may do in this version; computed once per role set. */
  access(roles: readonly string[]): Access;
}

export function compileBundle(tenantId: string, version: number, raw: MetadataBundle, storage: StorageMap): CompiledBundle {
  const ajv = createAjv();
  // Platform fields (an object's `record_type`) join the objects here, before compiling and access.
  const bundle = sanitizeBundle(raw);
  const defs = new Map<string, ObjectDef>(bundle.objects.map((o) => [o.name, o]));
  const compiled = new Map<string, CompiledObject>();
  const accesses = new Map<string, Access>();
  return Object.freeze({
    tenantId,
    version,
    bundle,
    storage,
    hasObject: (name: string) => defs.has(name),
    object(name: string): CompiledObject {
      const hit = compiled.get(name);
      if (hit) return hit;
      const def = defs.get(name);
      if (!def) throw new EngineError('object.notFound', `There is no object "${name}"`, [], { object: name });
      const object = compileObject(ajv, def, storage.indexSlots[name] ?? {}, bundle);
      compiled.set(name, object);
      return object;
    },
    buildTimes: () => Object.fromEntries([...compiled].map(([name, o]) => [name, o.buildMs])),
    access(roles: readonly string[]): Access {
      const key = [...roles].sort().join(',');
      let hit = accesses.get(key);
      if (!hit) {
        hit = computeAccess(bundle, roles);
        accesses.set(key, hit);
      }
      return hit;
    },
  });
}

/**
 * Compiled bundles per tenant+version, in module scope (one per Lambda container). Versions
 * are immutable, so entries never go stale; the bound only caps memory for containers that
 * serve many tenants.
 */
const MAX_CACHED = 64;
const cache = new Map<string, CompiledBundle>();

export function cachedBundle(tenantId: string, version: number, load: () => { bundle: MetadataBundle; storage: StorageMap }): CompiledBundle;
export function cachedBundle(tenantId: string, version: number, load: () => Promise<{ bundle: MetadataBundle; storage: StorageMap }>): Promise<CompiledBundle>;
export function cachedBundle(
  tenantId: string,
  version: number,
  load: () => { bundle: MetadataBundle; storage: StorageMap } | Promise<{ bundle: MetadataBundle; storage: StorageMap }>,
): CompiledBundle | Promise<CompiledBundle> {
  const key = `${tenantId}@${version}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // keep recently used entries last
    return hit;
  }
  const put = ({ bundle, storage }: { bundle: MetadataBundle; storage: StorageMap }) => {
    const compiled = compileBundle(tenantId, version, bundle, storage);
    cache.set(key, compiled);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
    return compiled;
  };
  const loaded = load();
  return loaded instanceof Promise ? loaded.then(put) : put(loaded);
}
