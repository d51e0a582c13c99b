import { randomBytes } from 'node:crypto';

// A body is whatever the server sent; the tests assert its shape, so it is read untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ApiResponse<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON when it is JSON, else its text ('' when there is none). */
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  /** Serialized as JSON with `Content-Type: application/json`. */
  readonly body?: unknown;
  /** Sent exactly as given; set the content type yourself in `headers`. */
  readonly rawBody?: string | Uint8Array;
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** Gives up on the request (the promise rejects) when it aborts: a test's own bound on a hang. */
  readonly signal?: AbortSignal;
}

/** A plain `fetch` client for one server: what any HTTP client of the API would send. */
export interface Api {
  readonly baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string, token?: string): Promise<ApiResponse>;
  post(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  put(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  delete(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
}

export const createApi = (baseUrl: string): Api => {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: options.signal });
    const text = await response.text();
    const isJson = /^application\/json\b/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, headers: response.headers, body: isJson && text !== '' ? JSON.parse(text) : text, text };
  };
  return {
    baseUrl,
    request,
    get: (path, token) => request('GET', path, { token }),
    post: (path, body, token) => request('POST', path, { body, token }),
    put: (path, body, token) => request('PUT', path, { body, token }),
    delete: (path, body, token) => request('DELETE', path, { body, token }),
  };
};

/** A password that meets the rules, for accounts whose password does not matter. */
export const TEST_PASSWORD = 'SecurePass123';

/** A username no other test of the run uses (letters, digits and `_`, within 80 characters). */
export const uniqueUsername = (prefix = 'user'): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export interface RegisteredUser {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly password: string;
  /** The tokens of the login opened by `/auth/login` (registration opens another). */
  readonly accessToken: string;
  readonly refreshToken: string;
  /** The full `/auth/login` answer. */
  readonly login: Record<string, unknown>;
}

/**
 * Registers an account (unique name unless given) and logs it in, failing loudly if either step
 * does not succeed, so a test's own assertions start from a known account.
 */
export const registerAndLogin = async (
  api: Api,
  overrides: { username?: string; email?: string; password?: string } = {},
): Promise<RegisteredUser> => {
  const username = overrides.username ?? uniqueUsername();
  const email = overrides.email ?? `${username.toLowerCase()}@example.com`;
  const password = overrides.password ?? TEST_PASSWORD;
  const registered = await api.post('/auth/register', { username, email, password });
  if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${registered.text}`);
  const login = await api.post('/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
  return {
    id: login.body.user.id,
    username,
    email,
    password,
    accessToken: login.body.access_token,
    refreshToken: login.body.refresh_token,
    login: login.body,
  };
};
