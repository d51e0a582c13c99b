/** The seed and limits of the run, the routes every property calls, and the values each field refuses. Part of `../bad-input.property.test.ts`. */
import fc from 'fast-check';
import { type RegisteredUser, TEST_PASSWORD } from '../../support/api-client.js';

export const SEED = 20_260_131;
export const RUNS = 100;
/** An answer slower than this is a hang (loopback, in-process server: answers take milliseconds). */
export const ANSWER_TIMEOUT_MS = 10_000;
export const PROPERTY_TIMEOUT_MS = 120_000;

export const TIGHT_LIMIT = '8kb';
export const TIGHT_LIMIT_BYTES = 8 * 1024;
export const SERVER_ENV = {
  // No login sent here gets as far as the password check today, so none counts as a failed
  // attempt; should one ever, it must not turn later answers into 429s that hide the answer
  // under test.
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
};
/** The statuses a refusal may have (API.md); 500 and 503 are never one. */
export const REFUSALS = [400, 401, 403, 404, 405, 409, 413, 415, 429];

// ---------------------------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------------------------

export interface Seeded {
  readonly owner: RegisteredUser;
  readonly other: RegisteredUser;
  /** The owner's live session and its live messages. */
  readonly sessionId: number;
  readonly messageIds: readonly number[];
  readonly deletedSessionId: number;
  readonly deletedMessageId: number;
  /** Another user's session and message: the owner must get 404 on them. */
  readonly otherSessionId: number;
  readonly otherMessageId: number;
}

/**
 * `read`: cannot change anything. `body`: a write driven by the body's keys, so it is sent only
 * bodies whose keys break their rules. `bodiless`: a write that reads no body (logout, deletes),
 * so with a live token it is sent only bodies refused before any handler runs, or a path that
 * names nothing of the owner's.
 */
export type RouteShape = 'read' | 'body' | 'bodiless';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As the router spells it, with `:id` and `:message_id`. */
  readonly path: string;
  readonly shape: RouteShape;
  /** Takes no access token: sent with none (a bearer token would hide `/auth/refresh`'s body). */
  readonly public?: boolean;
  /** `body` routes: each key the handler reads, with values its validation refuses. */
  readonly badValues?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** A body the route would act on; `SPOIL` marks a spot inside a string for invalid bytes. */
  readonly accepted: (seeded: Seeded) => Record<string, string>;
  readonly query?: readonly string[];
}

export const SPOIL = 'XSPOILX';
export const SENDERS = ['user', 'assistant', 'system'];
/** Characters that are gone once text is cleaned (control characters, then trimmed whitespace). */
export const BLANKS = [' ', '\t', '\n', '\r', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff'];

/** Any JSON value but a string: every field of the API is a string, so each is a wrong type. */
export const notAString = fc.jsonValue({ maxDepth: 3 }).filter((value) => typeof value !== 'string');
export const notAStringNorNull = notAString.filter((value) => value !== null);
/** Any JSON value but an object (null is "none", so it is left out). */
export const notAnObject = fc
  .jsonValue({ maxDepth: 3 })
  .filter((value) => value !== null && (typeof value !== 'object' || Array.isArray(value)));
export const blank = fc.string({ unit: fc.constantFrom(...BLANKS), maxLength: 30 });
/** Exactly `min`..`max` characters as a person counts them, none of which cleaning removes. */
export const textOfLength = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom('a', 'Z', '9', 'é', '中', '😀', '<', '"', '\\'), minLength: min, maxLength: max });

