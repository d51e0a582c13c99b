/**
 * "Bad input gets a clear error, never a 500" (QUALITY.md, Reliability) as properties over a real
 * socket. Every route of `/auth` and `/chat` is called, with a live access token of a seeded user
 * who owns a session with messages, with: random JSON values, the route's own keys holding wrong
 * types or values their rules refuse, mass-assignment and `constructor`/`prototype` keys, huge
 * strings, deep nesting, invalid UTF-8, broken compression, `__proto__` keys, malformed JSON,
 * bodies that are not JSON or are over the limit, random path segments, random query strings, and
 * tokens that are not live access tokens.
 *
 * Every answer is a 4xx (a read may also answer 200) with `application/json; charset=utf-8` and,
 * for a 4xx, the error shape `{error, code, details?}`; nothing hangs. Writes are only ever sent
 * input that is invalid by construction, so after each one the seeded data, read back through the
 * API, is exactly what it was, and `Object.prototype` has gained nothing.
 *
 * The seed is fixed, so a run is reproducible; fast-check prints the seed and the shrunk input of
 * a failure (each request prints as `METHOD /path [authorization] body`). To explore other inputs,
 * change `SEED`.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, type RegisteredUser, registerAndLogin, TEST_PASSWORD } from '../support/api-client.js';
import { JSON_CONTENT_TYPE } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { apiRouterOf, startTestServer, type TestDatabase, type TestServer } from '../support/http-test-server.js';

const SEED = 20_260_131;
const RUNS = 100;
/** An answer slower than this is a hang (loopback, in-process server: answers take milliseconds). */
const ANSWER_TIMEOUT_MS = 10_000;
const PROPERTY_TIMEOUT_MS = 120_000;

const TIGHT_LIMIT = '8kb';
const TIGHT_LIMIT_BYTES = 8 * 1024;
const SERVER_ENV = {
  // No login sent here gets as far as the password check today, so none counts as a failed
  // attempt; should one ever, it must not turn later answers into 429s that hide the answer
  // under test.
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
};
/** The statuses a refusal may have (API.md); 500 and 503 are never one. */
const REFUSALS = [400, 401, 403, 404, 405, 409, 413, 415, 429];

// ---------------------------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------------------------

