import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import { byObjectQuery } from './byObject';
import { TABLE_SPEC, keys } from './keys';

/** An API key as administrators see it: never the secret, which is shown once at creation. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  /** The role the key acts with. */
  readonly role: string;
  /** The key's prefix and last four characters, to tell keys apart. */
  readonly hint: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

export interface StoredApiKey extends ApiKeyRecord {
  /** The tenant the stored item names: the request's tenant. */
  readonly tenant: string;
  /** SHA-256 (hex) of the secret. */
  readonly secretHash: string;
}

const toKey = (item: Record<string, unknown>): StoredApiKey => ({
  id: String(item.id),
  tenant: String(item.tenant),
  name: String(item.name),
  role: String(item.role),
  hint: String(item.hint),
  createdAt: String(item.createdAt),
  createdBy: String(item.createdBy),
  expiresAt: String(item.validUntil),
  secretHash: String(item.secretHash),
  ...(item.revokedAt ? { revokedAt: String(item.revokedAt), revokedBy: String(item.revokedBy) } : {}),
});

const withoutExpiry = ({ expiresAt: _expiry, ...rest }: StoredApiKey) => rest;

export const publicKey = ({ secretHash: _hash, tenant: _tenant, ...key }: StoredApiKey): ApiKeyRecord => key;

/** A tenant's API keys: one item each, listed under a reserved object of the by-object index. */
export class ApiKeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenant: string, key: StoredApiKey): Promise<void> {
    const { byObject } = TABLE_SPEC.indexes;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        // `expiresAt` is the table's TTL attribute (epoch seconds): an expired key is kept, listed as expired.
        Item: { ...keys.apiKey(tenant, key.id), kind: 'apiKey', ...withoutExpiry(key), validUntil: key.expiresAt, tenant, [byObject.partitionKey]: keys.objectPartition(tenant, keys.API_KEYS_OBJECT), [byObject.sortKey]: key.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenant: string, keyId: string): Promise<StoredApiKey | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(tenant, keyId) }));
    return Item ? toKey(Item) : null;
  }

  /** The tenant's keys, oldest first (at most 1,000: keys are for integrations, not people). */
  async list(tenant: string, limit = 1000): Promise<StoredApiKey[]> {
    const { Items } = await this.doc.send(new QueryCommand({ ...byObjectQuery(this.tableName, tenant, keys.API_KEYS_OBJECT), Limit: limit }));
    return (Items ?? []).map(toKey);
  }

  /** Marks a key revoked (kept, for the record); a key already revoked keeps its first revocation. */
  async revoke(tenant: string, keyId: string, by: string, at: string): Promise<StoredApiKey> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(tenant, keyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toKey(Attributes ?? {});
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new EngineError('record.notFound', `There is no API key ${keyId}`, [], { id: keyId });
      throw error;
    }
  }
}
