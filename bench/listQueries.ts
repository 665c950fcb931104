import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { numberKey } from '../functions/engine/fields/encoding';
import { KEY_SEP, PRESENT } from '../functions/engine/records/indexEntries';
import { TABLE_SPEC, keys, slotSpec } from '../functions/store/keys';
import type { Environment } from './environment';

/** A list request through the API and the raw Query it stands on: same index, partition, key condition, order and page size. */
export interface ListQuery {
  readonly name: string;
  /** Query string of `GET /api/objects/deal/records`. */
  readonly query: string;
  /** What the API must report in `meta.servedBy`, or the comparison would be of different reads. */
  readonly servedBy: string;
  readonly raw: QueryCommandInput;
}

const PAGE = 50;

/**
 * The lists measured: the default (newest first), a range filter with a sort on an indexed
 * field, and an equality filter with a sort on a declared index. Raw keys are built from
 * the store's key layout (`store/keys.ts`) and the published storage map's slots.
 */
export function listQueries(env: Environment): ListQuery[] {
  const { tenant, tableName } = env;
  const slots = env.storage.indexSlots.deal ?? {};
  const slot = (index: string) => {
    const n = slots[index];
    if (n === undefined) throw new Error(`deal.${index} has no slot in the published storage map`);
    return slotSpec(n);
  };
  const amount = slot('amount');
  const byStage = slot('by_stage_amount');
  const { byObject } = TABLE_SPEC.indexes;
  return [
    {
      name: 'list: newest first (by_object)',
      query: `limit=${PAGE}`,
      servedBy: 'object',
      raw: {
        TableName: tableName,
        IndexName: byObject.indexName,
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': byObject.partitionKey },
        ExpressionAttributeValues: { ':p': keys.objectPartition(tenant, 'deal') },
        ScanIndexForward: false,
        Limit: PAGE,
      },
    },
    {
      name: 'list: amount ≥ 20000, sort -amount',
      query: `filter[amount][gte]=20000&sort=-amount&limit=${PAGE}`,
      servedBy: 'index:amount',
      raw: {
        TableName: tableName,
        IndexName: amount.indexName,
        KeyConditionExpression: '#pk = :p AND #sk BETWEEN :low AND :high',
        ExpressionAttributeNames: { '#pk': amount.partitionKey, '#sk': amount.sortKey },
        // Present values sort after blanks; '\uffff' closes the range above every encoded number.
        ExpressionAttributeValues: { ':p': keys.slotPartition(tenant, 'deal', 'amount'), ':low': PRESENT + numberKey(20000), ':high': PRESENT + '\uffff' },
        ScanIndexForward: false,
        Limit: PAGE,
      },
    },
    {
      name: 'list: stage = negotiation, sort -amount',
      query: `filter[stage]=negotiation&sort=-amount&limit=${PAGE}`,
      servedBy: 'index:by_stage_amount',
      raw: {
        TableName: tableName,
        IndexName: byStage.indexName,
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': byStage.partitionKey },
        ExpressionAttributeValues: { ':p': keys.slotPartition(tenant, 'deal', ['by_stage_amount', PRESENT + 'negotiation'].join(KEY_SEP)) },
        ScanIndexForward: false,
        Limit: PAGE,
      },
    },
  ];
}
