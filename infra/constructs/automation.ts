import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { automationEntry } from '../bundling';
import type { AutomationFunctionName } from '../bundling';
import { AUTOMATION_ACCESS } from '../tableAccess';
import type { DataTable } from './dataTable';
import { TesseraFunction } from './groupFunction';

export interface AutomationProps {
  readonly table: DataTable;
  /** Where the automation alarms go (the stack's alarm topic). */
  readonly alarmTopic: ITopic;
  /** @default 1000 */
  readonly metadataTtlMs?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Stream records per invocation of the stream consumer.
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * Retries of a failing stream batch (halved each time by bisection) before it goes to the
   * dead-letter queue.
   * @default 5
   */
  readonly retryAttempts?: number;
  /**
   * Oldest stream record still worth processing; older ones go to the dead-letter queue
   * (the stream itself keeps records 24 hours).
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;
  /**
   * The stream consumer's lag that raises an alarm: after-save rules, SLA timers and webhooks
   * are that late.
   * @default Duration.minutes(5)
   */
  readonly iteratorAgeThreshold?: Duration;
}

/** Each automation function's description (what the console and the tests know it by). */
export const AUTOMATION_DESCRIPTIONS: Readonly<Record<AutomationFunctionName, string>> = {
  stream: 'Tessera automation: stream consumer',
  tick: 'Tessera automation: timer tick',
  webhooks: 'Tessera automation: webhook deliveries',
};

/** Five minutes: long enough to be a signal, short enough to hear about it the same hour. */
const PERIOD = Duration.minutes(5);
/** A webhook attempt takes at most TESSERA_WEBHOOK_TIMEOUT_MS (10 s); a batch of 10 runs them side by side. */
const WEBHOOK_TIMEOUT = Duration.seconds(30);

/**
 * Rules that work on their own, after the request: the table's stream consumer (after-save
 * rules, timers, webhook deliveries), the one-minute tick that fires due timers, and the
 * webhook delivery queue with its consumer. Each failure path ends in a dead-letter queue
 * that raises an alarm as soon as it holds a message; the stream consumer's lag has its own.
 *
 * - Stream: batches of `batchSize`, a failing batch bisected and retried `retryAttempts`
 *   times, records older than `maxRecordAge` skipped, and the handler reports the first
 *   failed record (`ReportBatchItemFailures`) so the records before it are not repeated.
 *   What still fails goes to the stream DLQ (the batch's shard and sequence numbers: the
 *   records themselves are read again from the stream within 24 hours).
 * - Tick: an EventBridge rule every minute; a failed tick is not retried (the next minute is
 *   the retry; timers stay due until fired).
 * - Webhooks: the delivery queue (visibility six times the function's timeout, as Lambda
 *   advises) moves a message to its DLQ after five failed receives. A delivery that its
 *   receiver keeps refusing is parked in the table's dead list instead; that is not a failure here.
 */
export class Automation extends Construct {
  readonly functions: ReadonlyMap<AutomationFunctionName, TesseraFunction>;
  readonly streamDeadLetters: Queue;
  readonly deliveryQueue: Queue;
  readonly deliveryDeadLetters: Queue;
  readonly schedule: Rule;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AutomationProps) {
    super(scope, id);
    const queue = (queueId: string, extra: { visibilityTimeout?: Duration; deadLetterQueue?: { queue: Queue; maxReceiveCount: number } } = {}) =>
      new Queue(this, queueId, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14), ...extra });

    this.streamDeadLetters = queue('StreamDeadLetters');
    this.deliveryDeadLetters = queue('DeliveryDeadLetters');
    this.deliveryQueue = queue('DeliveryQueue', { visibilityTimeout: Duration.seconds(WEBHOOK_TIMEOUT.toSeconds() * 6), deadLetterQueue: { queue: this.deliveryDeadLetters, maxReceiveCount: 5 } });
    // cdk-nag recognises a DLQ by another queue's redrive policy; this one is the stream event source's on-failure destination.
    Validations.of(this.streamDeadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is a dead-letter queue itself (the stream consumer’s on-failure destination): a message here raises an alarm and is handled by hand.' });

    const environment = {
      TESSERA_TABLE: props.table.table.tableName,
      TESSERA_METADATA_TTL_MS: String(props.metadataTtlMs ?? 1000),
      TESSERA_WEBHOOK_QUEUE_URL: this.deliveryQueue.queueUrl,
    };
    const make = (name: AutomationFunctionName, functionId: string, timeout: Duration) =>
      new TesseraFunction(this, functionId, {
        entry: automationEntry(name),
        access: AUTOMATION_ACCESS[name],
        table: props.table,
        description: AUTOMATION_DESCRIPTIONS[name],
        environment,
        timeout,
        ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      });
    const stream = make('stream', 'StreamFunction', Duration.minutes(1));
    const tick = make('tick', 'TickFunction', Duration.seconds(55));
    const webhooks = make('webhooks', 'WebhooksFunction', WEBHOOK_TIMEOUT);
    this.functions = new Map([
      ['stream', stream],
      ['tick', tick],
      ['webhooks', webhooks],
    ]);

    stream.fn.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 100,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 5,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDeadLetters),
      }),
    );

    tick.fn.configureAsyncInvoke({ retryAttempts: 0 });
    this.schedule = new Rule(this, 'TickSchedule', {
      description: 'Tessera: fire due timers every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(tick.fn, { retryAttempts: 0 })],
    });

    webhooks.fn.addEventSource(new SqsEventSource(this.deliveryQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 10 }));
    // Rules and webhook subscriptions announce deliveries; the consumer announces a retry for later.
    for (const f of [stream, tick, webhooks]) this.deliveryQueue.grantSendMessages(f.role);

    const action = new SnsAction(props.alarmTopic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, comparisonOperator: ComparisonOperator, description: string) => {
      const a = new Alarm(this, alarmId, { metric, threshold, evaluationPeriods: 1, comparisonOperator, treatMissingData: TreatMissingData.NOT_BREACHING, alarmDescription: description });
      a.addAlarmAction(action);
      this.alarms.push(a);
    };
    for (const [name, f] of this.functions) {
      alarm(`${name}Errors`, f.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `The automation ${name} function failed (crash, timeout, out of memory, or a batch it reported failed).`);
      alarm(`${name}Throttles`, f.fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `The automation ${name} function was throttled: account concurrency is exhausted.`);
    }
    const depth = (q: Queue) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
    alarm('StreamDeadLetterDepth', depth(this.streamDeadLetters), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 'Stream changes failed every retry: after-save rules, timers or webhooks did not run for them. See the stream DLQ.');
    alarm('DeliveryDeadLetterDepth', depth(this.deliveryDeadLetters), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 'Webhook delivery messages failed five receives (the table or the queue was unreachable). See the delivery DLQ.');
    const lag = props.iteratorAgeThreshold ?? Duration.minutes(5);
    alarm('StreamIteratorAge', stream.fn.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }), lag.toMilliseconds(), ComparisonOperator.GREATER_THAN_THRESHOLD, `The stream consumer is more than ${lag.toHumanString()} behind: after-save rules, timers and webhooks are late.`);
  }
}
