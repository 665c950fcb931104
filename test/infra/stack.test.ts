import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, ROUTE_GROUPS } from '../../functions/api/routes';
import { TABLE_SPEC, allGsis } from '../../functions/store/keys';
import { stageConfig } from '../../infra/stageConfig';
import { AUTOMATION_FUNCTIONS, LAMBDA_BUNDLE, PROJECT_ROOT as ROOT, automationEntry, lambdaEntry } from '../../infra/bundling';
import { AUTOMATION_ACCESS, TABLE_ACCESS } from '../../infra/tableAccess';
import { TesseraStack } from '../../infra/tesseraStack';
import { automationFunctions, functionsByGroup, policyStatementsOf, resourcesOf } from './templateHelpers';

/*
 * One synth for the whole file. Function bundling is skipped (`aws:cdk:bundling-stacks`):
 * synth.test.ts runs the real `cdk synth` with bundling, and bundles.test.ts builds and
 * invokes every bundle. No logical ids are pinned: resources are found by type and content.
 */
const CORS_ORIGIN = 'https://crm.example.com';
let outdir: string;
let app: App;
let template: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'tessera-cdk-'));
  app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const context: Record<string, string> = { stage: 'test', corsOrigins: CORS_ORIGIN, alarmEmail: 'ops@example.com' };
  const stack = new TesseraStack(app, 'Tessera-test', stageConfig((key) => context[key], { adminUiDir: null }));
  template = Template.fromStack(stack);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('DataTable', () => {
  const table = () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    return tables[0]!;
  };

  it('has the key schema and the global secondary indexes of TABLE_SPEC, all string keys projecting everything', () => {
    const { Properties: p } = table();
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE_SPEC.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SPEC.sortKey, KeyType: 'RANGE' },
    ]);
    const gsis = (p.GlobalSecondaryIndexes as Array<Record<string, unknown>>).map((g) => ({ indexName: g.IndexName, keys: g.KeySchema, projection: g.Projection }));
    expect(gsis).toEqual(
      allGsis().map((g) => ({
        indexName: g.indexName,
        keys: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        projection: { ProjectionType: 'ALL' },
      })),
    );
    const keyNames = [TABLE_SPEC.partitionKey, TABLE_SPEC.sortKey, ...allGsis().flatMap((g) => [g.partitionKey, g.sortKey])];
    expect(p.AttributeDefinitions).toEqual(expect.arrayContaining(keyNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))));
    expect(p.AttributeDefinitions).toHaveLength(new Set(keyNames).size);
  });

  it('is on demand, streams new and old images, and has point-in-time recovery, deletion protection and KMS encryption', () => {
    const t = table();
    expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(t.Properties.StreamSpecification).toEqual({ StreamViewType: TABLE_SPEC.stream });
    expect(t.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const [replica] = t.Properties.Replicas as Array<Record<string, any>>;
    expect(replica!.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(replica!.DeletionProtectionEnabled).toBe(true);
  });

  it('expires items by the time-to-live attribute of TABLE_SPEC', () => {
    expect(table().Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_SPEC.timeToLive, Enabled: true });
  });

  it('is retained when it leaves the stack', () => {
    expect(table().DeletionPolicy).toBe('Retain');
    expect(table().UpdateReplacePolicy).toBe('Retain');
  });
});

