import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SPEC, allGsis } from '../../functions/store/keys';

export interface DataTableProps {
  /**
   * What happens to the table when it leaves the stack. Tenant data outlives deployments.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Refuses DeleteTable until switched off, whoever asks.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const stringKey = (name: string): Attribute => ({ name, type: AttributeType.STRING });

/**
 * The one DynamoDB table: on demand, streams with new and old images, point-in-time
 * recovery, AWS-managed KMS encryption, time to live on `TABLE_SPEC.timeToLive`. Keys and
 * indexes come from `TABLE_SPEC` in `functions/store/keys.ts`, the module the repository
 * builds its keys with.
 *
 * DynamoDB adds or removes at most one global secondary index per table update, so a change
 * to the index list in `TABLE_SPEC` deploys one index at a time.
 */
export class DataTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataTableProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE_SPEC.partitionKey),
      sortKey: stringKey(TABLE_SPEC.sortKey),
      billing: Billing.onDemand(),
      dynamoStream: StreamViewType[TABLE_SPEC.stream],
      // Automation effect markers, delivered webhook deliveries and fired timers expire on their own.
      timeToLiveAttribute: TABLE_SPEC.timeToLive,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      encryption: TableEncryptionV2.awsManagedKey(),
      globalSecondaryIndexes: allGsis().map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: stringKey(gsi.partitionKey),
        sortKey: stringKey(gsi.sortKey),
        // A list page is one Query, never a Query plus a GetItem per row.
        projectionType: ProjectionType.ALL,
      })),
    });
  }

  /** ARNs of the named indexes, for Query grants. */
  indexArns(indexNames: readonly string[]): string[] {
    return indexNames.map((name) => `${this.table.tableArn}/index/${name}`);
  }
}
