import { monotonicFactory } from 'ulid';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { configFromEnv, createDocumentClient } from '../store/client';
import type { CommandLog, StoreConfig } from '../store/client';
import { IdentityStore } from '../store/identityStore';
import { MetadataStore } from '../store/metadataStore';
import { RecordStore } from '../store/recordStore';
import { AuditStore } from '../store/auditStore';
import { AutomationStore } from '../store/automationStore';
import { ApiKeyStore } from '../store/apiKeyStore';
import { tokenServiceFromEnv } from './auth/tokens';
import type { TokenService } from './auth/tokens';

/** Everything an operation needs from the outside world; built once per container. */
export interface Services {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly records: RecordStore;
  readonly metadata: MetadataStore;
  readonly identity: IdentityStore;
  readonly audit: AuditStore;
  readonly automation: AutomationStore;
  readonly apiKeys: ApiKeyStore;
  readonly tokens: TokenService;
  readonly now: () => Date;
  readonly newId: () => string;
  /** How long a container trusts its cached head version before reading it again. */
  readonly metadataTtlMs: number;
  /** How long a container trusts a cached user (roles, active) and the tenant's teams before reading them again. */
  readonly userTtlMs: number;
}

export interface ServiceOptions {
  readonly store: StoreConfig;
  readonly tokens: TokenService;
  readonly commandLog?: CommandLog;
  /** @default 1000 */
  readonly metadataTtlMs?: number;
  /** @default 1000 */
  readonly userTtlMs?: number;
  readonly now?: () => Date;
}

export function createServices(options: ServiceOptions): Services {
  const doc = createDocumentClient(options.store, options.commandLog);
  const tableName = options.store.tableName;
  return {
    doc,
    tableName,
    records: new RecordStore(doc, tableName),
    metadata: new MetadataStore(doc, tableName),
    identity: new IdentityStore(doc, tableName),
    audit: new AuditStore(doc, tableName),
    automation: new AutomationStore(doc, tableName),
    apiKeys: new ApiKeyStore(doc, tableName),
    tokens: options.tokens,
    now: options.now ?? (() => new Date()),
    newId: monotonicFactory(),
    metadataTtlMs: options.metadataTtlMs ?? 1000,
    userTtlMs: options.userTtlMs ?? 1000,
  };
}

let fromEnv: Services | undefined;

/** The container's services, from environment variables (Lambda and the local runtime). */
export function servicesFromEnv(): Services {
  fromEnv ??= createServices({
    store: configFromEnv(),
    tokens: tokenServiceFromEnv(),
    metadataTtlMs: Number(process.env.TESSERA_METADATA_TTL_MS ?? 1000),
    userTtlMs: Number(process.env.TESSERA_USER_TTL_MS ?? 1000),
  });
  return fromEnv;
}