describe('IAM', () => {
  it('gives every function a role of its own with no managed policy', () => {
    const fns = functionsByGroup(template);
    expect([...fns.keys()].sort()).toEqual([...ROUTE_GROUPS].sort());
    const roles = resourcesOf(template, 'AWS::IAM::Role', (_id, r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
    const roleIds = [...fns.values()].map((f) => f.roleId);
    expect(new Set(roleIds).size).toBe(fns.size);
    for (const id of roleIds) expect(roles.find((r) => r.id === id)?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(ROUTE_GROUPS.map((group) => ({ group })))('the $group function may do exactly what TABLE_ACCESS lists, on the table and its indexes only', ({ group }) => {
    const fn = functionsByGroup(template).get(group)!;
    const dynamo = policyStatementsOf(template, fn.roleId).filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    const tableId = resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!.id;
    const access = TABLE_ACCESS[group];

    const onTable = dynamo.filter((s) => s.resources.some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] })));
    expect(onTable.flatMap((s) => s.actions).sort()).toEqual(access.actions.map((a) => `dynamodb:${a}`).sort());
    const onIndexes = dynamo.filter((s) => !onTable.includes(s));
    const indexNames = onIndexes.flatMap((s) => s.resources.map((r) => /\/index\/([\w-]+)/.exec(JSON.stringify(r))?.[1]));
    expect(indexNames.sort()).toEqual([...access.indexes].sort());
    for (const s of onIndexes) expect(s.actions).toEqual(['dynamodb:Query']);
  });

  it('grants no wildcard action and no Scan to any function, and nothing on a resource *', () => {
    const fns = functionsByGroup(template);
    for (const fn of fns.values()) {
      for (const s of policyStatementsOf(template, fn.roleId)) {
        for (const action of s.actions) {
          expect(action).not.toContain('*');
          expect(action.toLowerCase()).not.toContain('scan');
        }
        expect(s.resources).not.toContain('*');
      }
    }
  });

  it('lets the system function (the public health check) touch no table at all', () => {
    const fn = functionsByGroup(template).get('system')!;
    expect(policyStatementsOf(template, fn.roleId).flatMap((s) => s.actions).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('Lambda functions', () => {
  it.each(ROUTE_GROUPS.map((group) => ({ group })))('$group runs Node.js 24 on arm64, logs to its own group with retention, and reads its configuration from the environment', ({ group }) => {
    const { props } = functionsByGroup(template).get(group)!;
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Handler).toBe('index.handler');
    const env = props.Environment.Variables;
    // The metadata function serves the template gallery from the catalog shipped beside its code.
    const templates = group === 'metadata' ? ['TESSERA_TEMPLATES_DIR'] : [];
    expect(Object.keys(env).sort()).toEqual(['NODE_OPTIONS', 'TESSERA_COGNITO_CLIENT_ID', 'TESSERA_COGNITO_ISSUER', 'TESSERA_CORS_ORIGINS', 'TESSERA_METADATA_TTL_MS', 'TESSERA_TABLE', ...templates].sort());
    if (group === 'metadata') expect(env.TESSERA_TEMPLATES_DIR).toBe('/var/task/templates');
    expect(env.TESSERA_TABLE).toEqual({ Ref: resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!.id });
    expect(env.TESSERA_CORS_ORIGINS).toBe(CORS_ORIGIN);
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
  });
});

describe('RecordApi', () => {
  /** The people's API (Cognito tokens, CORS for the admin site) and the integrations' API (API keys). */
  const apis = () => {
    const all = resourcesOf(template, 'AWS::ApiGatewayV2::Api');
    expect(all).toHaveLength(2);
    const users = all.find((a) => a.Properties.CorsConfiguration)!;
    const integrations = all.find((a) => a !== users)!;
    return { users, integrations };
  };
  const authorizerOf = (type: 'JWT' | 'REQUEST') => {
    const found = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer', (_id, a) => a.Properties.AuthorizerType === type);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const onApi = (apiId: string, type: string) => resourcesOf(template, type, (_id, r) => JSON.stringify(r.Properties.ApiId) === JSON.stringify({ Ref: apiId }));

  it.each([
    { api: 'users' as const, type: 'JWT' as const },
    { api: 'integrations' as const, type: 'REQUEST' as const },
  ])('the $api API has one route per entry of ROUTES, each to its group’s function, with its $type authorizer exactly where a caller is needed', ({ api, type }) => {
    const apiId = apis()[api].id;
    const authorizerId = authorizerOf(type).id;
    const routes = onApi(apiId, 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const integrations = new Map(onApi(apiId, 'AWS::ApiGatewayV2::Integration').map((i) => [i.id, JSON.stringify(i.Properties.IntegrationUri)]));
    const fns = functionsByGroup(template);
    for (const route of ROUTES) {
      const r = routes.find((x) => x.Properties.RouteKey === `${route.method} ${route.path}`)!;
      expect(r.Properties.AuthorizationType).toBe(route.auth ? (type === 'JWT' ? 'JWT' : 'CUSTOM') : 'NONE');
      if (route.auth) expect(r.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      const integrationId = /"Ref":"(\w+)"/.exec(JSON.stringify(r.Properties.Target))?.[1];
      expect(integrations.get(integrationId!)).toContain(`"${fns.get(route.group)!.id}"`);
    }
  });

  it('checks people’s Cognito ID tokens with API Gateway’s JWT authorizer: the user pool’s issuer, the admin UI’s app client', () => {
    const { Properties: a } = authorizerOf('JWT');
    expect(a.ApiId).toEqual({ Ref: apis().users.id });
    const clientId = resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]!.id;
    const poolId = resourcesOf(template, 'AWS::Cognito::UserPool')[0]!.id;
    expect(a.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(a.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    expect(JSON.stringify(a.JwtConfiguration.Issuer)).toContain(poolId);
    // The route functions verify the same issuer and client again.
    expect(a.JwtConfiguration.Issuer).toEqual(functionsByGroup(template).get('records')!.props.Environment.Variables.TESSERA_COGNITO_ISSUER);
  });

  it('checks other systems’ API keys with a function that may only read items, caching its answer per Authorization header', () => {
    const { Properties: a } = authorizerOf('REQUEST');
    expect(a.ApiId).toEqual({ Ref: apis().integrations.id });
    expect(a).toMatchObject({ IdentitySource: ['$request.header.Authorization'], AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 300 });
    const fn = resourcesOf(template, 'AWS::Lambda::Function', (_id, f) => String(f.Properties.Description).startsWith('Tessera API: authorizer'))[0]!;
    expect(JSON.stringify(a.AuthorizerUri)).toContain(fn.id);
    expect(Object.keys(fn.Properties.Environment.Variables).filter((k) => k.startsWith('TESSERA_COGNITO'))).toEqual([]);
    const statements = policyStatementsOf(template, fn.Properties.Role['Fn::GetAtt'][0]);
    const dynamo = statements.filter((st) => st.actions.some((x) => x.startsWith('dynamodb:')));
    expect(dynamo.map((st) => st.actions)).toEqual([['dynamodb:GetItem']]);
  });

  it('throttles both APIs and writes JSON access logs with the request id to log groups with retention; only the people’s API allows the configured origins', () => {
    const stages = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stages.map((st) => st.Properties.ApiId).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual(
      [apis().users.id, apis().integrations.id].map((Ref) => ({ Ref })).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    );
    for (const stage of stages) {
      expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
      expect(format.requestId).toBe('$context.requestId');
      expect(format.principal).toMatch(/^\$context\.authorizer\./);
      const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
    const { users, integrations } = apis();
    expect(users.Properties.CorsConfiguration.AllowOrigins).toEqual([CORS_ORIGIN]);
    expect(users.Properties.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'if-match']));
    expect(integrations.Properties.CorsConfiguration).toBeUndefined();
  });
});

describe('Identity', () => {
  it('keeps tenant, roles and user id in custom attributes that only administrators can set', () => {
    const [pool] = resourcesOf(template, 'AWS::Cognito::UserPool');
    const custom = (pool!.Properties.Schema as Array<{ Name: string; Mutable: boolean }>).filter((a) => ['tenant', 'roles', 'userId'].includes(a.Name));
    expect(custom.map((a) => [a.Name, a.Mutable]).sort()).toEqual([
      ['roles', true],
      ['tenant', false],
      ['userId', false],
    ]);
    expect(pool!.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool!.Properties.MfaConfiguration).toBe('ON');
    const [client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(client!.Properties.WriteAttributes.filter((a: string) => a.startsWith('custom:'))).toEqual([]);
    expect(client!.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:tenant', 'custom:roles', 'custom:userId']));
    expect(client!.Properties.GenerateSecret).toBe(false);
  });
});

describe('Alarms', () => {
  it.each(ROUTE_GROUPS.map((group) => ({ group })))('the $group function has an errors alarm and a throttles alarm that notify the alarm topic', ({ group }) => {
    const fn = functionsByGroup(template).get(group)!;
    const topicId = resourcesOf(template, 'AWS::SNS::Topic')[0]!.id;
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm', (_id, a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"Ref":"${fn.id}"`));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(['Errors', 'Throttles']);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('has an alarm on 5xx answers of each API, and subscribes the configured e-mail to the topic', () => {
    const apiIds = resourcesOf(template, 'AWS::ApiGatewayV2::Api').map((a) => a.id);
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm', (_id, a) => a.Properties.MetricName === '5xx' && a.Properties.Namespace === 'AWS/ApiGateway');
    expect(alarms).toHaveLength(2);
    for (const id of apiIds) expect(alarms.filter((a) => JSON.stringify(a.Properties.Dimensions).includes(`"Ref":"${id}"`))).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('Automation', () => {
  const resources = () => template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const tableId = () => resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!.id;
  const fns = () => automationFunctions(template);
  const fn = (name: (typeof AUTOMATION_FUNCTIONS)[number]) => fns().get(name)!;
  const mappingOf = (functionId: string) => resourcesOf(template, 'AWS::Lambda::EventSourceMapping', (_id, m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: functionId }));
  const queueIdOf = (arn: unknown) => (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const mappings = () => {
    const [stream] = mappingOf(fn('stream').id);
    const [webhooks] = mappingOf(fn('webhooks').id);
    return { stream: stream!, webhooks: webhooks! };
  };

  it('has the three automation functions, each on Node.js 24 arm64 with its own role and a log group kept 30 days', () => {
    expect([...fns().keys()].sort()).toEqual([...AUTOMATION_FUNCTIONS].sort());
    const roles = new Set([...fns().values()].map((f) => f.roleId));
    expect(roles.size).toBe(AUTOMATION_FUNCTIONS.length);
    for (const api of functionsByGroup(template).values()) expect(roles.has(api.roleId)).toBe(false);
    for (const { props, roleId } of fns().values()) {
      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(resources()[props.LoggingConfig.LogGroup.Ref]!.Properties.RetentionInDays).toBe(30);
      expect(resources()[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('configures each function from the environment: the table and the delivery queue, and no identity provider', () => {
    const deliveryQueue = queueIdOf(mappings().webhooks.Properties.EventSourceArn);
    for (const { props } of fns().values()) {
      const env = props.Environment.Variables;
      expect(Object.keys(env).sort()).toEqual(['NODE_OPTIONS', 'TESSERA_METADATA_TTL_MS', 'TESSERA_TABLE', 'TESSERA_WEBHOOK_QUEUE_URL']);
      expect(env.TESSERA_TABLE).toEqual({ Ref: tableId() });
      expect(env.TESSERA_WEBHOOK_QUEUE_URL).toEqual({ Ref: deliveryQueue });
    }
  });

  it('consumes the table’s stream in batches, bisecting a failing batch, retrying it, skipping records too old, reporting the failed item, and sending what still fails to a dead-letter queue', () => {
    const { stream } = mappings();
    expect(stream.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const dlq = resources()[queueIdOf(stream.Properties.DestinationConfig.OnFailure.Destination)]!;
    expect(dlq.Type).toBe('AWS::SQS::Queue');
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
  });

  it('invokes the tick every minute from an EventBridge schedule, without retries (the next minute is the retry)', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(rules[0]!.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [fn('tick').id, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })]);
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission', (_id, p) => p.Properties.Principal === 'events.amazonaws.com');
    expect(permissions.map((p) => p.Properties.FunctionName)).toEqual([{ 'Fn::GetAtt': [fn('tick').id, 'Arn'] }]);
    const invokeConfig = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig', (_id, c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fn('tick').id }));
    expect(invokeConfig.map((c) => c.Properties.MaximumRetryAttempts)).toEqual([0]);
  });

  it('delivers webhooks from a queue with its own dead-letter queue, a visibility timeout six times the consumer’s, and partial batch failures', () => {
    const { webhooks } = mappings();
    expect(webhooks.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const queue = resources()[queueIdOf(webhooks.Properties.EventSourceArn)]!;
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn('webhooks').props.Timeout);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    const dlq = resources()[queueIdOf(queue.Properties.RedrivePolicy.deadLetterTargetArn)]!;
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
  });

  it('lets every queue be reached over TLS only', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(3);
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');
    for (const q of queues) {
      const policy = policies.find((p) => (p.Properties.Queues as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: q.id })));
      expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it.each(AUTOMATION_FUNCTIONS.map((name) => ({ name })))('the $name function may do exactly what AUTOMATION_ACCESS lists to the table, and only its own stream and queue actions besides', ({ name }) => {
    const { roleId } = fn(name);
    const statements = policyStatementsOf(template, roleId);
    const onTable = statements.filter((s) => s.resources.some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [tableId(), 'Arn'] })));
    expect(onTable.flatMap((s) => s.actions).sort()).toEqual(AUTOMATION_ACCESS[name].actions.map((a) => `dynamodb:${a}`).sort());
    const onIndexes = statements.filter((s) => s.resources.some((r) => /\/index\//.test(JSON.stringify(r))));
    expect(onIndexes.flatMap((s) => s.resources.map((r) => /\/index\/([\w-]+)/.exec(JSON.stringify(r))?.[1])).sort()).toEqual([...AUTOMATION_ACCESS[name].indexes].sort());
    for (const s of onIndexes) expect(s.actions).toEqual(['dynamodb:Query']);
    const onStream = statements.filter((s) => s.resources.some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [tableId(), 'StreamArn'] })));
    expect(onStream.flatMap((s) => s.actions).sort()).toEqual(name === 'stream' ? ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'] : []);
    const { stream, webhooks } = mappings();
    const deliveryQueue = queueIdOf(webhooks.Properties.EventSourceArn);
    const streamDlq = queueIdOf(stream.Properties.DestinationConfig.OnFailure.Destination);
    const sqs = statements.filter((s) => s.actions.some((a) => a.startsWith('sqs:')));
    const queuesReached = new Set(sqs.flatMap((s) => s.resources.map(queueIdOf)));
    expect([...queuesReached].sort()).toEqual((name === 'stream' ? [deliveryQueue, streamDlq] : [deliveryQueue]).sort());
    const receives = sqs.filter((s) => s.actions.includes('sqs:ReceiveMessage')).flatMap((s) => s.resources.map(queueIdOf));
    expect(receives).toEqual(name === 'webhooks' ? [deliveryQueue] : []);
    const known = [...onTable, ...onIndexes, ...onStream, ...sqs];
    expect(statements.filter((s) => !known.includes(s)).flatMap((s) => s.actions).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    for (const s of statements) {
      for (const action of s.actions) {
        expect(action).not.toContain('*');
        expect(action.toLowerCase()).not.toContain('scan');
      }
      expect(s.resources).not.toContain('*');
    }
  });

  it('alarms on each function’s errors and throttles, on any message in either dead-letter queue, and on the stream consumer falling five minutes behind', () => {
    const topicId = resourcesOf(template, 'AWS::SNS::Topic')[0]!.id;
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const on = (ref: string) => alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(ref));
    for (const name of AUTOMATION_FUNCTIONS) {
      const metrics = on(`"Ref":"${fn(name).id}"`).map((a) => a.Properties.MetricName).sort();
      expect(metrics).toEqual(name === 'stream' ? ['Errors', 'IteratorAge', 'Throttles'] : ['Errors', 'Throttles']);
    }
    const [age] = on(`"Ref":"${fn('stream').id}"`).filter((a) => a.Properties.MetricName === 'IteratorAge');
    expect(age!.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: 300_000, ComparisonOperator: 'GreaterThanThreshold' });

    const { stream, webhooks } = mappings();
    const deliveryQueue = resources()[queueIdOf(webhooks.Properties.EventSourceArn)]!;
    const dlqs = [queueIdOf(stream.Properties.DestinationConfig.OnFailure.Destination), queueIdOf(deliveryQueue.Properties.RedrivePolicy.deadLetterTargetArn)];
    for (const dlq of dlqs) {
      const [depth, ...more] = alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"Fn::GetAtt":["${dlq}","QueueName"]`));
      expect(more).toEqual([]);
      expect(depth!.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });
});

describe('the stack as a whole', () => {
  it('hard-codes no physical names, so stages and accounts never collide', () => {
    const named = ['TableName', 'FunctionName', 'RoleName', 'TopicName', 'BucketName', 'LogGroupName', 'UserPoolName', 'AlarmName'];
    for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>)) {
      // A reference to another resource's name (Ref, Fn::GetAtt) is fine; a literal is a hard-coded name.
      for (const key of named) expect(typeof r.Properties?.[key], `${id}.${key}`).not.toBe('string');
    }
  });

  it('passes the cdk-nag AWS Solutions checks, every exception acknowledged with a reason', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });
});

describe('stageConfig', () => {
  it.each([
    { title: 'no stage', context: {}, error: /Name the stage/ },
    { title: 'an upper-case stage', context: { stage: 'Prod' }, error: /Name the stage/ },
    { title: 'a domain without its certificate', context: { stage: 'dev', apiDomain: 'api.example.com' }, error: /apiCertificateArn/ },
    { title: 'an unknown Cognito plan', context: { stage: 'dev', cognitoPlan: 'gold' }, error: /cognitoPlan/ },
  ])('refuses $title', ({ context, error }) => {
    expect(() => stageConfig((key) => (context as Record<string, string>)[key], { adminUiDir: null })).toThrow(error);
  });

  it('reads the stage, origins and alarm e-mail from context', () => {
    const context: Record<string, string> = { stage: 'dev', corsOrigins: 'https://a.example, https://b.example', alarmEmail: 'ops@example.com' };
    expect(stageConfig((key) => context[key], { adminUiDir: null })).toEqual({ stage: 'dev', corsOrigins: ['https://a.example', 'https://b.example'], alarmEmail: 'ops@example.com' });
  });
});

describe('TABLE_ACCESS', () => {
  /*
   * A coarse guard against drift: every DynamoDB action the store can send is granted to some
   * group. Which group needs it is reviewed by hand (infra/tableAccess.ts); DynamoDB Local
   * enforces no IAM, so a missing grant would first show as AccessDenied in AWS.
   */
  const COMMAND_ACTIONS: Record<string, string[]> = {
    GetCommand: ['GetItem'],
    PutCommand: ['PutItem'],
    UpdateCommand: ['UpdateItem'],
    DeleteCommand: ['DeleteItem'],
    QueryCommand: ['Query'],
    BatchGetCommand: ['BatchGetItem'],
    BatchWriteCommand: ['BatchWriteItem'],
    TransactGetCommand: ['GetItem'],
    ScanCommand: ['Scan'],
    // Table creation (createTable.ts) is for the local runtime and tests; no function calls it.
    DescribeTableCommand: [],
    CreateTableCommand: [],
  };
  const TRANSACT_ITEM_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

  it('grants every DynamoDB action the functions’ store code sends to some group, and Scan to none', async () => {
    // The store modules the Lambda bundles contain (the CLI's backup code, for one, is not among them).
    const entryPoints = [...ROUTE_GROUPS.map(lambdaEntry), ...AUTOMATION_FUNCTIONS.map(automationEntry)];
    const { metafile } = await build({ ...LAMBDA_BUNDLE, mainFields: [...LAMBDA_BUNDLE.mainFields], external: [...LAMBDA_BUNDLE.external], entryPoints, outdir: join(outdir, 'meta'), write: false, metafile: true });
    const storeFiles = Object.keys(metafile.inputs).filter((f) => /(^|\/)functions\/store\/[^/]+\.ts$/.test(f));
    expect(storeFiles.length).toBeGreaterThan(0);
    const sent = new Set<string>();
    for (const file of storeFiles) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const [, command] of source.matchAll(/new (\w+Command)\(/g)) {
        if (command === 'TransactWriteCommand') {
          for (const [, kind] of source.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)) sent.add(TRANSACT_ITEM_ACTIONS[kind!]!);
          continue;
        }
        expect(COMMAND_ACTIONS, `${file} sends ${command}: map it to IAM actions here and grant them in infra/tableAccess.ts`).toHaveProperty(command!);
        for (const action of COMMAND_ACTIONS[command!]!) sent.add(action);
      }
    }
    expect(sent.has('Scan')).toBe(false);
    const granted = new Set([...Object.values(TABLE_ACCESS), ...Object.values(AUTOMATION_ACCESS)].flatMap((a) => a.actions));
    expect([...sent].filter((a) => !granted.has(a as never))).toEqual([]);
  });
});
