import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_SPEC, allGsis } from './keys';

/** Creates the table from TABLE_SPEC when it does not exist (local runtime and tests; CDK does this in AWS). */
export async function ensureTable(doc: DynamoDBDocumentClient, tableName: string): Promise<'created' | 'exists'> {
  try {
    await doc.send(new DescribeTableCommand({ TableName: tableName }));
    return 'exists';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set<string>([TABLE_SPEC.partitionKey, TABLE_SPEC.sortKey, ...allGsis().flatMap((g) => [g.partitionKey, g.sortKey])]);
  await doc.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_SPEC.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SPEC.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: allGsis().map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_SPEC.stream },
    }),
  );
  return 'created';
}
