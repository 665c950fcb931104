import { EngineError } from '../../engine/errors';
import { createServices } from '../../api/services';
import type { Services } from '../../api/services';
import { configFromEnv } from '../../store/client';

let services: Services | undefined;

/**
 * The automation functions' services: the API's (`createServices`) from the same environment
 * (`TESSERA_TABLE`, `TESSERA_METADATA_TTL_MS`, `TESSERA_USER_TTL_MS`), without a token
 * service — nobody calls these functions with a token (the stream, the schedule), so they
 * need no identity provider configuration and get none.
 */
export function automationServices(): Services {
  services ??= createServices({
    store: configFromEnv(),
    tokens: { verify: () => Promise.reject(new EngineError('auth.invalidToken', 'Automation functions take no tokens')) },
    metadataTtlMs: Number(process.env.TESSERA_METADATA_TTL_MS ?? 1000),
    userTtlMs: Number(process.env.TESSERA_USER_TTL_MS ?? 1000),
  });
  return services;
}
