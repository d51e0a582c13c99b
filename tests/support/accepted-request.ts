import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';

export interface AcceptedAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** `performance.now()` when the answer had fully arrived. */
  readonly at: number;
}

export interface AcceptedRequest {
  /** Resolves when the server has taken the request: its `100 Continue`. */
  readonly accepted: Promise<void>;
  readonly answer: Promise<AcceptedAnswer>;
}

export interface AcceptedRequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * A request on a connection of its own that asks `Expect: 100-continue` and sends its body as soon
 * as the server answers `100 Continue`. Node answers that once it has parsed the headers and handed
 * the request to the app, so `accepted` tells a test, whatever the machine's load, that this
 * request is one the server has started (a shutdown must finish it) rather than one still in a
 * connection queue.
 */
export const sendAccepted = (port: number, method: string, path: string, options: AcceptedRequestOptions = {}): AcceptedRequest => {
  const payload = options.body === undefined ? null : JSON.stringify(options.body);
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method,
    path,
    agent: false,
    headers: {
      ...(payload === null ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
      ...options.headers,
      Expect: '100-continue',
    },
  });
  const accepted = new Promise<void>((resolve, reject) => {
    request.once('continue', () => {
      request.end(payload ?? undefined);
      resolve();
    });
    request.once('error', reject);
  });
  const answer = new Promise<AcceptedAnswer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8'), at: performance.now() }),
      );
      incoming.once('error', reject);
    });
  });
  // Unhandled until the test awaits them; a failure then still reaches the test.
  accepted.catch(() => undefined);
  answer.catch(() => undefined);
  request.flushHeaders();
  return { accepted, answer };
};