export const TITLE_BAD = fc.oneof(notAStringNorNull, blank, textOfLength(256, 1_500));
export const TEXT_BAD = fc.oneof(notAString, blank, textOfLength(5_001, 5_400));
export const SENDER_BAD = fc.oneof(notAString, fc.string().filter((sender) => !SENDERS.includes(sender)), fc.constantFrom('User', 'USER', ' user', 'bot'));
export const USERNAME_BAD = fc.oneof(
  notAString,
  blank,
  fc.stringMatching(/^[a-z0-9_]{0,2}$/),
  fc
    .tuple(fc.stringMatching(/^[a-z]{3,10}$/), fc.constantFrom('-', '.', '@', 'é', '!', ' ', '\u200b', '%'), fc.stringMatching(/^[a-z]{1,5}$/))
    .map(([head, bad, tail]) => `${head}${bad}${tail}`),
  textOfLength(81, 300),
);
export const EMAIL_BAD = fc.oneof(notAString, blank, fc.string().filter((email) => !email.includes('@')), fc.constant(`${'a'.repeat(115)}@example.com`));
export const NEW_PASSWORD_BAD = fc.oneof(
  notAString,
  fc.string({ maxLength: 7 }),
  fc.stringMatching(/^[a-z]{8,40}$/),
  fc.constant(`Aa1${'é'.repeat(35)}`),
);
/** A password that is only checked for presence: refused when empty or longer than 1024. */
export const PRESENT_PASSWORD_BAD = fc.oneof(notAString, fc.constant(''), textOfLength(1_025, 1_200));
export const LOGIN_NAME_BAD = fc.oneof(notAString, blank, textOfLength(255, 600));
export const REFRESH_TOKEN_BAD = fc.oneof(notAString, fc.constant(''), textOfLength(4_097, 4_300));

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/auth/register',
    shape: 'body',
    public: true,
    badValues: { username: USERNAME_BAD, email: EMAIL_BAD, password: NEW_PASSWORD_BAD },
    accepted: () => ({ username: 'fresh_user', email: 'fresh@example.com', password: `Secure${SPOIL}Pass123` }),
  },
  {
    method: 'POST',
    path: '/auth/login',
    shape: 'body',
    public: true,
    badValues: { username: LOGIN_NAME_BAD, password: PRESENT_PASSWORD_BAD },
    accepted: (seeded) => ({ username: seeded.owner.username, password: `${TEST_PASSWORD}${SPOIL}` }),
  },
  {
    method: 'POST',
    path: '/auth/refresh',
    shape: 'body',
    public: true,
    badValues: { refresh_token: REFRESH_TOKEN_BAD },
    accepted: () => ({ refresh_token: `${SPOIL}.${SPOIL}.${SPOIL}` }),
  },
  { method: 'POST', path: '/auth/logout', shape: 'bodiless', accepted: () => ({ note: SPOIL }) },
  { method: 'POST', path: '/auth/logout-all', shape: 'bodiless', accepted: () => ({ note: SPOIL }) },
  { method: 'GET', path: '/auth/profile', shape: 'read', accepted: () => ({ note: SPOIL }) },
  {
    method: 'PUT',
    path: '/auth/profile',
    shape: 'body',
    badValues: { username: USERNAME_BAD, email: EMAIL_BAD, password: NEW_PASSWORD_BAD, current_password: PRESENT_PASSWORD_BAD },
    accepted: () => ({ password: `NewSecure${SPOIL}Pass1`, current_password: TEST_PASSWORD }),
  },
  {
    method: 'DELETE',
    path: '/auth/profile',
    shape: 'body',
    badValues: { current_password: PRESENT_PASSWORD_BAD },
    accepted: () => ({ current_password: `${TEST_PASSWORD}${SPOIL}` }),
  },
  { method: 'POST', path: '/chat/sessions', shape: 'body', badValues: { title: TITLE_BAD }, accepted: () => ({ title: `Hello ${SPOIL}` }) },
  { method: 'GET', path: '/chat/sessions', shape: 'read', query: ['page', 'per_page'], accepted: () => ({ note: SPOIL }) },
  { method: 'GET', path: '/chat/sessions/:id', shape: 'read', query: ['page', 'per_page'], accepted: () => ({ note: SPOIL }) },
  { method: 'PUT', path: '/chat/sessions/:id', shape: 'body', badValues: { title: TITLE_BAD }, accepted: () => ({ title: `Renamed ${SPOIL}` }) },
  { method: 'DELETE', path: '/chat/sessions/:id', shape: 'bodiless', accepted: () => ({ note: SPOIL }) },
  {
    method: 'POST',
    path: '/chat/sessions/:id/messages',
    shape: 'body',
    badValues: { text: TEXT_BAD, sender: SENDER_BAD },
    accepted: () => ({ text: `Hi ${SPOIL}`, sender: 'user' }),
  },
  {
    method: 'GET',
    path: '/chat/sessions/:id/messages',
    shape: 'read',
    query: ['page', 'per_page', 'before_id', 'after_id', 'limit'],
    accepted: () => ({ note: SPOIL }),
  },
  {
    method: 'PUT',
    path: '/chat/sessions/:id/messages/:message_id',
    shape: 'body',
    badValues: { text: TEXT_BAD },
    accepted: () => ({ text: `Edited ${SPOIL}` }),
  },
  { method: 'DELETE', path: '/chat/sessions/:id/messages/:message_id', shape: 'bodiless', accepted: () => ({ note: SPOIL }) },
  { method: 'DELETE', path: '/chat/sessions/:id/messages', shape: 'bodiless', accepted: () => ({ note: SPOIL }) },
  {
    method: 'POST',
    path: '/chat/sessions/:id/messages/:message_id/append',
    shape: 'body',
    badValues: { text: notAString },
    accepted: () => ({ text: ` more ${SPOIL}` }),
  },
  {
    method: 'POST',
    path: '/chat/sessions/:id/messages/:message_id/complete',
    shape: 'body',
    badValues: { metadata: notAnObject },
    accepted: () => ({ note: SPOIL }),
  },
  { method: 'GET', path: '/chat/sessions/:id/messages/:message_id/thread', shape: 'read', query: ['before_id', 'limit'], accepted: () => ({ note: SPOIL }) },
  { method: 'GET', path: '/chat/sessions/:id/messages/:message_id/revisions', shape: 'read', accepted: () => ({ note: SPOIL }) },
];

export const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
export const BODY_ROUTES = ROUTES.filter((route) => route.shape === 'body');
export const PROTECTED_ROUTES = ROUTES.filter((route) => !route.public);
/** Routes a path segment can be put in, or that a body can refuse: not logout, which has neither. */
export const SEGMENT_ROUTES = ROUTES.filter((route) => route.path.includes(':') || route.shape !== 'bodiless');
