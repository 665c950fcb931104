import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Locale } from '../engine/metadata/types';
import type { UserContext } from './auth/tokens';
import type { Services } from './services';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Route groups: one Lambda function each in AWS. */
export type RouteGroup = 'system' | 'auth' | 'metadata' | 'records' | 'admin' | 'data' | 'docs';

/** What a route sees: the parsed request, the verified caller (for authenticated routes) and services. */
export interface ApiRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly locale: Locale;
  readonly services: Services;
}

export interface AuthedRequest extends ApiRequest {
  readonly user: UserContext;
}

export type ApiResponse = APIGatewayProxyStructuredResultV2;

interface RouteBase {
  readonly method: Method;
  /** API Gateway path syntax: `/api/objects/{object}/records/{id}`. */
  readonly path: string;
  readonly group: RouteGroup;
  /** One line for the OpenAPI document and the README. */
  readonly summary: string;
}
export type Route =
  | (RouteBase & { readonly auth: false; readonly handle: (req: ApiRequest) => Promise<ApiResponse> })
  | (RouteBase & { readonly auth: true; readonly handle: (req: AuthedRequest) => Promise<ApiResponse> });

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export const noContent = (headers: Record<string, string> = {}): ApiResponse => ({ statusCode: 204, headers, body: '' });

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; undefined when absent; NaN when present but not a version. */
export function ifMatchVersion(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  return m ? Number(m[1]) : Number.NaN;
}

export const etag = (version: number) => `"${version}"`;
