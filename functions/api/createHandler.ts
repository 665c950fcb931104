import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type { Method as RouterMethod } from '@middy/http-router';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { EngineError } from '../engine/errors';
import { pickLocale } from '../engine/i18n/messages';
import type { ApiRequest, ApiResponse, Route } from './http';
import { problemResponse, toEngineError } from './problem';
import type { Services } from './services';
import { resolveCaller } from './operations/directory';
import { looksLikeApiKey } from './auth/apiKeys';
import { resolveApiKey } from './auth/resolveApiKey';
import { MAX_BODY_BYTES } from './bodyLimits';

type Event = APIGatewayProxyEventV2;
type Handler = middy.MiddyfiedHandler<Event, ApiResponse, Error, Context>;

/*
 * Middleware order, outermost first (befores run top-down, afters and onErrors bottom-up):
 *   1. cors            — headers on every response, errors included
 *   2. problems        — any error → application/problem+json in the caller's language
 *   3. headers         — lower-case header names
 *   4. body limit      — 413 before any parsing
 *   5. json body       — only when there is a body
 *   6. router → route  — routes authenticate themselves (login does not)
 */
export function createHandler(routes: readonly Route[], services: Services, options: { corsOrigins?: string[] } = {}): Handler {
  const router = httpRouterHandler<Event, ApiResponse>({
    routes: routes.map((route) => ({ method: route.method as RouterMethod, path: route.path, handler: (event: Event) => run(route, event, services) })),
    notFoundResponse: ({ method, path }) => {
      throw new EngineError('route.notFound', `There is no route ${method} ${path}`);
    },
  });
  return middy<Event, ApiResponse, Error, Context>()
    .use(httpCors({ origins: options.corsOrigins ?? (process.env.TESSERA_CORS_ORIGINS ?? '').split(',').filter(Boolean), headers: 'authorization,content-type,if-match,accept-language', exposeHeaders: 'etag,location' }))
    .use(problems())
    .use(httpHeaderNormalizer())
    .use(bodyLimit(MAX_BODY_BYTES))
    .use(jsonBodyWhenPresent())
    .handler(router as unknown as Parameters<ReturnType<typeof middy<Event, ApiResponse, Error, Context>>['handler']>[0]);
}

async function run(route: Route, event: Event, services: Services): Promise<ApiResponse> {
  const headers = (event.headers ?? {}) as Record<string, string | undefined>;
  const base: ApiRequest = {
    event,
    params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, decodeURIComponent(v ?? '')])),
    query: event.queryStringParameters ?? {},
    headers,
    body: event.body,
    locale: pickLocale(headers['accept-language']),
    services,
  };
  if (!route.auth) return route.handle(base);
  const auth = headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (!m) throw new EngineError('auth.required', 'Send a bearer token or an API key in the Authorization header');
  const credential = m[1]!;
  // An integration's API key (`tsk_…`) or a user's token (a JWT): never both, never a fallback from one to the other.
  const user = looksLikeApiKey(credential) ? await resolveApiKey(services, credential) : await resolveCaller(services, await services.tokens.verify(credential));
  return route.handle({ ...base, user });
}

function problems(): MiddlewareObj<Event, ApiResponse> {
  return {
    onError: async function problemsOnError(request) {
      const error = toEngineError(request.error);
      if (error.code === 'internal.error') console.error(JSON.stringify({ level: 'error', requestId: request.context?.awsRequestId, error: String(request.error), stack: (request.error as Error)?.stack }));
      const locale = pickLocale((request.event.headers ?? {})['accept-language'] ?? (request.event.headers ?? {})['Accept-Language']);
      request.response = problemResponse(error, locale, request.event.requestContext?.requestId);
    },
  };
}

function bodyLimit(maxBytes: number): MiddlewareObj<Event, ApiResponse> {
  return {
    before: async function bodyLimitBefore({ event }) {
      if (event.body === undefined || event.body === null) return;
      const bytes = event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body);
      if (bytes > maxBytes) throw new EngineError('request.tooLarge', `The body is ${bytes} bytes; the limit is ${maxBytes}`, [], { limit: maxBytes });
    },
  };
}

/** middy's parser insists on a body; GET and DELETE have none. */
function jsonBodyWhenPresent(): MiddlewareObj<Event, ApiResponse> {
  const parser = httpJsonBodyParser();
  return {
    before: async function jsonBodyBefore(request) {
      if (request.event.body === undefined || request.event.body === null || request.event.body === '') {
        (request.event as { body?: unknown }).body = undefined;
        return;
      }
      await parser.before!(request as never);
    },
  };
}
