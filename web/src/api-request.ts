/** One call to the API, and its error shape (API.md, "General"). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }

  /** What to show a person: the details name the fields at fault, when there are any. */
  get explanation(): string {
    return this.details.length > 0 ? this.details.join('; ') : this.message;
  }
}

/** No answer at all (offline, server down): worth retrying, unlike an ApiError. */
export class NetworkError extends Error {}

export interface RequestOptions {
  readonly body?: unknown;
  readonly token?: string;
}

export const callApi = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      // Tokens travel in the Authorization header only; no cookie is ever involved.
      credentials: 'omit',
    });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const details = Array.isArray(body['details']) ? body['details'].map(String) : [];
    throw new ApiError(response.status, String(body['code'] ?? 'unknown'), String(body['error'] ?? response.statusText), details);
  }
  return body as T;
};
