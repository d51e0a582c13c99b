/** One target (a server over one database, seeded, with its snapshot) and the checks every answer must pass. Part of `../bad-input.property.test.ts`. */
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Api, createApi, registerAndLogin } from '../../support/api-client.js';
import { JSON_CONTENT_TYPE } from '../../support/http-expectations.js';
import { startTestServer, type TestDatabase, type TestServer } from '../../support/http-test-server.js';
import { type Answer, describeOutgoing, type Outgoing, send, shorten } from './send.js';
import { REFUSALS, RUNS, SEED, type Seeded, SERVER_ENV } from './settings-and-routes.js';

// ---------------------------------------------------------------------------------------------
// One target: a server over one database, seeded, with its snapshot
// ---------------------------------------------------------------------------------------------

export interface Target {
  server: TestServer;
  api: Api;
  seeded: Seeded;
  /** The data as seeded, before any property ran. */
  seededSnapshot: Record<string, string>;
}

export const expectStatus = (response: { status: number; text: string }, status: number, what: string): void => {
  if (response.status !== status) throw new Error(`seeding: ${what} answered ${response.status} ${response.text}`);
};

export const seed = async (api: Api): Promise<Seeded> => {
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
export const snapshot = async ({ api, server, seeded }: Target): Promise<Record<string, string>> => {
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
export const firstChange = (before: Record<string, string>, after: Record<string, string>): string | null => {
  for (const key of Object.keys(before)) {
    if (before[key] !== after[key]) return `${key}\n    before: ${shorten(before[key] ?? '', 600)}\n    after:  ${shorten(after[key] ?? '', 600)}`;
  }
  return null;
};

/** The prototype every object in the process shares: a polluting body would add to it. */
export const prototypeKeys = (): string => Reflect.ownKeys(Object.prototype).map(String).sort().join(',');
export const PROTOTYPE_KEYS = prototypeKeys();

export const useTarget = (database: TestDatabase, bodyLimit: string): Target => {
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

export const ERROR_KEYS = new Set(['error', 'code', 'details']);

/** The answer is a clean refusal (or, for a read, a 200), in JSON, in the error shape. */
export const expectCleanAnswer = (request: Outgoing, answer: Answer): void => {
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
export interface Known {
  data: Record<string, string>;
}

/** Sends one request and holds the answer, the data and `Object.prototype` to the property. */
export const sendAndCheck = async (target: Target, known: Known, request: Outgoing): Promise<void> => {
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
export const holds = async (target: Target, requests: fc.Arbitrary<Outgoing>, numRuns = RUNS): Promise<void> => {
  const before = await snapshot(target);
  const known: Known = { data: before };
  await fc.assert(
    fc.asyncProperty(requests, (request) => sendAndCheck(target, known, request)),
    { seed: SEED, numRuns },
  );
  expect(firstChange(before, await snapshot(target))).toBeNull();
};
