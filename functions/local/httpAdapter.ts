import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { extname, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's payload limit; the handlers enforce their own, smaller one. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(application\/(json|problem\+json|x-www-form-urlencoded|xml)|text\/)/;

export interface EventInput {
  readonly method: string;
  /** Path with query string: `/api/objects/account/records?limit=5`. */
  readonly path: string;
  /** Header names in any case; they are lower-cased as API Gateway does. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestId?: string;
  readonly sourceIp?: string;
  readonly protocol?: string;
}

/**
 * The API Gateway HTTP API (payload 2.0) event Lambda receives for a request: lower-case
 * headers, repeated query parameters joined with commas. The local server, the tests and
 * the bench all build their events here, so they exercise exactly what Lambda gets.
 */
export function buildEvent(input: EventInput, routeKey = '$default'): APIGatewayProxyEventV2 {
  const url = new URL(input.path, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: input.method, path: url.pathname, protocol: input.protocol ?? 'HTTP/1.1', sourceIp: input.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: input.requestId ?? randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
}

/** The event for a request that arrived on the local HTTP server. */
export function toEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  return buildEvent({
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
  });
}

function lambdaContext(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'tessera-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:tessera-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Invokes a handler with a built event and writes its result, as API Gateway would. */
export async function invoke(handler: LambdaHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === null) {
    res.writeHead(413, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 413, code: 'request.tooLarge', title: 'Request too large' }));
    return;
  }
  const event = toEvent(req, body);
  const result = await handler(event, lambdaContext(event.requestContext.requestId));
  const headers: Record<string, string | number | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const payload = result.body === undefined ? Buffer.alloc(0) : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body);
  res.writeHead(result.statusCode ?? 200, headers).end(payload);
}

/** An HTTP server that hands `/api/*` and `/auth/*` to the handler and everything else to `fallback`. */
export function createApiServer(handler: LambdaHandler, fallback?: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const isApi = path.startsWith('/api/') || path === '/api' || path.startsWith('/auth/');
    if (!isApi && fallback) return fallback(req, res);
    invoke(handler, req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ status: 500, code: 'internal.error', title: 'Internal error' }));
    });
  });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a built single-page app (the admin console's `admin-ui/dist`) as the server's fallback:
 * files by path with their content type, `index.html` for any other path without an extension
 * (client-side routes), nothing outside `root`. Hashed `/assets/` files are cached for good,
 * `index.html` never, so a rebuild shows at the next load.
 */
export function staticSite(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const base = resolve(root);
  const index = resolve(base, 'index.html');
  return function serveStatic(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    if (!existsSync(index)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Tessera API: see /api/health. The admin console is not built: run `npm start` (it builds it) or `npx vite build --config admin-ui/vite.config.ts`.\n');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path\n');
      return;
    }
    const file = resolve(base, '.' + path);
    // `resolve` removes `..`; anything that still lands outside the build is refused.
    if (path.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const found = existsSync(file) && statSync(file).isFile();
    if (!found && extname(path) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const served = found ? file : index;
    const headers: Record<string, string | number> = {
      'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
      'content-length': statSync(served).size,
      'x-content-type-options': 'nosniff',
      'cache-control': path.startsWith('/assets/') && found ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (served === index) headers['x-frame-options'] = 'DENY';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(served).pipe(res);
  };
}
