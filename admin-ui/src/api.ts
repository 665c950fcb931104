/** The public API on the console's own origin: bearer token from sessionStorage, problem+json as `ApiError`. */
import type { Problem } from './pointers';

const TOKEN_KEY = 'tessera.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[],
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  readonly data: T;
  readonly etag: string | null;
}

let language = 'en';
export const setApiLanguage = (lang: string) => void (language = lang);

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language, ...init.headers };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/')) {
      session.signOut();
      window.location.assign('/login');
    }
    const problems = Array.isArray(body.errors) ? (body.errors as Problem[]) : [];
    throw new ApiError(res.status, String(body.code ?? 'http.error'), String(body.detail ?? body.title ?? res.statusText), problems, body);
  }
  return { data: body as T, etag: res.headers.get('etag') };
}

/** `"3"` → 3. */
export const etagNumber = (etag: string | null): number | undefined => (etag ? Number(etag.replace(/^W\//, '').replace(/"/g, '')) : undefined);
