import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, DomainName, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteGroup } from '../../functions/api/http';
import { ROUTES, ROUTE_GROUPS } from '../../functions/api/routes';
import type { DataTable } from './dataTable';
import { lambdaEntry } from '../bundling';
import { AUTHORIZER_ACCESS } from '../tableAccess';
import { GroupFunction, TesseraFunction } from './groupFunction';
import type { Identity } from './identity';

export interface RecordApiProps {
  readonly table: DataTable;
  readonly identity: Identity;
  /**
   * Origins allowed to call the API from a browser (the admin UI's URL).
   * @default - none: no CORS headers, same-origin callers only
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Requests per second across the whole API, steady and burst.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: ThrottleSettings;
  /** @default RetentionDays.ONE_MONTH — access logs and function logs */
  readonly logRetention?: RetentionDays;
  /**
   * How long a container trusts its cached metadata head before reading it again.
   * @default 1000
   */
  readonly metadataTtlMs?: number;
  /** @default 1024 */
  readonly memorySize?: number;
  /**
   * A custom domain for the API; point a CNAME at `domain.regionalDomainName`.
   * @default - the execute-api URL only
   */
  readonly domain?: { readonly domainName: string; readonly certificate: ICertificate };
}

/**
 * Request headers the API accepts from browsers and response headers it shows them; the
 * same lists as the CORS middleware in `functions/api/createHandler.ts`.
 */
const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-match', 'accept-language'];
const CORS_EXPOSE_HEADERS = ['etag', 'location'];

/** Publishing backfills new index slots in the request (TODO(#4) makes it a job): give it the API's whole 30 s. */
const TIMEOUTS: Partial<Record<RouteGroup, Duration>> = { metadata: Duration.seconds(29) };

/**
 * How long API Gateway keeps an authorizer's answer per Authorization header. The authorizer is
 * a gate against traffic without credentials; every route function verifies the caller again on
 * every request (a revoked key or a deactivated user stops there within a second), so caching
 * the gate costs no revocation delay and saves an invocation per request.
 */
const AUTHORIZER_CACHE = Duration.minutes(5);

/**
 * The HTTP API: every route in `ROUTES`, one Lambda function per route group, an authorizer
 * function on every route that needs a caller (a Cognito token or an integration's API key —
 * API Gateway's JWT authorizer knows only the first), throttling, CORS and JSON access logs.
 * The handlers verify the caller again (defence in depth, and the same code path as local).
 */
export class RecordApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<RouteGroup, GroupFunction>;
  /** The authorizer in front of every route that needs a caller. */
  readonly authorizerFunction: TesseraFunction;
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: RecordApiProps) {
    super(scope, id);
    const origins = [...(props.corsOrigins ?? [])];
    const environment = {
      TESSERA_TABLE: props.table.table.tableName,
      TESSERA_COGNITO_ISSUER: props.identity.issuer,
      TESSERA_COGNITO_CLIENT_ID: props.identity.client.userPoolClientId,
      TESSERA_METADATA_TTL_MS: String(props.metadataTtlMs ?? 1000),
      TESSERA_CORS_ORIGINS: origins.join(','),
    };

    const functions = new Map<RouteGroup, GroupFunction>();
    for (const group of ROUTE_GROUPS) {
      const timeout = TIMEOUTS[group];
      functions.set(
        group,
        new GroupFunction(this, `${capitalise(group)}Function`, {
          group,
          table: props.table,
          environment,
          ...(props.memorySize ? { memorySize: props.memorySize } : {}),
          ...(timeout ? { timeout } : {}),
          ...(props.logRetention ? { logRetention: props.logRetention } : {}),
        }),
      );
    }
    this.functions = functions;

    this.api = new HttpApi(this, 'Api', {
      description: 'Tessera REST API',
      createDefaultStage: false,
      ...(origins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: origins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: CORS_ALLOW_HEADERS,
              exposeHeaders: CORS_EXPOSE_HEADERS,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.authorizerFunction = new TesseraFunction(this, 'AuthorizerFunction', {
      entry: lambdaEntry('authorizer'),
      access: AUTHORIZER_ACCESS,
      table: props.table,
      description: 'Tessera API: authorizer (Cognito token or API key)',
      environment: { TESSERA_TABLE: environment.TESSERA_TABLE, TESSERA_COGNITO_ISSUER: environment.TESSERA_COGNITO_ISSUER, TESSERA_COGNITO_CLIENT_ID: environment.TESSERA_COGNITO_CLIENT_ID },
      // It verifies a signature or hashes a secret and reads one item: no metadata to compile.
      memorySize: 256,
      timeout: Duration.seconds(5),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    const authorizer = new HttpLambdaAuthorizer('Credentials', this.authorizerFunction.fn, {
      authorizerName: 'credentials',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE,
    });
    const integrations = new Map([...functions].map(([group, f]) => [group, new HttpLambdaIntegration(`${capitalise(group)}Integration`, f.fn)]));
    for (const route of ROUTES) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations.get(route.group)!,
        ...(route.auth ? { authorizer } : {}),
      });
      if (!route.auth) {
        const reason = `${route.method} ${route.path} is public by design (${route.summary}); it reads no tenant data.`;
        Validations.of(created!).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
    }

    if (props.domain) {
      this.domain = new DomainName(this, 'Domain', { domainName: props.domain.domainName, certificate: props.domain.certificate });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
      ...(this.domain ? { domainMapping: { domainName: this.domain } } : {}),
    });
  }

  /** The API's base URL (the custom domain's when there is one). */
  get url(): string {
    return this.domain ? `https://${this.domain.name}/` : this.stage.url;
  }
}

/** One JSON line per request, with HTTP API context variables only (no request bodies, no tokens). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    path: '$context.path',
    route: '$context.routeKey',
    status: '$context.status',
    bytes: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    tenant: '$context.authorizer.tenant',
    principal: '$context.authorizer.principal',
    principalKind: '$context.authorizer.kind',
  }),
);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
