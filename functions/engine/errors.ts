/**
 * The one error type of the engine. Codes are dot-namespaced and stable: clients match
 * on them, so renaming one is a breaking change. HTTP status is decided at the edge
 * (`functions/api/problem.ts`), never here.
 */
export const ERROR_CODES = [
  'request.malformedJson',
  'request.tooLarge',
  'request.unsupportedMediaType',
  'request.invalid',
  'route.notFound',
  'auth.required',
  'auth.invalidToken',
  'auth.badCredentials',
  'auth.tooManyAttempts',
  'access.denied',
  'object.notFound',
  'record.notFound',
  'record.versionConflict',
  'record.versionRequired',
  'record.duplicate',
  'record.referenced',
  'import.notFound',
  'report.notFound',
  'import.conflict',
  'validation.failed',
  'query.invalid',
  'query.badCursor',
  'metadata.invalid',
  'metadata.notFound',
  'metadata.conflict',
  'automation.alreadyApplied',
  'workflow.transitionDenied',
  'workflow.transitionRequired',
  'record.locked',
  'record.converted',
  'approval.notAllowed',
  'internal.error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one part of the input, addressed by JSON Pointer (RFC 6901). */
export interface Problem {
  /** JSON Pointer into the input, `""` for the whole input. */
  readonly path: string;
  /** Stable, dot-free code of the problem (`required`, `type`, `unique`, …). */
  readonly code: string;
  /** English message; translated at the edge from `code` and `params`. */
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly Problem[] = [],
    /** Extra members for the problem document (e.g. `currentVersion`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const isEngineError = (error: unknown): error is EngineError => error instanceof EngineError;

/** `match(error, 'record.')` — true when the error is an EngineError whose code starts with the prefix. */
export const match = (error: unknown, prefix: string): error is EngineError =>
  isEngineError(error) && error.code.startsWith(prefix);

/** Validators return lists of problems; an operation throws once with all of them. */
export function throwIfProblems(code: ErrorCode, message: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new EngineError(code, message, problems);
}

/** Escape one JSON Pointer reference token. */
export const pointerToken = (token: string | number): string =>
  String(token).replace(/~/g, '~0').replace(/\//g, '~1');

export const pointer = (...tokens: Array<string | number>): string =>
  tokens.length === 0 ? '' : '/' + tokens.map(pointerToken).join('/');
