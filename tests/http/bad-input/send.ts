/** Requests, sent with node:http (fetch refuses a body on GET and sets its own framing), and their answers. Part of `../bad-input.property.test.ts`. */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { ANSWER_TIMEOUT_MS, type Route } from './settings-and-routes.js';

// ---------------------------------------------------------------------------------------------
// Requests, sent with node:http (fetch refuses a body on GET and sets its own framing)
// ---------------------------------------------------------------------------------------------

export interface Body {
  readonly label: string;
  readonly bytes: Uint8Array;
  /** Left out when undefined. */
  readonly contentType: string | undefined;
  readonly contentEncoding?: string;
  /** Sent with `Transfer-Encoding: chunked` instead of `Content-Length`. */
  readonly chunked: boolean;
}

export interface Outgoing {
  readonly route: Route;
  /** With the path segments filled in and the query string, as sent on the request line. */
  readonly target: string;
  readonly authorization: string | undefined;
  readonly body: Body | undefined;
  /** The one status the answer must have, when the input decides it. */
  readonly expectedStatus?: number;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const shorten = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

export const describeOutgoing = (outgoing: Outgoing): string => {
  const { body } = outgoing;
  const framing = body
    ? ` [${body.contentType ?? 'no content type'}${body.contentEncoding ? `, ${body.contentEncoding}` : ''}${body.chunked ? ', chunked' : ''}, ${body.bytes.byteLength} bytes] ${body.label}`
    : ' (no body)';
  return `${outgoing.route.method} ${shorten(outgoing.target, 300)} [${shorten(outgoing.authorization ?? 'no authorization', 60)}]${framing}`;
};

/** Gives the request a short printed form, so a failure reads as the request rather than 200 KB. */
export const outgoing = (fields: Outgoing): Outgoing => Object.assign(fields, { [fc.toStringMethod]: () => describeOutgoing(fields) });

export const send = (baseUrl: string, request: Outgoing): Promise<Answer> =>
  new Promise((answered, failed) => {
    const { hostname, port } = new URL(baseUrl);
    const headers: Record<string, string> = {};
    if (request.authorization !== undefined) headers['Authorization'] = request.authorization;
    const { body } = request;
    if (body) {
      if (body.contentType !== undefined) headers['Content-Type'] = body.contentType;
      if (body.contentEncoding !== undefined) headers['Content-Encoding'] = body.contentEncoding;
      if (body.chunked) headers['Transfer-Encoding'] = 'chunked';
      else headers['Content-Length'] = String(body.bytes.byteLength);
    }
    let settled = false;
    const client = httpRequest({ host: hostname, port, method: request.route.method, path: request.target, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', failed);
      response.on('end', () => {
        settled = true;
        clearTimeout(timer);
        answered({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    const timer = setTimeout(() => client.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    client.on('error', (error) => {
      // A server may answer a refused body before reading all of it; only an error before the
      // answer is the server's failure.
      if (settled) return;
      clearTimeout(timer);
      failed(error);
    });
    if (body) client.write(body.bytes);
    client.end();
  });
