import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';

/*
 * The local stand-in for Lambda's DynamoDB event source: reads the table's stream from
 * DynamoDB Local and hands each batch, in order, to the same handler Lambda invokes. A
 * reported failure is delivered again from that record on the next poll — at least once,
 * as in AWS. Parent shards are read to their end before their children.
 */

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly handle: (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;
  /** @default 500 */
  readonly intervalMs?: number;
  /** @default 100 (Lambda's default batch size) */
  readonly batchSize?: number;
  readonly region?: string;
  /** Told of every failure (a batch the handler failed, a stream read that threw). */
  readonly onError?: (error: Error) => void;
}

interface ShardState {
  iterator: string | null;
  done: boolean;
  /** The last sequence number handed to the handler successfully: where a lost iterator resumes. */
  last?: string;
  parent?: string;
}

const lostIterator = (error: unknown) => ['TrimmedDataAccessException', 'ExpiredIteratorException'].includes((error as Error).name);

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly dynamo: DynamoDBClient;
  private streamArn: string | null = null;
  private readonly shards = new Map<string, ShardState>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  /** Errors from the handler or the stream, for whoever started the poller to log or assert on. */
  readonly errors: Error[] = [];

  constructor(private readonly options: StreamPollerOptions) {
    const config = { endpoint: options.endpoint, region: options.region ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    this.client = new DynamoDBStreamsClient(config);
    this.dynamo = new DynamoDBClient(config);
  }

  private fail(error: Error): void {
    this.errors.push(error);
    this.options.onError?.(error);
  }

  /** Polls every `intervalMs` until stopped. */
  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      await this.poll().catch((error: Error) => this.fail(error));
      if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs ?? 500);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => 0);
    this.client.destroy();
    this.dynamo.destroy();
  }

  /** Polls until a whole pass finds nothing new (what tests call after writing). Returns the records handled. */
  async drain(maxPasses = 50): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      const n = await this.poll();
      total += n;
      if (n === 0) return total;
    }
    return total;
  }

  /** One pass over every open shard; one at a time, however it is called. */
  poll(): Promise<number> {
    const previous = this.running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.pass());
    this.running = next;
    return next;
  }

  private async pass(): Promise<number> {
    if (!this.streamArn) {
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      this.streamArn = Table?.LatestStreamArn ?? null;
      if (!this.streamArn) throw new Error(`table ${this.options.tableName} has no stream`);
    }
    await this.discover();
    let handled = 0;
    for (const [id, state] of this.shards) {
      if (state.done) continue;
      if (state.parent && this.shards.has(state.parent) && !this.shards.get(state.parent)!.done) continue;
      handled += await this.readShard(id, state);
    }
    return handled;
  }

  private async discover(): Promise<void> {
    let start: string | undefined;
    const found: Shard[] = [];
    do {
      const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn!, ExclusiveStartShardId: start }));
      found.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    for (const shard of found) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, { iterator: null, done: false, ...(shard.ParentShardId ? { parent: shard.ParentShardId } : {}) });
    }
  }

  private async iterator(shardId: string, at?: string, type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' = 'AT_SEQUENCE_NUMBER'): Promise<string | null> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn!, ShardId: shardId, ...(at ? { ShardIteratorType: type, SequenceNumber: at } : { ShardIteratorType: 'TRIM_HORIZON' }) }),
    );
    return ShardIterator ?? null;
  }

  /**
   * DynamoDB Local answers TrimmedDataAccessException to an iterator taken while its shard was
   * still empty once the first record arrives (aws/aws-sdk-java#2923), and any iterator expires
   * after 15 minutes. Neither loses data: the shard is read again just after the last record
   * handled, or from its start if none was.
   */
  private async getRecords(id: string, state: ShardState) {
    const read = () => this.client.send(new GetRecordsCommand({ ShardIterator: state.iterator!, Limit: this.options.batchSize ?? 100 }));
    try {
      return await read();
    } catch (error) {
      if (!lostIterator(error)) throw error;
      state.iterator = state.last ? await this.iterator(id, state.last, 'AFTER_SEQUENCE_NUMBER') : await this.iterator(id);
    }
    try {
      return await read();
    } catch (error) {
      // The last record handled is itself past the 24-hour window: everything retained is newer.
      if (!lostIterator(error) || !state.last) throw error;
      this.fail(new Error(`stream records after ${state.last} were trimmed before they were read`));
      state.iterator = await this.iterator(id);
      return read();
    }
  }

  private async readShard(id: string, state: ShardState): Promise<number> {
    let handled = 0;
    state.iterator ??= await this.iterator(id);
    while (state.iterator) {
      const page = await this.getRecords(id, state);
      const records = (page.Records ?? []) as unknown as DynamoDBRecord[];
      if (records.length > 0) {
        const result = await this.options.handle(records);
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed) {
          // Deliver again from the failed record on the next poll.
          state.iterator = await this.iterator(id, failed);
          this.fail(new Error(`stream batch failed at ${failed}; it will be delivered again`));
          return handled;
        }
        handled += records.length;
        state.last = records[records.length - 1]!.dynamodb?.SequenceNumber ?? state.last;
      }
      if (!page.NextShardIterator) {
        state.done = true;
        state.iterator = null;
        break;
      }
      state.iterator = page.NextShardIterator;
      if (records.length === 0) break;
    }
    return handled;
  }
}
