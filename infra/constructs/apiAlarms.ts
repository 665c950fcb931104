import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { RecordApi } from './recordApi';

export interface ApiAlarmsProps {
  readonly api: RecordApi;
  /**
   * Who hears about alarms; more subscribers can be added to `topic` later.
   * @default - no subscription
   */
  readonly email?: string;
}

/** Five minutes: long enough to be a signal, short enough to hear about it the same hour. */
const PERIOD = Duration.minutes(5);

/**
 * Alarms on what should never happen: a function error (a crash, a timeout, running out of
 * memory — the middy stack turns every thrown error into a response, so Errors counts only
 * these), a throttled invocation, and a 5xx from the API (an `internal.error` problem is a
 * bug by law 7). All notify one SNS topic.
 */
export class ApiAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Tessera alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: IMetric, description: string) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
    };

    for (const [group, f] of props.api.functions) {
      alarm(`${group}Errors`, f.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), `The ${group} function failed (crash, timeout or out of memory).`);
      alarm(`${group}Throttles`, f.fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), `The ${group} function was throttled: account concurrency is exhausted.`);
    }
    alarm('Api5xx', props.api.stage.metricServerError({ period: PERIOD, statistic: 'Sum' }), 'The API answered 5xx: a bug (internal.error) or a failed integration.');
    alarm('IntegrationApi5xx', props.api.integrationStage.metricServerError({ period: PERIOD, statistic: 'Sum' }), 'The integration API answered 5xx: a bug (internal.error) or a failed integration.');
  }
}
