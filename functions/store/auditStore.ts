import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  /** User id, or `anonymous` for failed logins. */
  readonly actor: string;
  /** `metadata.publish`, `metadata.rollback`, `user.create`, `user.update`, `team.create`, `team.update`, `auth.loginFailed`. */
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The tenant's audit trail of administrative changes and failed sign-ins, day by day, newest first. */
export class AuditStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(tenant: string, entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: keys.auditPartition(tenant, entry.at.slice(0, 10)), sk: keys.auditSk(entry.id), kind: 'audit', tenant, ...entry } }),
    );
  }

  /** Entries of one day (`YYYY-MM-DD`), newest first. */
  async day(tenant: string, day: string, limit: number): Promise<AuditEntry[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(tenant, day), ':a': 'A#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(({ pk: _pk, sk: _sk, kind: _kind, tenant: _tenant, ...entry }) => entry as AuditEntry);
  }
}
