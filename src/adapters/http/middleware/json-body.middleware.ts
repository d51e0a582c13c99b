import type { IncomingMessage } from 'node:http';
import type { Context, Middleware, Next } from 'koa';
import inflate from 'inflation';
import getRawBody from 'raw-body';
import secureJson from 'secure-json-parse';
import { ValidationError } from '../../../domain/domain-error.js';
import { HttpProblem } from '../http-problem.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (an object or an array) of a POST, PUT, PATCH or DELETE that has one. */
    body?: unknown;
  }
}

// The body is read with raw-body and inflation (the libraries koa-body is built on) rather than
// through koa-body itself, which the bad-input property test (tests/http/bad-input.property.test.ts)
// caught three ways: co-body decodes invalid UTF-8 into U+FFFD and carries on (a message stored as
// "hi\uFFFD" with a 201, where RFC 8259 makes the body malformed); a corrupt gzip, deflate or br
// body threw a zlib error with no status, answered 500; and a JSON type other than its short list
// (`application/merge-patch+json`) passed unparsed, so the write went ahead on defaults.

const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPES = ['application/json', 'application/*+json'];

const tooLarge = (): HttpProblem => new HttpProblem(413, 'Request body too large', 'payload_too_large');
const notJson = (): HttpProblem => new HttpProblem(415, 'Request body must be JSON', 'unsupported_media_type');
const malformed = (): HttpProblem => new HttpProblem(400, 'Malformed JSON body', 'malformed_json');

/** Strict: invalid UTF-8 is an error, not U+FFFD. A leading byte-order mark is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const hasBody = (headers: Record<string, string | string[] | undefined>): boolean =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/** The body's bytes after decompression; at most `limitBytes` of them, else 413. */
const readBody = async (req: IncomingMessage, limitBytes: number): Promise<Buffer> => {
  let source;
  try {
    source = inflate(req);
  } catch {
    throw notJson(); // a Content-Encoding we cannot undo (RFC 7694: 415)
  }
  const compressed = source !== req;
  try {
    return await getRawBody(source, {
      limit: limitBytes,
      // Content-Length counts compressed bytes; the limit is on what the JSON parser would see.
      length: compressed ? null : (req.headers['content-length'] ?? null),
    });
  } catch (error) {
    if (statusOf(error) === 413) throw tooLarge();
    // The rest: a body that does not decompress, is shorter than announced, or was cut off.
    throw malformed();
  }
};

/** A JSON object or array from UTF-8 bytes; anything else is a 400. */
const parseJson = (bytes: Buffer): unknown => {
  let value: unknown;
  try {
    // A `__proto__` or `constructor.prototype` key is refused: handlers pick keys by name, but a
    // body that names the prototype is an attack, not a request.
    value = secureJson.parse(UTF8.decode(bytes), null, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw malformed();
  }
  // Valid JSON that is not an object or array (`"abc"`, `null`, `42`) is not malformed: it is a
  // body of the wrong shape, like an array (see `bodyObject`).
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(['body: must be a JSON object']);
  }
  return value;
};

/**
 * Parses JSON bodies only. A body of any other type is refused with 415 before it is read, a body
 * over the limit with 413, one that is not UTF-8, does not decompress, is malformed JSON or names
 * the prototype with 400. A GET's body means nothing here and is left unread.
 */
export const jsonBody = (limitBytes: number): Middleware => (ctx, next) => {
  // Not async for a request with no body (no Content-Length or Transfer-Encoding: nearly every
  // GET): it passes straight on.
  if (!hasBody(ctx.req.headers)) return next();
  return readJsonBody(ctx, next, limitBytes);
};

const readJsonBody = async (ctx: Context, next: Next, limitBytes: number): Promise<unknown> => {
  if (!ctx.is(JSON_TYPES)) throw notJson();
  if (PARSED_METHODS.has(ctx.method)) {
    const bytes = await readBody(ctx.req, limitBytes);
    if (bytes.byteLength > 0) ctx.request.body = parseJson(bytes);
  }
  return next();
};
