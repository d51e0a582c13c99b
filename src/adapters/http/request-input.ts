import type { Context } from 'koa';
import type * as v from 'valibot';
import { validate } from '../../application/validation/validate.js';
import { messageNotFound, sessionNotFound, UnauthenticatedError, ValidationError } from '../../domain/domain-error.js';
import { parseResourceId } from '../../application/validation/resource-id.js';
import type { Principal } from '../../application/auth/principal.js';
import type { HttpState } from './http-state.js';

/**
 * The request body parsed with its schema: a JSON object (no body at all reads as an empty one),
 * its fields checked by the rules the use cases hold them to, unknown keys dropped so that keys a
 * client adds (`id`, `user_id`, `is_active`...) never reach a use case.
 */
export const parseBody = <S extends v.GenericSchema>(ctx: Context, schema: S): v.InferOutput<S> => {
  const body: unknown = ctx.request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError(['body: must be a JSON object']);
  }
  return validate(schema, body);
};

/** The query string parsed with its schema; a repeated parameter arrives as an array, which no rule accepts. */
export const parseQuery = <S extends v.GenericSchema>(ctx: Context, schema: S): v.InferOutput<S> => validate(schema, ctx.query);

/**
 * The `:id` and `:message_id` of a path. Read before the body, so that a path naming no resource
 * is 404 whatever the body holds, as the use cases themselves order it.
 */
export const sessionIdOf = (ctx: { params: Record<string, string | undefined> }): number => parseResourceId(ctx.params['id'], sessionNotFound);
export const messageIdOf = (ctx: { params: Record<string, string | undefined> }): number =>
  parseResourceId(ctx.params['message_id'], messageNotFound);

export const principalOf = (ctx: { state: HttpState }): Principal => {
  const principal = ctx.state.principal;
  // Routes that read a principal are mounted behind `requirePrincipal`; reaching here without one
  // is a wiring bug, refused rather than served.
  if (!principal) throw new UnauthenticatedError();
  return principal;
};

/** The token from `Authorization: Bearer <token>`, or undefined when there is none. */
export const bearerToken = (ctx: Context): string | undefined => {
  const header = ctx.get('Authorization');
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
  return match?.[1];
};

export const clientOf = (ctx: Context) => ({ address: ctx.ip || null, userAgent: ctx.get('User-Agent') || null });
