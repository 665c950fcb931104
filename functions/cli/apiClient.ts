/** A small client for the Tessera API, for the CLI: a URL and a bearer token (or a login to get one). */
export interface ApiOptions {
  readonly url: string;
  readonly token?: string;
  readonly tenant?: string;
  readonly email?: string;
  readonly password?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; detail?: string; errors?: Array<{ pointer: string; code: string; message: string }> } | undefined,
  ) {
    super(body?.detail ?? `HTTP ${status}`);
  }
}

export class ApiClient {
  private token: string | undefined;
  constructor(private readonly options: ApiOptions) {
    this.token = options.token;
  }

  private async ensureToken(): Promise<string> {
    if (this.token) return this.token;
    const { tenant, email, password } = this.options;
    if (!tenant || !email || !password) throw new Error('give --token (or TESSERA_TOKEN), or --tenant, --email and --password to sign in');
    const res = await this.raw('POST', '/auth/login', { tenant, email, password }, false);
    this.token = (res as { token: string }).token;
    return this.token;
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    return this.raw(method, path, body, true) as Promise<T>;
  }

  private async raw(method: string, path: string, body: unknown, auth: boolean): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${await this.ensureToken()}`;
    const res = await fetch(new URL(path, this.options.url), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed;
  }
}
