import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import type { MetadataBundle, StorageMap } from '../engine/metadata/types';
import { keys } from './keys';

export interface VersionInfo {
  readonly version: number;
  readonly publishedAt: string;
  readonly publishedBy: string;
  /** `publish` of a draft, or `rollback` to an earlier version's content. */
  readonly kind: 'publish' | 'rollback';
  readonly note?: string;
  readonly rolledBackTo?: number;
}

export interface StoredVersion extends VersionInfo {
  readonly bundle: MetadataBundle;
  readonly storage: StorageMap;
}

export interface Draft {
  readonly bundle: MetadataBundle;
  /** Head version the draft started from; publishing refuses when the head has moved since. */
  readonly baseVersion: number;
  /** Bumped on every save; a save names the revision it read (optimistic locking). */
  readonly revision: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * Bundles are stored gzipped: JSON metadata compresses about tenfold, which keeps even a
 * large tenant's version far below DynamoDB's 400 KB item limit.
 */
const pack = (value: unknown) => gzipSync(Buffer.from(JSON.stringify(value)));
const unpack = <T>(value: unknown): T => JSON.parse(gunzipSync(value as Uint8Array).toString('utf8')) as T;
const MAX_PACKED_BYTES = 350_000;

export class MetadataStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The published head version number, or 0 when nothing was ever published. */
  async head(tenant: string): Promise<number> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.metadata(tenant), sk: keys.HEAD_SK }, ConsistentRead: true }));
    return Item ? Number(Item.version) : 0;
  }

  async version(tenant: string, version: number): Promise<StoredVersion | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.metadata(tenant), sk: keys.versionSk(version) } }));
    if (!Item) return null;
    return { ...versionInfo(Item), bundle: unpack<MetadataBundle>(Item.bundle), storage: Item.storage as StorageMap };
  }

  async versions(tenant: string, limit: number, before?: number): Promise<VersionInfo[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: before ? 'pk = :pk AND sk BETWEEN :lo AND :hi' : 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: before
          ? { ':pk': keys.metadata(tenant), ':lo': keys.versionSk(0), ':hi': keys.versionSk(before - 1) }
          : { ':pk': keys.metadata(tenant), ':v': keys.VERSION_PREFIX },
        ProjectionExpression: 'version, publishedAt, publishedBy, kind, note, rolledBackTo',
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(versionInfo);
  }

  async draft(tenant: string): Promise<Draft | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.metadata(tenant), sk: keys.DRAFT_SK }, ConsistentRead: true }));
    if (!Item) return null;
    return {
      bundle: unpack<MetadataBundle>(Item.bundle),
      baseVersion: Number(Item.baseVersion),
      revision: Number(Item.revision),
      updatedAt: String(Item.updatedAt),
      updatedBy: String(Item.updatedBy),
    };
  }

  /** Saves a draft at `expectedRevision` (0 when there is none yet); returns the new revision. */
  async saveDraft(tenant: string, bundle: MetadataBundle, baseVersion: number, expectedRevision: number, userId: string): Promise<number> {
    const packed = pack(bundle);
    if (packed.byteLength > MAX_PACKED_BYTES) {
      throw new EngineError('metadata.invalid', 'The metadata is too large', [{ path: '', code: 'tooLarge', message: `metadata compresses to ${packed.byteLength} bytes; the limit is ${MAX_PACKED_BYTES}` }]);
    }
    const revision = expectedRevision + 1;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: keys.metadata(tenant), sk: keys.DRAFT_SK, kind: 'draft', tenant, bundle: packed, baseVersion, revision, updatedAt: new Date().toISOString(), updatedBy: userId },
          ConditionExpression: expectedRevision === 0 ? 'attribute_not_exists(pk)' : 'revision = :r',
          ...(expectedRevision === 0 ? {} : { ExpressionAttributeValues: { ':r': expectedRevision } }),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new EngineError('metadata.conflict', 'The draft was changed by someone else; reload it and try again', [], { expectedRevision });
      }
      throw error;
    }
    return revision;
  }

  /** Keeps what a template shipped at a version (immutable; writing it again is harmless). */
  async saveTemplateSnapshot(tenant: string, name: string, version: string, content: MetadataBundle): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: keys.metadata(tenant), sk: keys.templateSnapshotSk(name, version), kind: 'templateSnapshot', tenant, name, version, content: pack(content) } }));
  }

  async templateSnapshot(tenant: string, name: string, version: string): Promise<MetadataBundle | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.metadata(tenant), sk: keys.templateSnapshotSk(name, version) } }));
    return Item ? unpack<MetadataBundle>(Item.content) : null;
  }

  async discardDraft(tenant: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: keys.metadata(tenant), sk: keys.DRAFT_SK } }));
  }

  /**
   * Writes version `base + 1` and moves the head to it in one transaction, so readers see
   * either the old head or the new one. Refuses if the head is no longer `base` (someone
   * else published) or, when publishing a draft, if the draft changed since it was validated.
   */
  async publish(
    tenant: string,
    input: { base: number; bundle: MetadataBundle; storage: StorageMap; userId: string; kind: VersionInfo['kind']; note?: string; rolledBackTo?: number; draftRevision?: number },
  ): Promise<number> {
    const version = input.base + 1;
    const at = new Date().toISOString();
    const pk = keys.metadata(tenant);
    const packed = pack(input.bundle);
    if (packed.byteLength > MAX_PACKED_BYTES) {
      throw new EngineError('metadata.invalid', 'The metadata is too large', [{ path: '', code: 'tooLarge', message: `metadata compresses to ${packed.byteLength} bytes; the limit is ${MAX_PACKED_BYTES}` }]);
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk,
                  sk: keys.versionSk(version),
                  kind: input.kind,
                  tenant,
                  version,
                  bundle: packed,
                  storage: input.storage,
                  publishedAt: at,
                  publishedBy: input.userId,
                  ...(input.note ? { note: input.note } : {}),
                  ...(input.rolledBackTo ? { rolledBackTo: input.rolledBackTo } : {}),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: keys.HEAD_SK, kind: 'head', tenant, version, updatedAt: at, updatedBy: input.userId },
                ConditionExpression: input.base === 0 ? 'attribute_not_exists(pk)' : 'version = :base',
                ...(input.base === 0 ? {} : { ExpressionAttributeValues: { ':base': input.base } }),
              },
            },
            ...(input.draftRevision !== undefined
              ? [{ Delete: { TableName: this.tableName, Key: { pk, sk: keys.DRAFT_SK }, ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': input.draftRevision } } }]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new EngineError('metadata.conflict', 'The metadata changed while publishing (another publish or draft edit); reload and try again', [], { base: input.base });
      }
      throw error;
    }
    return version;
  }
}

function versionInfo(item: Record<string, unknown>): VersionInfo {
  return {
    version: Number(item.version),
    publishedAt: String(item.publishedAt),
    publishedBy: String(item.publishedBy),
    kind: (item.kind as VersionInfo['kind']) ?? 'publish',
    ...(item.note ? { note: String(item.note) } : {}),
    ...(item.rolledBackTo ? { rolledBackTo: Number(item.rolledBackTo) } : {}),
  };
}
