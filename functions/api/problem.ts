import type { ErrorCode } from '../engine/errors';
import { EngineError } from '../engine/errors';
import { translateProblem, translateTitle } from '../engine/i18n/messages';
import type { Locale } from '../engine/metadata/types';
import type { ApiResponse } from './http';

/** The one table from error code to HTTP status. Exhaustive: a new code without a status does not compile. */
export const STATUS: Record<ErrorCode, number> = {
  'request.malformedJson': 400,
  'request.tooLarge': 413,
  'request.unsupportedMediaType': 415,
  'request.invalid': 400,
  'route.notFound': 404,
  'auth.required': 401,
  'auth.invalidToken': 401,
  'auth.badCredentials': 401,
  'auth.tooManyAttempts': 429,
  'access.denied': 403,
  'object.notFound': 404,
  'record.notFound': 404,
  'record.versionConflict': 412,
  'record.versionRequired': 428,
  'record.duplicate': 409,
  'record.referenced': 409,
  'import.notFound': 404,
  'report.notFound': 404,
  'import.conflict': 409,
  'validation.failed': 422,
  'query.invalid': 400,
  'query.badCursor': 400,
  'metadata.invalid': 422,
  'metadata.notFound': 404,
  'metadata.conflict': 409,
  'automation.alreadyApplied': 409,
  'workflow.transitionDenied': 409,
  'workflow.transitionRequired': 409,
  'record.locked': 409,
  'record.converted': 409,
  'approval.notAllowed': 409,
  'internal.error': 500,
};

/** An RFC 9457 problem document for an engine error, in the caller's language. */
export function problemResponse(error: EngineError, locale: Locale, requestId: string | undefined): ApiResponse {
  const status = STATUS[error.code];
  const body = problemDocument(error, locale, requestId);
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': locale,
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...(typeof error.extra.retryAfter === 'number' ? { 'retry-after': String(error.extra.retryAfter) } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** The problem document itself: the body of an error response, and of each failed item of a batch. */
export function problemDocument(error: EngineError, locale: Locale, requestId?: string): Record<string, unknown> {
  const status = STATUS[error.code];
  return {
    type: `https://tessera.dev/problems/${error.code}`,
    title: translateTitle(error.code, error.message, locale),
    status,
    code: error.code,
    detail: error.message,
    ...(requestId ? { instance: `urn:request:${requestId}` } : {}),
    errors: error.details.map((p) => {
      const t = translateProblem(p, locale);
      return { pointer: t.path, code: t.code, message: t.message, ...(t.params ? { params: t.params } : {}) };
    }),
    ...error.extra,
  };
}

/**
 * Anything thrown below the edge becomes a problem: engine errors as they are, middy's
 * HTTP errors by their cause, and everything else as a 500 whose details stay in the log.
 */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const e = error as { statusCode?: number; message?: string; cause?: { package?: string; message?: string } };
  if (e?.cause?.package === '@middy/http-json-body-parser') {
    return e.message === 'Unsupported Media Type'
      ? new EngineError('request.unsupportedMediaType', 'Send JSON with content-type: application/json')
      : new EngineError('request.malformedJson', `The body is not valid JSON${e.cause.message ? `: ${e.cause.message}` : ''}`);
  }
  if (e?.statusCode === 404 && e.cause?.package === '@middy/http-router') return new EngineError('route.notFound', 'There is no such route');
  return new EngineError('internal.error', 'Something went wrong on our side; it has been logged');
}
