import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EngineError } from '../engine/errors';
import { TABLE_SPEC, keys } from './keys';
import { byObjectQuery } from './byObject';

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly createdAt: string;
  /** The user's manager (a user id): approvals and escalations walk this chain. */
  readonly manager?: string;
  /** Bumped on every change; updates name the version they read. */
  readonly version?: number;
}

export interface TeamRecord {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  readonly version: number;
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
  ...(item.manager ? { manager: String(item.manager) } : {}),
  version: Number(item.version ?? 1),
});

const toTeam = (item: Record<string, unknown>): TeamRecord => ({
  id: String(item.id),
  name: String(item.name),
  members: (item.members as string[]) ?? [],
  version: Number(item.version ?? 1),
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
                  version: 1,
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

  /** Users of a tenant, at most `limit` (a tenant's directory is small; 1,000 covers the platform's target tenants). */
  async users(tenant: string, limit = 1000): Promise<UserRecord[]> {
    const Items = await this.reserved(tenant, keys.USERS_OBJECT, limit);
    return (Items ?? []).map((item) => {
      const { passwordHash: _hidden, ...user } = toUser(item);
      return user;
    });
  }

  /**
   * Changes a user at `expectedVersion`. The e-mail (the login key) does not change here.
   * @returns the user after the change
   */
  async updateUser(tenant: string, userId: string, expectedVersion: number, change: { name?: string; roles?: readonly string[]; active?: boolean; manager?: string | null; passwordHash?: string }): Promise<void> {
    const names: Record<string, string> = { '#v': 'version' };
    const values: Record<string, unknown> = { ':v': expectedVersion, ':one': 1 };
    const sets: string[] = ['#v = #v + :one'];
    const removes: string[] = [];
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) continue;
      names[`#${key}`] = key;
      if (value === null) removes.push(`#${key}`);
      else {
        sets.push(`#${key} = :${key}`);
        values[`:${key}`] = Array.isArray(value) ? [...value] : value;
      }
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(tenant, userId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #v = :v',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new EngineError('record.versionConflict', 'The user was changed by someone else; reload and try again', [], { expectedVersion });
      }
      throw error;
    }
  }

  /** Teams of a tenant, at most 500. */
  async teams(tenant: string): Promise<TeamRecord[]> {
    const Items = await this.reserved(tenant, keys.TEAMS_OBJECT, 500);
    return (Items ?? []).map(toTeam);
  }

  async team(tenant: string, teamId: string): Promise<TeamRecord | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.team(tenant, teamId), ConsistentRead: true }));
    return Item ? toTeam(Item) : null;
  }

  /** Creates (expectedVersion 0) or replaces a team at `expectedVersion`. */
  async putTeam(tenant: string, team: { id: string; name: string; members: readonly string[] }, expectedVersion: number): Promise<TeamRecord> {
    const { byObject } = TABLE_SPEC.indexes;
    const version = expectedVersion + 1;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.team(tenant, team.id), kind: 'team', tenant, id: team.id, name: team.name, members: [...team.members], version, [byObject.partitionKey]: keys.objectPartition(tenant, keys.TEAMS_OBJECT), [byObject.sortKey]: team.id },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new EngineError('record.versionConflict', 'The team was changed by someone else; reload and try again');
      throw error;
    }
    return { ...team, members: [...team.members], version };
  }

  /** Failed logins for an e-mail: the count in the current window and until when sign-in is refused. */
  async loginFailures(tenant: string, email: string): Promise<{ count: number; lockedUntil: number; windowStart: number }> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.loginFailures(tenant, email), ConsistentRead: true }));
    return { count: Number(Item?.count ?? 0), lockedUntil: Number(Item?.lockedUntil ?? 0), windowStart: Number(Item?.windowStart ?? 0) };
  }

  async setLoginFailures(tenant: string, email: string, state: { count: number; lockedUntil: number; windowStart: number }): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.loginFailures(tenant, email), kind: 'loginFailures', tenant, ...state } }));
  }

  async clearLoginFailures(tenant: string, email: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.loginFailures(tenant, email) }));
  }

  /** Items listed under a reserved object name of the by-object index (users, teams). */
  private async reserved(tenant: string, object: string, limit: number): Promise<Record<string, unknown>[]> {
    const { Items } = await this.doc.send(new QueryCommand({ ...byObjectQuery(this.tableName, tenant, object), Limit: limit }));
    return Items ?? [];
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
