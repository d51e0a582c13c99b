import type { NotFoundError } from '../../domain/domain-error.js';

const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * Reads a session or message id from a number or a path segment. Anything that is not a positive
 * integer names no resource, so it is reported as not found rather than invalid.
 */
export const parseResourceId = (value: unknown, notFound: () => NotFoundError): number => {
  const id =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) throw notFound();
  return id;
};
