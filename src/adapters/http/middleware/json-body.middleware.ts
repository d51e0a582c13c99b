import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { HttpProblem } from '../http-problem.js';

type KoaBodyOptions = NonNullable<Parameters<typeof koaBody>[0]>;
// koa-body types methods as an enum it does not export; the strings are what it compares.
const PARSED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as unknown as KoaBodyOptions['parsedMethods'];

const hasBody = (headers: Record<string, string | string[] | undefined>): boolean =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

/**
 * Parses JSON bodies only. A body of any other type is refused with 415 before it is read, a body
 * over the limit with 413, malformed JSON (or a `__proto__` key) with 400.
 */
export const jsonBody = (limitBytes: number): Middleware => {
  const parse = koaBody({
    json: true,
    jsonStrict: true,
    jsonLimit: limitBytes,
    multipart: false,
    urlencoded: false,
    text: false,
    parsedMethods: PARSED_METHODS,
    onError: (error) => {
      // co-body's strict mode refuses valid JSON that is not an object or array (`"abc"`, `null`,
      // `42`) with the same status as broken JSON. It is not malformed: answer it as a body of the
      // wrong shape, like an array (see `bodyObject`), rather than as unparsable.
      if (error instanceof SyntaxError && error.message.startsWith('invalid JSON, only supports object and array')) {
        throw new HttpProblem(400, 'Validation failed', 'validation_failed', ['body: must be a JSON object']);
      }
      throw error;
    },
  });
  return async (ctx, next) => {
    if (hasBody(ctx.req.headers) && !ctx.is('application/json', 'application/*+json')) {
      throw new HttpProblem(415, 'Request body must be JSON', 'unsupported_media_type');
    }
    return parse(ctx, next);
  };
};
