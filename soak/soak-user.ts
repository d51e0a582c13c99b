import { type Api, TEST_PASSWORD, uniqueUsername } from '../tests/support/api-client.js';
import { openEventStream, type TestEventStream, TestSocket } from '../tests/support/test-socket.js';

/** What every simulated user did, added up. */
export interface SoakTally {
  /** Requests answered as expected, by what they were. */
  readonly requests: Map<string, number>;
  /** Every request answered otherwise, or that failed (first few kept in full). */
  readonly failures: string[];
  failureCount: number;
  /** Events the WebSockets and event streams received. */
  eventsReceived: number;
  /** WebSocket reconnections that resumed with `since`. */
  resumes: number;
}

export const newTally = (): SoakTally => ({ requests: new Map(), failures: [], failureCount: 0, eventsReceived: 0, resumes: 0 });

const KEPT_FAILURES = 20;
/** Sessions one user keeps; past it the oldest is deleted, so the data stays the same size. */
const SESSIONS_KEPT = 4;
/** How often a user drops its WebSocket and resumes from its last position. */
const RESUME_EVERY = 40;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface SoakUserContext {
  readonly api: Api;
  readonly wsUrl: string;
  readonly eventsUrl: string;
  readonly deadline: number;
  readonly pauseMs: number;
  readonly tally: SoakTally;
}

/**
 * One simulated person for the whole run: registers, keeps a WebSocket open (every other user an
 * event stream too), and goes round the API (log in, create and delete sessions, send, edit and
 * read messages, list, profile, refresh, log out), now and then dropping the socket and resuming
 * from its last position, until the deadline. Each request must get its expected status.
 */
export const runSoakUser = async (index: number, context: SoakUserContext): Promise<void> => {
  const { api, tally } = context;
  // An address of its own (the server trusts the proxy header in the soak), so that no
  // per-address limit counts several users together.
  const headers = { 'X-Forwarded-For': `198.51.100.${(index % 250) + 1}` };
  const expect = async (what: string, status: number, method: string, path: string, body?: unknown, token?: string) => {
    try {
      const response = await api.request(method, path, { body, token, headers });
      if (response.status === status) {
        tally.requests.set(what, (tally.requests.get(what) ?? 0) + 1);
        return response.body;
      }
      fail(`${what}: ${method} ${path} answered ${response.status} ${response.text.slice(0, 200)}`);
    } catch (error) {
      fail(`${what}: ${method} ${path} failed: ${(error as Error).message.slice(0, 300)}`);
    }
    return null;
  };
  const fail = (failure: string): void => {
    tally.failureCount += 1;
    if (tally.failures.length < KEPT_FAILURES) tally.failures.push(failure);
  };

  const username = uniqueUsername(`soak${index}`);
  const registered = await expect('register', 201, 'POST', '/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD });
  if (!registered) return;
  // The registration's login holds the real-time connections for the whole run.
  const streamToken: string = registered.access_token;
  let socket: TestSocket | null = await TestSocket.connect(context.wsUrl, streamToken).catch((error: unknown) => {
    fail(`websocket: ${(error as Error).message}`);
    return null;
  });
  let stream: TestEventStream | null = null;
  if (index % 2 === 1) stream = await openEventStream(context.eventsUrl, streamToken);
  let counted = 0;

  const sessions: number[] = [];
  const sent: Array<{ sessionId: number; id: number }> = [];
  let access = streamToken;
  let refresh: string = registered.refresh_token;
  let loggedIn = false;

  for (let round = 0; performance.now() < context.deadline; round += 1) {
    const step = round % 12;
    const sessionId = sessions[round % Math.max(sessions.length, 1)];
    if (step === 0) {
      const login = await expect('login', 200, 'POST', '/auth/login', { username, password: TEST_PASSWORD });
      if (login) [access, refresh, loggedIn] = [login.access_token, login.refresh_token, true];
    } else if (step === 1 || sessionId === undefined) {
      if (sessions.length >= SESSIONS_KEPT) {
        const oldest = sessions.shift()!;
        await expect('session.delete', 200, 'DELETE', `/chat/sessions/${oldest}`, undefined, access);
        sent.splice(0, sent.length, ...sent.filter((message) => message.sessionId !== oldest));
      }
      const created = await expect('session.create', 201, 'POST', '/chat/sessions', { title: `Soak ${round}` }, access);
      if (created) sessions.push(created.session.id);
    } else if (step <= 4) {
      const message = await expect('message.send', 201, 'POST', `/chat/sessions/${sessionId}/messages`, { text: `round ${round} of ${username}` }, access);
      if (message) sent.push({ sessionId, id: message.message.id });
      if (sent.length > 50) sent.shift();
    } else if (step === 5) {
      await expect('messages.page', 200, 'GET', `/chat/sessions/${sessionId}/messages?page=1&per_page=50`, undefined, access);
    } else if (step === 6) {
      await expect('messages.latest', 200, 'GET', `/chat/sessions/${sessionId}/messages?limit=20`, undefined, access);
    } else if (step === 7) {
      await expect('sessions.list', 200, 'GET', '/chat/sessions', undefined, access);
    } else if (step === 8) {
      await expect('profile', 200, 'GET', '/auth/profile', undefined, access);
    } else if (step === 9 && loggedIn) {
      const renewed = await expect('refresh', 200, 'POST', '/auth/refresh', { refresh_token: refresh });
      if (renewed) [access, refresh] = [renewed.access_token, renewed.refresh_token];
    } else if (step === 10 && sent.length > 0) {
      const last = sent.at(-1)!;
      await expect('message.edit', 200, 'PUT', `/chat/sessions/${last.sessionId}/messages/${last.id}`, { text: `edited in round ${round}` }, access);
    } else if (step === 11 && loggedIn) {
      // Ends the login opened at step 0; the connections' own login lives on.
      await expect('logout', 200, 'POST', '/auth/logout', undefined, access);
      [access, loggedIn] = [streamToken, false];
    }

    if (round % RESUME_EVERY === RESUME_EVERY - 1 && socket) {
      const last = socket.events().at(-1) ?? (await socket.ready());
      counted += socket.events().length;
      socket.close();
      await socket.closed;
      socket = await TestSocket.connect(context.wsUrl, streamToken, { epoch: last.epoch, offset: last.offset }).catch((error: unknown) => {
        fail(`websocket resume: ${(error as Error).message}`);
        return null;
      });
      const ready = socket ? await socket.ready() : null;
      if (ready && ready.recovered !== true) fail(`websocket resume: ready says recovered ${String(ready.recovered)}`);
      else if (ready) tally.resumes += 1;
    }
    await delay(context.pauseMs);
  }

  tally.eventsReceived += counted + (socket?.events().length ?? 0) + (stream?.events.items.filter((event) => event.id !== null && event.event !== 'ready').length ?? 0);
  socket?.close();
  stream?.close();
};