interface Seeded {
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
type RouteShape = 'read' | 'body' | 'bodiless';

interface Route {
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

const SPOIL = 'XSPOILX';
const SENDERS = ['user', 'assistant', 'system'];
/** Characters that are gone once text is cleaned (control characters, then trimmed whitespace). */
const BLANKS = [' ', '\t', '\n', '\r', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff'];

/** Any JSON value but a string: every field of the API is a string, so each is a wrong type. */
const notAString = fc.jsonValue({ maxDepth: 3 }).filter((value) => typeof value !== 'string');
const notAStringNorNull = notAString.filter((value) => value !== null);
const blank = fc.string({ unit: fc.constantFrom(...BLANKS), maxLength: 30 });
/** Exactly `min`..`max` characters as a person counts them, none of which cleaning removes. */
const textOfLength = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom('a', 'Z', '9', 'é', '中', '😀', '<', '"', '\\'), minLength: min, maxLength: max });

const TITLE_BAD = fc.oneof(notAStringNorNull, blank, textOfLength(256, 1_500));
const TEXT_BAD = fc.oneof(notAString, blank, textOfLength(5_001, 5_400));
const SENDER_BAD = fc.oneof(notAString, fc.string().filter((sender) => !SENDERS.includes(sender)), fc.constantFrom('User', 'USER', ' user', 'bot'));
const USERNAME_BAD = fc.oneof(
  notAString,
  blank,
  fc.stringMatching(/^[a-z0-9_]{0,2}$/),
  fc
    .tuple(fc.stringMatching(/^[a-z]{3,10}$/), fc.constantFrom('-', '.', '@', 'é', '!', ' ', '\u200b', '%'), fc.stringMatching(/^[a-z]{1,5}$/))
    .map(([head, bad, tail]) => `${head}${bad}${tail}`),
  textOfLength(81, 300),
);
const EMAIL_BAD = fc.oneof(notAString, blank, fc.string().filter((email) => !email.includes('@')), fc.constant(`${'a'.repeat(115)}@example.com`));
const NEW_PASSWORD_BAD = fc.oneof(
  notAString,
  fc.string({ maxLength: 7 }),
  fc.stringMatching(/^[a-z]{8,40}$/),
  fc.constant(`Aa1${'é'.repeat(35)}`),
);
/** A password that is only checked for presence: refused when empty or longer than 1024. */
const PRESENT_PASSWORD_BAD = fc.oneof(notAString, fc.constant(''), textOfLength(1_025, 1_200));
const LOGIN_NAME_BAD = fc.oneof(notAString, blank, textOfLength(255, 600));
const REFRESH_TOKEN_BAD = fc.oneof(notAString, fc.constant(''), textOfLength(4_097, 4_300));

const ROUTES: readonly Route[] = [
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
];

const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
const BODY_ROUTES = ROUTES.filter((route) => route.shape === 'body');
const PROTECTED_ROUTES = ROUTES.filter((route) => !route.public);
/** Routes a path segment can be put in, or that a body can refuse: not logout, which has neither. */
const SEGMENT_ROUTES = ROUTES.filter((route) => route.path.includes(':') || route.shape !== 'bodiless');

// ---------------------------------------------------------------------------------------------
// Requests, sent with node:http (fetch refuses a body on GET and sets its own framing)
// ---------------------------------------------------------------------------------------------

interface Body {
  readonly label: string;
  readonly bytes: Uint8Array;
  /** Left out when undefined. */
  readonly contentType: string | undefined;
  readonly contentEncoding?: string;
  /** Sent with `Transfer-Encoding: chunked` instead of `Content-Length`. */
  readonly chunked: boolean;
}

interface Outgoing {
  readonly route: Route;
  /** With the path segments filled in and the query string, as sent on the request line. */
  readonly target: string;
  readonly authorization: string | undefined;
  readonly body: Body | undefined;
  /** The one status the answer must have, when the input decides it. */
  readonly expectedStatus?: number;
}

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const shorten = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

const describeOutgoing = (outgoing: Outgoing): string => {
  const { body } = outgoing;
  const framing = body
    ? ` [${body.contentType ?? 'no content type'}${body.contentEncoding ? `, ${body.contentEncoding}` : ''}${body.chunked ? ', chunked' : ''}, ${body.bytes.byteLength} bytes] ${body.label}`
    : ' (no body)';
  return `${outgoing.route.method} ${shorten(outgoing.target, 300)} [${shorten(outgoing.authorization ?? 'no authorization', 60)}]${framing}`;
};

/** Gives the request a short printed form, so a failure reads as the request rather than 200 KB. */
const outgoing = (fields: Outgoing): Outgoing => Object.assign(fields, { [fc.toStringMethod]: () => describeOutgoing(fields) });

const send = (baseUrl: string, request: Outgoing): Promise<Answer> =>
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

// ---------------------------------------------------------------------------------------------
// One target: a server over one database, seeded, with its snapshot
// ---------------------------------------------------------------------------------------------

interface Target {
  server: TestServer;
  api: Api;
  seeded: Seeded;
  /** The data as seeded, before any property ran. */
  seededSnapshot: Record<string, string>;
}

const expectStatus = (response: { status: number; text: string }, status: number, what: string): void => {
  if (response.status !== status) throw new Error(`seeding: ${what} answered ${response.status} ${response.text}`);
};

const seed = async (api: Api): Promise<Seeded> => {
  const owner = await registerAndLogin(api, { username: 'owner_of_data' });
  const other = await registerAndLogin(api, { username: 'someone_else' });
  const session = await api.post('/chat/sessions', { title: 'Seeded chat' }, owner.accessToken);
  expectStatus(session, 201, 'create session');
  const sessionId: number = session.body.session.id;
  const messageIds: number[] = [];
  for (const [text, sender] of [
    ['Hello!', 'user'],
    ['Hi, how can I help?', 'assistant'],
    ['Be brief.', 'system'],
    [`<b>code</b> & "quotes" '; DROP TABLE users; --`, 'user'],
    ['This one is deleted.', 'user'],
  ]) {
    const message = await api.post(`/chat/sessions/${sessionId}/messages`, { text, sender }, owner.accessToken);
    expectStatus(message, 201, 'send message');
    messageIds.push(message.body.message.id);
  }
  const deletedMessageId = messageIds.pop() as number;
  expectStatus(await api.delete(`/chat/sessions/${sessionId}/messages/${deletedMessageId}`, undefined, owner.accessToken), 200, 'delete message');
  const deleted = await api.post('/chat/sessions', { title: 'Deleted chat' }, owner.accessToken);
  expectStatus(deleted, 201, 'create session');
  const deletedSessionId: number = deleted.body.session.id;
  expectStatus(await api.delete(`/chat/sessions/${deletedSessionId}`, undefined, owner.accessToken), 200, 'delete session');

  const otherSession = await api.post('/chat/sessions', { title: 'Not yours' }, other.accessToken);
  expectStatus(otherSession, 201, 'create session');
  const otherSessionId: number = otherSession.body.session.id;
  const otherMessage = await api.post(`/chat/sessions/${otherSessionId}/messages`, { text: 'Private' }, other.accessToken);
  expectStatus(otherMessage, 201, 'send message');
  return { owner, other, sessionId, messageIds, deletedSessionId, deletedMessageId, otherSessionId, otherMessageId: otherMessage.body.message.id };
};

/**
 * Everything the seeded users can read of their data through the API, each read as its status and
 * body in JSON, plus the one account a refused registration could have made.
 */
const snapshot = async ({ api, server, seeded }: Target): Promise<Record<string, string>> => {
  const owner = seeded.owner.accessToken;
  const other = seeded.other.accessToken;
  const reads: Array<[string, string]> = [
    ['/auth/profile', owner],
    ['/chat/sessions?per_page=100', owner],
    [`/chat/sessions/${seeded.sessionId}?per_page=200`, owner],
    [`/chat/sessions/${seeded.sessionId}/messages?per_page=200`, owner],
    [`/chat/sessions/${seeded.deletedSessionId}`, owner],
    ['/auth/profile', other],
    ['/chat/sessions?per_page=100', other],
    [`/chat/sessions/${seeded.otherSessionId}/messages?per_page=200`, other],
  ];
  const answers = await Promise.all(
    reads.map(async ([path, token]): Promise<[string, string]> => {
      const response = await api.get(path, token);
      return [`GET ${path} as ${token === owner ? 'owner' : 'other'}`, `${response.status} ${response.text}`];
    }),
  );
  const registered = (await server.users.findByUsername('fresh_user')) !== null;
  return Object.fromEntries([...answers, ['account fresh_user exists', String(registered)]]);
};

/** The first read that differs, before and after, short enough to read in a failure. */
const firstChange = (before: Record<string, string>, after: Record<string, string>): string | null => {
  for (const key of Object.keys(before)) {
    if (before[key] !== after[key]) return `${key}\n    before: ${shorten(before[key] ?? '', 600)}\n    after:  ${shorten(after[key] ?? '', 600)}`;
  }
  return null;
};

/** The prototype every object in the process shares: a polluting body would add to it. */
const prototypeKeys = (): string => Reflect.ownKeys(Object.prototype).map(String).sort().join(',');
const PROTOTYPE_KEYS = prototypeKeys();

const useTarget = (database: TestDatabase, bodyLimit: string): Target => {
  // Filled in by beforeAll, before any test reads it.
  const target = {} as Target;
  beforeAll(async () => {
    target.server = await startTestServer({ database, env: { ...SERVER_ENV, BODY_LIMIT: bodyLimit } });
    target.api = createApi(target.server.baseUrl);
    target.seeded = await seed(target.api);
    target.seededSnapshot = await snapshot(target);
  });
  afterAll(() => target.server?.close());
  return target;
};

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

const ERROR_KEYS = new Set(['error', 'code', 'details']);

/** The answer is a clean refusal (or, for a read, a 200), in JSON, in the error shape. */
const expectCleanAnswer = (request: Outgoing, answer: Answer): void => {
  const problem = (what: string): Error =>
    new Error(`${what}\n  request: ${describeOutgoing(request)}\n  answer:  ${answer.status} ${answer.contentType ?? '(no content type)'} ${shorten(answer.text, 400)}`);

  const readOk = request.route.shape === 'read' && answer.status === 200 && request.expectedStatus === undefined;
  if (request.expectedStatus !== undefined && answer.status !== request.expectedStatus) throw problem(`expected ${request.expectedStatus}`);
  if (!readOk && !REFUSALS.includes(answer.status)) throw problem('not a refusal');
  if (answer.contentType !== JSON_CONTENT_TYPE) throw problem(`content type is not ${JSON_CONTENT_TYPE}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw problem('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw problem('body is not a JSON object');
  if (readOk) return;

  const error = body as Record<string, unknown>;
  if (!Object.keys(error).every((key) => ERROR_KEYS.has(key))) throw problem('error body has keys beyond error, code, details');
  if (typeof error.error !== 'string' || error.error === '') throw problem('error is not a non-empty string');
  if (typeof error.code !== 'string' || !/^[a-z_]+$/.test(error.code)) throw problem('code is not a snake_case word');
  if ('details' in error) {
    const { details } = error;
    if (!Array.isArray(details) || details.length === 0 || !details.every((detail) => typeof detail === 'string' && detail !== '')) {
      throw problem('details is not a non-empty list of strings');
    }
  }
  if (answer.status === 405 && !answer.headers['allow']) throw problem('405 without Allow');
  if (answer.status === 429 && !answer.headers['retry-after']) throw problem('429 without Retry-After');
};

/** The data as last read: what the next write must leave as it is. */
interface Known {
  data: Record<string, string>;
}

/** Sends one request and holds the answer, the data and `Object.prototype` to the property. */
const sendAndCheck = async (target: Target, known: Known, request: Outgoing): Promise<void> => {
  const answer = await send(target.server.baseUrl, request);
  let change: string | null = null;
  if (request.route.shape !== 'read') {
    // Compared with the data just before this request, and re-read even when the answer itself
    // is wrong: while fast-check shrinks a failure, each input it tries is judged on its own.
    const after = await snapshot(target);
    change = firstChange(known.data, after);
    known.data = after;
  }
  expectCleanAnswer(request, answer);
  if (prototypeKeys() !== PROTOTYPE_KEYS) throw new Error(`Object.prototype changed after ${describeOutgoing(request)}`);
  if (change !== null) {
    throw new Error(`the data changed\n  request: ${describeOutgoing(request)}\n  answer:  ${answer.status} ${shorten(answer.text)}\n  ${change}`);
  }
};

/**
 * Runs the property from the data as it stands (the seeded data, unless an earlier property
 * failed by changing it, which that property reported) and checks it once more at the end.
 */
const holds = async (target: Target, requests: fc.Arbitrary<Outgoing>, numRuns = RUNS): Promise<void> => {
  const before = await snapshot(target);
  const known: Known = { data: before };
  await fc.assert(
    fc.asyncProperty(requests, (request) => sendAndCheck(target, known, request)),
    { seed: SEED, numRuns },
  );
  expect(firstChange(before, await snapshot(target))).toBeNull();
};

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

const JSON_TYPES = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'application/problem+json',
];
const jsonType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, fc.constantFrom(...JSON_TYPES));

const jsonBody = (text: string, contentType: string, chunked = false): Body => ({ label: shorten(text), bytes: utf8(text), contentType, chunked });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a JSON body of `value` carries: `fc.anything()` values made JSON-safe (undefined → null). */
const jsonSafe = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

/** Would a JSON parser read this text (after a byte-order mark)? */
const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
};

/** One of the route's keys with a value its rules refuse. */
const badField = (route: Route): fc.Arbitrary<[string, unknown]> =>
  fc.oneof(...Object.entries(route.badValues ?? {}).map(([key, bad]) => bad.map((value): [string, unknown] => [key, value])));

/** Keys no body may set, and keys that name the prototype chain. */
const EXTRA_KEYS = [
  'id', 'user_id', 'session_id', 'is_active', 'is_verified', 'is_deleted', 'password_hash', 'created_at', 'updated_at',
  'message_count', 'sender', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', '__defineGetter__',
];
const extraKeys = fc.dictionary(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string()), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

/**
 * An object body a `body` route must refuse: each of its keys absent, refused, a random string or
 * any JSON value, one of them surely refused, among mass-assignment and prototype-named keys.
 */
const refusedObject = (route: Route): fc.Arbitrary<Record<string, unknown>> => {
  const others = Object.fromEntries(
    Object.entries(route.badValues ?? {}).map(([key, bad]) => [key, fc.option(fc.oneof(bad, fc.string(), fc.jsonValue({ maxDepth: 2 })), { nil: undefined })]),
  );
  return fc
    .tuple(extraKeys, fc.record(others), badField(route))
    // The route's keys come last, so an extra key of the same name never survives.
    .map(([extras, rest, [key, value]]) => ({ ...extras, ...rest, [key]: value }));
};

/** A random JSON value, which for a `body` route is an object only with a refused key. */
const randomJsonValue = (route: Route): fc.Arbitrary<unknown> => {
  const value = fc.oneof(fc.jsonValue(), fc.anything().map(jsonSafe));
  if (route.shape !== 'body') return value;
  return fc.tuple(value, badField(route)).map(([candidate, [key, bad]]) => (isPlainObject(candidate) ? { ...candidate, [key]: bad } : candidate));
};

/** A JSON text that is not an object or array: refused by the body parser on every write route. */
const scalarJson = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value));

/** Sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates, > U+10FFFF, cut short. */
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe], [0xff],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3],
];

/** The route's accepted body with invalid UTF-8 where `SPOIL` stands: decoded leniently, it would be acted on. */
const invalidUtf8Body = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc
    .tuple(fc.array(fc.constantFrom(...INVALID_UTF8), { minLength: 1, maxLength: 3 }), jsonType, fc.boolean(), fc.constantFrom('in a string', 'anywhere'), fc.nat())
    .map(([sequences, contentType, chunked, where, position]) => {
      const bad = sequences.flat();
      const text = JSON.stringify(route.accepted(seeded));
      let bytes: number[];
      if (where === 'in a string') {
        bytes = [...utf8(text.replaceAll(SPOIL, '\u0001'))].flatMap((byte) => (byte === 0x01 ? bad : [byte]));
      } else {
        const plain = [...utf8(text.replaceAll(SPOIL, 'x'))];
        const at = position % (plain.length + 1);
        bytes = [...plain.slice(0, at), ...bad, ...plain.slice(at)];
      }
      const hex = bad.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
      return { label: `${shorten(text)} with bytes ${hex} ${where}`, bytes: Uint8Array.from(bytes), contentType, chunked };
    });

/** JSON text in UTF-16 (with or without its byte-order mark) or Latin-1, sent as JSON. */
const otherEncodingBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc.constantFrom('utf-16le with BOM', 'utf-16le', 'latin1').map((encoding) => {
    const text = JSON.stringify({ ...route.accepted(seeded), note: 'déjà' }).replaceAll(SPOIL, 'é');
    const bytes =
      encoding === 'latin1'
        ? Buffer.from(text, 'latin1')
        : Buffer.concat([encoding === 'utf-16le with BOM' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
    return { label: `${shorten(text)} as ${encoding}`, bytes, contentType: 'application/json', chunked: false };
  });

const MALFORMED_JSON = [
  '{', '}', '[', '{"title": "x"', `{'title': 'x'}`, '{title: "x"}', '{"a":1,}', '[1,]', '{"a":NaN}', '{"a":Infinity}',
  '{"a":undefined}', '{"a":0x10}', '{"a":01}', '{"a":.5}', '// comment\n{}', '/* c */ {}', '{"a":"\\x"}', '{"a":"\\u12"}',
  '{"a":"tab\tinside"}', '{"a":"line\nbreak"}', '{"a":1}{"b":2}', '{} x', '[] []', '\u0000{}', '{"a" 1}', '{"a"::1}',
  '{,}', '[,]', '"unterminated', 'tru', 'nul', '-', '+1', '1.', '.', '', ' ', '\n', '\uFEFF', 'undefined', 'NaN',
];

/** Text no JSON parser reads: written out, cut short, or random. */
const malformedJson = fc.oneof(
  fc.constantFrom(...MALFORMED_JSON.filter((text) => text !== '' && !parsesAsJson(text))),
  fc
    .tuple(fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())), fc.nat())
    .map(([value, cut]) => {
      const text = JSON.stringify(value);
      return text.slice(0, Math.max(1, text.length - 1 - (cut % text.length)));
    })
    .filter((text) => !parsesAsJson(text)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((text) => !parsesAsJson(text)),
);

const PROTO_SPELLINGS = ['"__proto__"', '"\\u005f_proto__"', '"__pro\\u0074o__"', '"\\u005F\\u005Fproto\\u005F\\u005F"'];

/** A `__proto__` key at the top, inside a field, or inside an array: the parser refuses all. */
const protoKeyed = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...PROTO_SPELLINGS), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('top', 'field', 'array', 'deep'), fc.integer({ min: 1, max: 50 }))
    .map(([key, value, placement, depth]) => {
      const polluting = `{${key}:{"polluted":true,"isAdmin":true,"value":${JSON.stringify(value)}}}`;
      const accepted = JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x');
      const field = Object.keys(route.accepted(seeded))[0] ?? 'note';
      switch (placement) {
        case 'top':
          return `{${key}:{"polluted":true},${accepted.slice(1)}`;
        case 'field':
          return `{"${field}":${polluting}}`;
        case 'array':
          return `[${polluting}]`;
        default:
          return `${'{"a":['.repeat(depth)}${polluting}${']}'.repeat(depth)}`;
      }
    });

const NOT_JSON_TYPES = [
  'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz',
  'application/xml', 'text/xml', 'text/html', 'application/octet-stream', 'application/javascript', 'application/json-seq',
  'application/jsonx', 'json', 'application', '*/*', 'application/*', 'application/json, text/plain', ';', '',
];

/** A body that is not JSON by its type (or has none): even the route's accepted body is refused with it. */
const notJsonBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...NOT_JSON_TYPES), fc.constant(undefined)),
      fc.oneof(
        fc.constant(JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x')),
        fc.constant('title=x&text=y&username=a&password=b'),
        fc.constant('--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--xyz--\r\n'),
        fc.constant('<?xml version="1.0"?><session><title>x</title></session>'),
        fc.string({ minLength: 1 }),
      ),
      fc.boolean(),
    )
    .map(([contentType, text, chunked]) => ({ label: shorten(text), bytes: utf8(text), contentType, chunked }));

/** A compressed body that does not decompress, or an encoding the server does not know. */
const brokenEncodingBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> => {
  const accepted = JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x');
  const gzipped = gzipSync(utf8(accepted));
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br'), fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.constant(utf8(accepted))), fc.boolean())
      .map(([encoding, bytes, chunked]) => ({ label: `${bytes.byteLength} bytes that are not ${encoding}`, bytes, contentType: 'application/json', contentEncoding: encoding, chunked })),
    fc
      .integer({ min: 1, max: gzipped.byteLength - 1 })
      .map((length) => ({ label: `${accepted} gzipped, cut to ${length} bytes`, bytes: gzipped.subarray(0, length), contentType: 'application/json', contentEncoding: 'gzip', chunked: false })),
    fc
      .constantFrom('compress', 'zstd', 'x-gzip', 'gzip, br', 'identity, gzip', 'base64', 'chunked', '*')
      .map((encoding) => ({ label: `${accepted} as ${encoding}`, bytes: gzipped, contentType: 'application/json', contentEncoding: encoding, chunked: false })),
  );
};

/** Bodies refused before any handler runs, whatever the route. */
const unreadableBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.tuple(malformedJson, jsonType, fc.boolean()).map(([text, type, chunked]) => jsonBody(text, type, chunked)),
    fc.tuple(protoKeyed(route, seeded), jsonType).map(([text, type]) => jsonBody(text, type)),
    fc.tuple(scalarJson, jsonType).map(([text, type]) => jsonBody(text, type)),
    invalidUtf8Body(route, seeded),
    otherEncodingBody(route, seeded),
    notJsonBody(route, seeded),
    brokenEncodingBody(route, seeded),
  );

/** `char` repeated: a huge string costs nothing to generate or to print. */
const hugeString = (min: number, max: number) =>
  fc.tuple(fc.constantFrom('a', 'é', '😀', ' ', '\u0000', '"', '\\', '<'), fc.integer({ min, max })).map(([char, count]) => ({ char, count }));

const nest = (depth: number, shape: 'array' | 'object' | 'mixed'): string => {
  if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const half = Math.ceil(depth / 2);
  return `${'[{"a":'.repeat(half)}null${'}]'.repeat(half)}`;
};

const depthOf = fc.oneof(fc.integer({ min: 1_000, max: 4_000 }), fc.integer({ min: 4_000, max: 100_000 }));
const nestShape = fc.constantFrom('array' as const, 'object' as const, 'mixed' as const);

/** Huge strings and deep nesting a `body` route must refuse: in one of its keys, or as the whole body. */
const hugeOrDeepRefused = (route: Route): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.tuple(badField(route), hugeString(5_001, 200_000), jsonType).map(([[key], { char, count }, type]) => ({
      ...jsonBody(JSON.stringify({ [key]: char.repeat(count) }), type),
      label: `{"${key}": ${JSON.stringify(char)} × ${count}}`,
    })),
    fc.tuple(badField(route), depthOf, nestShape, jsonType).map(([[key], depth, shape, type]) => ({
      ...jsonBody(`{"${key}":${nest(depth, shape)}}`, type),
      label: `{"${key}": ${shape} nested ${depth} deep}`,
    })),
    fc.tuple(depthOf, jsonType).map(([depth, type]) => ({ ...jsonBody(nest(depth, 'array'), type), label: `array nested ${depth} deep` })),
  );

/** Deep nesting no route may act on: unbalanced, cut short, or hiding a `__proto__` key at the bottom. */
const deepUnreadable = fc.tuple(depthOf, nestShape, fc.constantFrom('unbalanced', 'cut', 'proto'), jsonType).map(([depth, shape, how, type]) => {
  const text =
    how === 'unbalanced'
      ? `${'['.repeat(depth)}`
      : how === 'cut'
        ? nest(depth, shape).slice(0, -1)
        : `${'{"a":'.repeat(depth)}{"__proto__":{"polluted":true}}${'}'.repeat(depth)}`;
  return { ...jsonBody(text, type), label: `${shape} nested ${depth} deep, ${how}` };
});

// ---------------------------------------------------------------------------------------------
// Paths, queries, tokens
// ---------------------------------------------------------------------------------------------

const fill = (path: string, id: string, messageId: string): string =>
  path.replace(':id', () => id).replace(':message_id', () => messageId);

/** The route's path with the owner's session and a live message of it. */
const ownPath = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc.constantFrom(...seeded.messageIds).map((messageId) => fill(route.path, String(seeded.sessionId), String(messageId)));

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Would the server read this path segment as this id? (Ids are digits only, leading zeros allowed.) */
const namesId = (segment: string, ids: readonly number[]): boolean => {
  const decoded = safeDecode(segment);
  return /^\d{1,16}$/.test(decoded) && ids.includes(Number(decoded));
};

const ODD_SEGMENTS = [
  '0', '-1', '1.5', '1e2', '01', '+1', '%201', '1%20', '%', '%zz', '%FF', '%00', '%2F', '..', '.', '99999999999999999999',
  '9007199254740993', '18446744073709551616', 'null', 'undefined', 'NaN', 'Infinity', '__proto__', 'constructor', 'prototype',
  '0x1f', '%D9%A1', '1;DROP', '1%27%20OR%201%3D1', `${'9'.repeat(300)}`,
];

/** A path segment: an id (the owner's, a deleted one, another user's), odd text, huge numbers, random text. */
const segment = (seeded: Seeded): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...[seeded.sessionId, seeded.deletedSessionId, seeded.otherSessionId, ...seeded.messageIds, seeded.deletedMessageId, seeded.otherMessageId].map(String)) },
    fc.constantFrom(...ODD_SEGMENTS),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  );

/** The route's path with random segments; for a `bodiless` write, never one that names the owner's live data. */
const randomPath = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc
    .tuple(segment(seeded), segment(seeded))
    .filter(([id, messageId]) => {
      if (route.shape !== 'bodiless' || !route.path.includes(':id')) return true;
      if (!namesId(id, [seeded.sessionId])) return true;
      return route.path.includes(':message_id') && !namesId(messageId, seeded.messageIds);
    })
    .map(([id, messageId]) => fill(route.path, id, messageId));

const ODD_QUERY_VALUES = [
  '', '0', '-1', '1', '2', '20', '50', '100', '101', '200', '201', '1.5', '1e3', '%2B1', '%201', '1%20', '0x10', '-0',
  '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', 'null', 'true', '[]', '%', '%FF', '%zz', '%00', '1,2',
];
const QUERY_NAMES = ['page', 'per_page', 'before_id', 'after_id', 'limit'];

/** A query string of the list parameters (and others), repeated, empty, negative, huge, fractional or garbled. */
const queryString = fc
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
const notAnAccessToken = (seeded: Seeded): fc.Arbitrary<string | undefined> => {
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

const ownerAuthorization = (route: Route, seeded: Seeded): string | undefined =>
  route.public ? undefined : `Bearer ${seeded.owner.accessToken}`;

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const oneRouteOf = <T>(routes: readonly Route[], requestFor: (route: Route) => fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof(...routes.map(requestFor));

/** Huge strings and deep nesting on every route: refused ones for writes, anything for reads. */
const hugeOrDeepRequests = (seeded: Seeded): fc.Arbitrary<Outgoing> =>
  oneRouteOf(ROUTES, (route) =>
    fc
      .tuple(ownPath(route, seeded), route.shape === 'body' ? fc.oneof(hugeOrDeepRefused(route), deepUnreadable) : deepUnreadable)
      .map(([path, body]) => outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body })),
  );

describeOverDatabases('bad input gets a clear error, never a 500', (database) => {
  describe(`with BODY_LIMIT ${TIGHT_LIMIT}`, () => {
    const target = useTarget(database, TIGHT_LIMIT);

    it('covers every route of /auth and /chat', () => {
      const router = apiRouterOf(target.server.container);
      const served = router.stack
        .flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => routeKey({ method, path: String(layer.path) })))
        .filter((key) => / \/(auth|chat)\//.test(key))
        .sort();

      expect(ROUTES.map(routeKey).sort()).toEqual(served);
    });

    it('refuses random JSON values of any type', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), route.shape === 'bodiless' ? scalarJson.map((text): unknown => JSON.parse(text)) : randomJsonValue(route), jsonType, fc.boolean())
            .map(([path, value, type, chunked]) =>
              outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body: jsonBody(JSON.stringify(value), type, chunked) }),
            ),
        ),
      );
    });

    it("refuses the route's own keys holding wrong types or values their rules refuse, among mass-assignment and prototype keys", { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(BODY_ROUTES, (route) =>
          fc.tuple(ownPath(route, seeded), refusedObject(route), jsonType, fc.boolean()).map(([path, value, type, chunked]) =>
            outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body: jsonBody(JSON.stringify(value), type, chunked) }),
          ),
        ),
      );
    });

    it('refuses malformed JSON, __proto__ keys, invalid UTF-8, broken compression and bodies that are not JSON', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), unreadableBody(route, seeded))
            .map(([path, body]) => outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body })),
        ),
        2 * RUNS,
      );
    });

    it('refuses bodies over the limit with 413, whatever they hold', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), fc.integer({ min: TIGHT_LIMIT_BYTES + 1_024, max: 200 * 1_024 }), fc.constantFrom('length', 'chunked', 'gzip'))
            .map(([path, size, framing]) => {
              // The route's accepted body, padded: only its size may stop it.
              const accepted = JSON.stringify({ ...route.accepted(seeded), padding: '' }).replaceAll(SPOIL, 'x');
              const text = accepted.replace('"padding":""', `"padding":"${'x'.repeat(size - accepted.length)}"`);
              const bytes = framing === 'gzip' ? gzipSync(utf8(text)) : utf8(text);
              const body: Body = {
                label: `${shorten(accepted, 120)} padded to ${text.length} bytes`,
                bytes,
                contentType: 'application/json',
                chunked: framing === 'chunked',
                ...(framing === 'gzip' ? { contentEncoding: 'gzip' } : {}),
              };
              // A read ignores a body; every write refuses it before anything else.
              const expectedStatus = route.shape === 'read' ? undefined : 413;
              return outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body, expectedStatus });
            }),
        ),
        RUNS / 2,
      );
    });

    it('refuses huge strings and deep nesting', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      await holds(target, hugeOrDeepRequests(target.seeded), RUNS / 2);
    });

    it('answers random path segments and query strings with a 200 for a read, or a refusal', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(SEGMENT_ROUTES, (route) =>
          fc
            .tuple(randomPath(route, seeded), queryString, route.shape === 'body' ? refusedObject(route).map((value): Body | undefined => jsonBody(JSON.stringify(value), 'application/json')) : fc.constant(undefined))
            .map(([path, query, body]) => outgoing({ route, target: `${path}${query}`, authorization: ownerAuthorization(route, seeded), body })),
        ),
        2 * RUNS,
      );
    });

    it('answers 401 to every protected route without a live access token, whatever the body', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(PROTECTED_ROUTES, (route) =>
          fc
            .tuple(
              ownPath(route, seeded),
              notAnAccessToken(seeded),
              fc.oneof(
                // The route's accepted body: only the token may stop it.
                fc.constant(JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x')),
                fc.jsonValue().filter((value) => typeof value === 'object' && value !== null).map((value) => JSON.stringify(value)),
              ),
            )
            .map(([path, authorization, text]) =>
              outgoing({ route, target: path, authorization, body: route.method === 'GET' ? undefined : jsonBody(text, 'application/json'), expectedStatus: 401 }),
            ),
        ),
      );
    });

    it('leaves the seeded data exactly as it was', async () => {
      expect(firstChange(target.seededSnapshot, await snapshot(target))).toBeNull();
    });
  });

  describe('with BODY_LIMIT 1mb, so huge bodies reach the parser and the rules', () => {
    const target = useTarget(database, '1mb');

    it('refuses huge strings and deep nesting', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      await holds(target, hugeOrDeepRequests(target.seeded), RUNS);
    });

    it('leaves the seeded data exactly as it was', async () => {
      expect(firstChange(target.seededSnapshot, await snapshot(target))).toBeNull();
    });
  });
});
