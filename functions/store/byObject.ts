import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE_SPEC, keys } from './keys';

/** The Query that reads every item listed under an object (records, or users and teams) in the by-object index. */
export function byObjectQuery(tableName: string, tenant: string, object: string): QueryCommandInput {
  const { byObject } = TABLE_SPEC.indexes;
  return {
    TableName: tableName,
    IndexName: byObject.indexName,
    KeyConditionExpression: '#pk = :p',
    ExpressionAttributeNames: { '#pk': byObject.partitionKey },
    ExpressionAttributeValues: { ':p': keys.objectPartition(tenant, object) },
  };
}
