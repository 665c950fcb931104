import { buildEvent } from '../functions/local/httpAdapter';
import { Agent, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: T;
  /** Time from invocation to the handler's result, event construction and response parsing excluded. */
  readonly ms: number;
}

let sequence = 0;

/** The API Gateway HTTP API (payload 2.0) event Lambda receives, built as the local HTTP adapter builds it. */
export function apiEvent(call: Call): APIGatewayProxyEventV2 {
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  return buildEvent({
    method: call.method,
    path: call.path,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${call.token}`, 'user-agent': 'tessera-bench', ...call.headers },
    ...(body !== undefined ? { body } : {}),
    requestId: `bench-${++sequence}`,
  });
}

/** Invokes the middy handler in process — the Lambda path — and times only the invocation. */
export async function invokeLambda(handler: LambdaHandler, call: Call): Promise<Answer> {
  const event = apiEvent(call);
  const context = { awsRequestId: event.requestContext.requestId, getRemainingTimeInMillis: () => 30_000 } as Context;
  const started = performance.now();
  const result = await handler(event, context);
  const elapsed = performance.now() - started;
  const text = result.body ?? '';
  return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, body: text ? (JSON.parse(text) as unknown) : undefined, ms: elapsed };
}

/** A client for the local HTTP server over one kept-alive connection, timed from request to last byte. */
export function httpClient(server: Server): (call: Call) => Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (call) =>
    new Promise((resolve, reject) => {
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const headers: Record<string, string> = {
        ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
        authorization: `Bearer ${call.token}`,
        ...call.headers,
      };
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, method: call.method, path: call.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const elapsed = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: text ? (JSON.parse(text) as unknown) : undefined, ms: elapsed });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** The parts of API responses the bench reads. */
export interface RecordBody {
  readonly id: string;
  readonly version: number;
}
export interface ListBody {
  readonly items: RecordBody[];
  readonly meta: { readonly servedBy: string };
}

/**
 * Throws unless the answer has the expected status — a benchmark of failing requests
 * measures nothing — and types its body as the API documents it for that status.
 */
export function expectStatus<T = unknown>(answer: Answer, status: number, what: string): Answer<T> {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer as Answer<T>;
}
