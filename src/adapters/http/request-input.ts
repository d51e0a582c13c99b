import type { Context } from 'koa';
import { UnauthenticatedError, ValidationError } from '../../domain/domain-error.js';
import type { Principal } from '../../application/auth/principal.js';
import type { HttpState } from './http-state.js';

/**
 * The request body as a plain JSON object. Handlers pick the fields they pass on by name, so keys a
 * client adds (`id`, `user_id`, `is_active`...) never reach a use case.
 */
export const bodyObject = (ctx: Context): Record<string, unknown> => {
  const body: unknown = ctx.request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError(['body: must be a JSON object']);
  }
  return body as Record<string, unknown>;
};

/** A query parameter as given: repeated ones stay an array, which validation then refuses. */
export const queryParam = (ctx: Context, name: string): string | string[] | undefined => ctx.query[name];

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
