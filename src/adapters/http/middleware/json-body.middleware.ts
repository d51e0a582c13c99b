import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import type { Middleware } from 'koa';
import { HttpProblem } from '../http-problem.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (an object or an array) of a POST, PUT, PATCH or DELETE that has one. */
    body?: unknown;
  }
}

// Read here rather than by koa-body (co-body, raw-body), which the bad-input property test caught
// in three ways: it decoded invalid UTF-8 into U+FFFD and went on (a message stored as "hi\uFFFD"
// with 201, where RFC 8259 makes such a body malformed); a corrupt gzip, deflate or br body threw
// a zlib error with no status, answered 500; and a body of a JSON type other than its own short
// list (`application/merge-patch+json`, which the 415 gate lets through) was never parsed, so its
// keys were ignored and the write went ahead on defaults.

const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPES = ['application/json', 'application/*+json'];

const tooLarge = (): HttpProblem => new HttpProblem(413, 'Request body too large', 'payload_too_large');
const notJson = (): HttpProblem => new HttpProblem(415, 'Request body must be JSON', 'unsupported_media_type');
const malformed = (): HttpProblem => new HttpProblem(400, 'Malformed JSON body', 'malformed_json');

/** Strict: invalid UTF-8 is an error, not U+FFFD. A leading byte-order mark is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

// A `"__proto__":` key, also spelled with \u escapes: the cheap test for whether a body needs the
// walk below (the check co-body made with @hapi/bourne).
const PROTO_KEY = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

/** Whether any object in the value has an own `__proto__` key. A loop, not recursion: bodies may nest thousands deep. */
const hasProtoKey = (value: unknown): boolean => {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return true;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return false;
};

const hasBody = (headers: Record<string, string | string[] | undefined>): boolean =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

/** A decompressor for the body's Content-Encoding (the ones koa-body took), null for none. */
const decompressorFor = (req: IncomingMessage): Transform | null => {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return null;
  if (encoding === 'gzip' || encoding === 'deflate') return createUnzip();
  if (encoding === 'br') return createBrotliDecompress();
  throw notJson();
};

/** The body's bytes, decompressed; at most `limitBytes` of them (after decompression), else 413. */
const readBody = (req: IncomingMessage, limitBytes: number): Promise<Buffer> => {
  const decompressor = decompressorFor(req);
  // Refused unread: Node discards the rest of the body once the answer is sent.
  if (!decompressor && Number(req.headers['content-length']) > limitBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const source = decompressor ? req.pipe(decompressor) : req;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;

    const finish = (problem: HttpProblem | null): void => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      decompressor?.off('error', onCorrupt);
      req.off('error', onAborted);
      req.off('close', onClose);
      if (!problem) {
        resolve(Buffer.concat(chunks, received));
        return;
      }
      // Drop what is still arriving, so the answer goes out and the connection stays usable.
      if (decompressor) {
        req.unpipe(decompressor);
        decompressor.destroy();
      }
      req.resume();
      reject(problem);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.byteLength;
      if (received > limitBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish(null);
    // zlib's errors carry no HTTP status; a body that does not decompress is bad input, not a bug.
    const onCorrupt = (): void => finish(malformed());
    // The client went away mid-body: nobody reads this answer, but the promise must settle.
    const onAborted = (): void => finish(malformed());
    const onClose = (): void => {
      if (!req.complete) finish(malformed());
    };

    source.on('data', onData);
    source.on('end', onEnd);
    decompressor?.on('error', onCorrupt);
    req.on('error', onAborted);
    req.on('close', onClose);
  });
};

/** A JSON object or array from UTF-8 bytes; anything else is a 400. */
const parseJson = (bytes: Buffer): unknown => {
  let value: unknown;
  let text: string;
  try {
    text = UTF8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw malformed();
  }
  // Valid JSON that is not an object or array (`"abc"`, `null`, `42`) is not malformed: it is a
  // body of the wrong shape, like an array (see `bodyObject`).
  if (typeof value !== 'object' || value === null) {
    throw new HttpProblem(400, 'Validation failed', 'validation_failed', ['body: must be a JSON object']);
  }
  // Harmless to the handlers, which pick keys by name, but refused as before: a body that names
  // the prototype is an attack, not a request.
  if (PROTO_KEY.test(text) && hasProtoKey(value)) throw malformed();
  return value;
};

/**
 * Parses JSON bodies only. A body of any other type is refused with 415 before it is read, a body
 * over the limit with 413, one that is not UTF-8, does not decompress, is malformed JSON or has a
 * `__proto__` key with 400. A GET's body means nothing here and is left unread.
 */
export const jsonBody = (limitBytes: number): Middleware => async (ctx, next) => {
  if (!hasBody(ctx.req.headers)) return next();
  if (!ctx.is(JSON_TYPES)) throw notJson();
  if (PARSED_METHODS.has(ctx.method)) {
    const bytes = await readBody(ctx.req, limitBytes);
    if (bytes.byteLength > 0) ctx.request.body = parseJson(bytes);
  }
  return next();
};
