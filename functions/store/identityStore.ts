import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EngineError } from '../engine/errors';
import { TABLE_SPEC, keys } from './keys';

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly createdAt: string;
}

export interface StoredUser extends UserRecord {
  readonly passwordHash: string;
}

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

const toUser = (item: Record<string, unknown>): StoredUser => ({
  id: String(item.id),
  email: String(item.email),
  name: String(item.name),
  roles: (item.roles as string[]) ?? [],
  active: item.active !== false,
  createdAt: String(item.createdAt),
  passwordHash: String(item.passwordHash ?? ''),
});

/** Tenants and users: the local identity provider's table, and the user directory in every mode. */
export class IdentityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tenant(tenant: string): Promise<TenantRecord | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.tenant(tenant) }));
    return Item ? { id: tenant, name: String(Item.name), createdAt: String(Item.createdAt) } : null;
  }

  /** Creates a tenant; false when the id is taken. */
  async createTenant(tenant: string, name: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...keys.tenant(tenant), kind: 'tenant', tenant, name, createdAt: new Date().toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Creates a user and claims its e-mail within the tenant, in one transaction. */
  async createUser(tenant: string, user: StoredUser): Promise<void> {
    const { byObject } = TABLE_SPEC.indexes;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.user(tenant, user.id),
                  kind: 'user',
                  tenant,
                  ...user,
                  roles: [...user.roles],
                  [byObject.partitionKey]: keys.objectPartition(tenant, keys.USERS_OBJECT),
                  [byObject.sortKey]: user.id,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: { TableName: this.tableName, Item: { ...keys.login(tenant, user.email), kind: 'login', tenant, userId: user.id }, ConditionExpression: 'attribute_not_exists(pk)' },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new EngineError('record.duplicate', 'A user with this e-mail already exists', [{ path: '/email', code: 'unique', message: 'e-mail already used', params: { field: 'email' } }]);
      }
      throw error;
    }
  }

  async user(tenant: string, userId: string): Promise<StoredUser | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.user(tenant, userId) }));
    return Item ? toUser(Item) : null;
  }

  async userByEmail(tenant: string, email: string): Promise<StoredUser | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.login(tenant, email) }));
    return Item ? this.user(tenant, String(Item.userId)) : null;
  }

  async users(tenant: string, limit = 200): Promise<UserRecord[]> {
    const { byObject } = TABLE_SPEC.indexes;
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': byObject.partitionKey },
        ExpressionAttributeValues: { ':p': keys.objectPartition(tenant, keys.USERS_OBJECT) },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => {
      const { passwordHash: _hidden, ...user } = toUser(item);
      return user;
    });
  }

  async setPassword(tenant: string, userId: string, passwordHash: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.user(tenant, userId),
        UpdateExpression: 'SET passwordHash = :h',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':h': passwordHash },
      }),
    );
  }
}
