import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, DomainName, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteGroup } from '../../functions/api/http';
import { ROUTES, ROUTE_GROUPS } from '../../functions/api/routes';
import type { DataTable } from './dataTable';
import { GroupFunction } from './groupFunction';
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
 * The HTTP API: every route in `ROUTES`, one Lambda function per route group, a Cognito JWT
 * authorizer on every route that needs a user, throttling, CORS and JSON access logs.
 * The handlers verify the token again (defence in depth, and the same code path as local).
 */
export class RecordApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<RouteGroup, GroupFunction>;
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

    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.identity.userPool, { userPoolClients: [props.identity.client] });
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
    user: '$context.authorizer.claims.sub',
  }),
);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
