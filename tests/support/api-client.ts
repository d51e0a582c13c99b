import { randomBytes } from 'node:crypto';
import { createOpenApiResponseCheck, type OpenApiResponseCheck } from './openapi-response-check.js';

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
  /**
   * Why this request goes outside the API contract by design, so that its answer is not held to
   * the OpenAPI document (which every other answer is). Keep these few, each with its reason.
   */
  readonly outsideContract?: string;
}

/**
 * A plain `fetch` client for one server: what any HTTP client of the API would send. Every answer
 * is checked against the document the server serves at `/openapi.json` (fetched once, when the
 * client is made): an answer the document does not describe rejects with an `OpenApiMismatch`
 * saying what differed, unless the request says it is `outsideContract`.
 */
export interface Api {
  readonly baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string, token?: string): Promise<ApiResponse>;
  post(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  put(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
  delete(path: string, body?: unknown, token?: string): Promise<ApiResponse>;
}

/** Fetches and compiles a server's document; a failure is reported when an answer needs it. */
const loadContract = async (baseUrl: string): Promise<OpenApiResponseCheck> => {
  const response = await fetch(`${baseUrl}/openapi.json`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}: ${text.slice(0, 300)}`);
  return checkOf(text);
};

// One compiled check per distinct document, however many servers serve it.
const checks = new Map<string, OpenApiResponseCheck>();
const checkOf = (documentJson: string): OpenApiResponseCheck => {
  let check = checks.get(documentJson);
  if (!check) {
    check = createOpenApiResponseCheck(JSON.parse(documentJson));
    checks.set(documentJson, check);
  }
  return check;
};

export const createApi = (baseUrl: string): Api => {
  // Asked for at once, while the server surely runs (a test may stop it before its last answer
  // is checked); a failed fetch is tried again when an answer needs the document.
  let contract = loadContract(baseUrl);
  contract.catch(() => undefined);
  const contractCheck = async (): Promise<OpenApiResponseCheck> => {
    try {
      return await contract;
    } catch {
      contract = loadContract(baseUrl);
      try {
        return await contract;
      } catch (error) {
        throw new Error(`cannot check answers against ${baseUrl}/openapi.json: ${(error as Error).message}`, { cause: error });
      }
    }
  };

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
    const answer: ApiResponse = { status: response.status, headers: response.headers, body: isJson && text !== '' ? JSON.parse(text) : text, text };
    if (options.outsideContract === undefined) {
      (await contractCheck()).check(
        { method, path: new URL(response.url || `${baseUrl}${path}`).pathname },
        { status: answer.status, contentType: response.headers.get('content-type'), body: answer.body, headers: response.headers },
      );
    }
    return answer;
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
