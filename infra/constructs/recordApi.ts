import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, DomainName, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
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
 * How long API Gateway keeps the key authorizer's answer per Authorization header. The
 * authorizer is a gate against traffic without credentials; every route function verifies the
 * caller again on every request (a revoked key stops there within a second), so caching the
 * gate costs no revocation delay and saves an invocation per request.
 */
const AUTHORIZER_CACHE = Duration.minutes(5);

/**
 * The API, twice over the same functions: one Lambda function per route group, every route in
 * `ROUTES` on two HTTP APIs that differ only in who may call them.
 *
 * - `api` — people: the admin console and the staff app. API Gateway's JWT authorizer checks
 *   the Cognito user pool's ID tokens (issuer and app client) with no function in the path.
 * - `integrationApi` — other systems (an ERP, a data pipeline) with per-tenant API keys
 *   (`tsk_…`), which a JWT authorizer cannot check: a small authorizer function hashes the key
 *   and reads it. No CORS: browsers do not call it.
 *
 * Both throttle and write JSON access logs. The handlers verify the caller again on every
 * request (defence in depth, and the same code path as local, where one server takes both).
 */
export class RecordApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly integrationApi: HttpApi;
  readonly integrationStage: HttpStage;
  readonly functions: ReadonlyMap<RouteGroup, GroupFunction>;
  /** The API-key authorizer in front of every integration route that needs a caller. */
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
    this.integrationApi = new HttpApi(this, 'IntegrationApi', { description: 'Tessera REST API for other systems (API keys)', createDefaultStage: false });

    this.authorizerFunction = new TesseraFunction(this, 'AuthorizerFunction', {
      entry: lambdaEntry('authorizer'),
      access: AUTHORIZER_ACCESS,
      table: props.table,
      description: 'Tessera API: authorizer of the integration API (API keys)',
      environment: { TESSERA_TABLE: environment.TESSERA_TABLE },
      // It hashes a secret and reads one item: no metadata to compile, no token to verify.
      memorySize: 256,
      timeout: Duration.seconds(5),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    const users = new HttpJwtAuthorizer('Cognito', props.identity.issuer, {
      authorizerName: 'cognito',
      jwtAudience: [props.identity.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    const keys = new HttpLambdaAuthorizer('ApiKeys', this.authorizerFunction.fn, {
      authorizerName: 'api-keys',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE,
    });
    this.addRoutes(this.api, 'Users', users);
    this.addRoutes(this.integrationApi, 'Integrations', keys);

    if (props.domain) {
      this.domain = new DomainName(this, 'Domain', { domainName: props.domain.domainName, certificate: props.domain.certificate });
    }
    const stage = (stageId: string, httpApi: HttpApi, logsId: string, format: AccessLogFormat, domain?: DomainName) =>
      new HttpStage(this, stageId, {
        httpApi,
        stageName: '$default',
        autoDeploy: true,
        throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
        accessLogSettings: { destination: new LogGroupLogDestination(new LogGroup(this, logsId, { retention: props.logRetention ?? RetentionDays.ONE_MONTH })), format },
        ...(domain ? { domainMapping: { domainName: domain } } : {}),
      });
    this.stage = stage('Stage', this.api, 'AccessLogs', USER_LOG_FORMAT, this.domain);
    this.integrationStage = stage('IntegrationStage', this.integrationApi, 'IntegrationAccessLogs', KEY_LOG_FORMAT);
  }

  /** Every route of `ROUTES` on `httpApi`, each to its group's function, behind `authorizer` where a caller is needed. */
  private addRoutes(httpApi: HttpApi, prefix: string, authorizer: IHttpRouteAuthorizer): void {
    const integrations = new Map([...this.functions].map(([group, f]) => [group, new HttpLambdaIntegration(`${prefix}${capitalise(group)}Integration`, f.fn)]));
    for (const route of ROUTES) {
      const [created] = httpApi.addRoutes({
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
  }

  /** The API's base URL (the custom domain's when there is one). */
  get url(): string {
    return this.domain ? `https://${this.domain.name}/` : this.stage.url;
  }

  /** The integration API's base URL: the same routes, for API keys. */
  get integrationUrl(): string {
    return this.integrationStage.url;
  }
}

/** One JSON line per request, with HTTP API context variables only (no request bodies, no tokens). */
const requestLog = {
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
};
/** People: the verified token's subject (the Cognito user; its tenant is one of the user's attributes). */
const USER_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({ ...requestLog, principal: '$context.authorizer.claims.sub', principalKind: 'user' }));
/** Other systems: the key authorizer's context names the tenant and the key. */
const KEY_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({ ...requestLog, tenant: '$context.authorizer.tenant', principal: '$context.authorizer.principal', principalKind: 'apiKey' }));

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
