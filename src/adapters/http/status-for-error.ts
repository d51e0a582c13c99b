import type { DomainErrorKind } from '../../domain/domain-error.js';

/** The one place a domain error kind becomes an HTTP status. */
const STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export const statusForErrorKind = (kind: DomainErrorKind): number => STATUS[kind];
