import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import { TABLE_SPEC, keys } from './keys';

/** A filter as the list API takes it: `filter[field][op]=value`, the value as query-string text. */
export interface ViewFilter {
  readonly field: string;
  readonly op: string;
  readonly value: string;
}

/** What a user chooses for a list: columns, filters, sort and grouping. */
export interface SavedViewContent {
  readonly name: string;
  /** Shared views are offered to everyone who may read the object; private ones only to their owner. */
  readonly shared: boolean;
  readonly columns: readonly string[];
  readonly filters: readonly ViewFilter[];
  /** `field` or `-field`, or null for the list's own order. */
  readonly sort: string | null;
  readonly groupBy: string | null;
}

export interface SavedView extends SavedViewContent {
  readonly id: string;
  readonly object: string;
  readonly owner: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const toView = (item: Record<string, unknown>): SavedView => ({
  id: String(item.id),
  object: String(item.object),
  owner: String(item.owner),
  name: String(item.name),
  shared: item.shared === true,
  columns: (item.columns as string[] | undefined) ?? [],
  filters: (item.filters as ViewFilter[] | undefined) ?? [],
  sort: typeof item.sort === 'string' ? item.sort : null,
  groupBy: typeof item.groupBy === 'string' ? item.groupBy : null,
  version: Number(item.version),
  createdAt: String(item.createdAt),
  updatedAt: String(item.updatedAt),
});

/**
 * Saved list views: one item per view in the partition of its (object, owner), so a user's
 * views of an object are one Query; shared views also carry a sparse by-object index entry
 * under the object's shared-views partition, so everyone's shared views are one Query too.
 */
export class SavedViewStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(tenant: string, view: SavedView): Record<string, unknown> {
    const { byObject } = TABLE_SPEC.indexes;
    return {
      pk: keys.savedViews(tenant, view.object, view.owner),
      sk: keys.savedViewSk(view.id),
      kind: 'savedView',
      ...view,
      ...(view.shared ? { [byObject.partitionKey]: keys.sharedViews(tenant, view.object), [byObject.sortKey]: view.id } : {}),
    };
  }

  /** Writes a new view (`version` 1) or a new version of one, refusing when the stored version is not `expected`. */
  async put(tenant: string, view: SavedView, expected: number | null): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(tenant, view),
          ...(expected === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'attribute_exists(pk) AND version = :v', ExpressionAttributeValues: { ':v': expected } }),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const current = await this.get(tenant, view.object, view.owner, view.id);
      if (!current) throw new EngineError('record.notFound', `There is no saved view ${view.id}`, [], { id: view.id });
      throw new EngineError('record.versionConflict', `The view is at version ${current.version}, not ${expected ?? 0}`, [], { currentVersion: current.version });
    }
  }

  async get(tenant: string, object: string, owner: string, id: string): Promise<SavedView | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.savedViews(tenant, object, owner), sk: keys.savedViewSk(id) } }));
    return Item ? toView(Item) : null;
  }

  /** One user's views of an object (private and shared), oldest first. */
  async mine(tenant: string, object: string, owner: string, limit: number): Promise<SavedView[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':p': keys.savedViews(tenant, object, owner), ':v': 'V#' },
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toView);
  }

  /** Everyone's shared views of an object, oldest first. */
  async shared(tenant: string, object: string, limit: number): Promise<SavedView[]> {
    const { byObject } = TABLE_SPEC.indexes;
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': byObject.partitionKey },
        ExpressionAttributeValues: { ':p': keys.sharedViews(tenant, object) },
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toView);
  }

  async delete(tenant: string, object: string, owner: string, id: string, expected: number | undefined): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: keys.savedViews(tenant, object, owner), sk: keys.savedViewSk(id) },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_exists(pk)' }
            : { ConditionExpression: 'attribute_exists(pk) AND version = :v', ExpressionAttributeValues: { ':v': expected } }),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const current = await this.get(tenant, object, owner, id);
      if (!current) throw new EngineError('record.notFound', `There is no saved view ${id}`, [], { id });
      throw new EngineError('record.versionConflict', `The view is at version ${current.version}, not ${expected}`, [], { currentVersion: current.version });
    }
  }
}
