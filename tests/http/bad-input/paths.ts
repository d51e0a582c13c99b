/** Paths, query strings and tokens that name nothing the caller may reach. Part of `../bad-input.property.test.ts`. */
import fc from 'fast-check';
import { type Route, type Seeded } from './settings-and-routes.js';

// ---------------------------------------------------------------------------------------------
// Paths, queries, tokens
// ---------------------------------------------------------------------------------------------

export const fill = (path: string, id: string, messageId: string): string =>
  path.replace(':id', () => id).replace(':message_id', () => messageId);

/** The route's path with the owner's session and a live message of it. */
export const ownPath = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc.constantFrom(...seeded.messageIds).map((messageId) => fill(route.path, String(seeded.sessionId), String(messageId)));

export const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Would the server read this path segment as this id? (Ids are digits only, leading zeros allowed.) */
export const namesId = (segment: string, ids: readonly number[]): boolean => {
  const decoded = safeDecode(segment);
  return /^\d{1,16}$/.test(decoded) && ids.includes(Number(decoded));
};

export const ODD_SEGMENTS = [
  '0', '-1', '1.5', '1e2', '01', '+1', '%201', '1%20', '%', '%zz', '%FF', '%00', '%2F', '..', '.', '99999999999999999999',
  '9007199254740993', '18446744073709551616', 'null', 'undefined', 'NaN', 'Infinity', '__proto__', 'constructor', 'prototype',
  '0x1f', '%D9%A1', '1;DROP', '1%27%20OR%201%3D1', `${'9'.repeat(300)}`,
];

/** A path segment: an id (the owner's, a deleted one, another user's), odd text, huge numbers, random text. */
export const segment = (seeded: Seeded): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...[seeded.sessionId, seeded.deletedSessionId, seeded.otherSessionId, ...seeded.messageIds, seeded.deletedMessageId, seeded.otherMessageId].map(String)) },
    fc.constantFrom(...ODD_SEGMENTS),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  );

/** The route's path with random segments; for a `bodiless` write, never one that names the owner's live data. */
export const randomPath = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc
    .tuple(segment(seeded), segment(seeded))
    .filter(([id, messageId]) => {
      if (route.shape !== 'bodiless' || !route.path.includes(':id')) return true;
      if (!namesId(id, [seeded.sessionId])) return true;
      return route.path.includes(':message_id') && !namesId(messageId, seeded.messageIds);
    })
    .map(([id, messageId]) => fill(route.path, id, messageId));

export const ODD_QUERY_VALUES = [
  '', '0', '-1', '1', '2', '20', '50', '100', '101', '200', '201', '1.5', '1e3', '%2B1', '%201', '1%20', '0x10', '-0',
  '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', 'null', 'true', '[]', '%', '%FF', '%zz', '%00', '1,2',
];
export const QUERY_NAMES = ['page', 'per_page', 'before_id', 'after_id', 'limit'];

/** A query string of the list parameters (and others), repeated, empty, negative, huge, fractional or garbled. */
export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...QUERY_NAMES) },
        fc.constantFrom('__proto__', 'constructor', 'page[]', 'page[0]', 'per_page[a]', 'before_id[]', 'after_id.x', '%70age'),
        fc.string({ maxLength: 10 }).map(encodeURIComponent),
      ),
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ODD_QUERY_VALUES) },
        fc.integer().map(String),
        fc.double().map((value) => encodeURIComponent(String(value))),
        fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
      ),
      fc.boolean(),
    ),
    { maxLength: 8 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([name, value, withEquals]) => (withEquals || value !== '' ? `${name}=${value}` : name)).join('&')}`));

/** An Authorization header that carries no live access token. */
export const notAnAccessToken = (seeded: Seeded): fc.Arbitrary<string | undefined> => {
  const token = seeded.owner.accessToken;
  const lastDot = token.lastIndexOf('.');
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer  x',
      'Basic b3duZXJfb2ZfZGF0YTpTZWN1cmVQYXNzMTIz',
      'Token abc',
      'Bearer a.b.c',
      'Bearer null',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
      `Bearer ${'a'.repeat(5_000)}`,
      `Bearer ${token} ${token}`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token.slice(0, lastDot)}`,
      `Bearer ${token.slice(0, lastDot + 1)}${'A'.repeat(token.length - lastDot - 1)}`,
      // A refresh token is never an access token.
      `Bearer ${seeded.owner.refreshToken}`,
    ),
    fc.string({ maxLength: 120 }).map((text) => `Bearer ${text}`),
    fc.string({ maxLength: 120 }),
  );
};

export const ownerAuthorization = (route: Route, seeded: Seeded): string | undefined =>
  route.public ? undefined : `Bearer ${seeded.owner.accessToken}`;
