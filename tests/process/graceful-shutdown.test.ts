/**
 * Shutdown is graceful (QUALITY.md, Reliability), under load: the built server gets SIGTERM while
 * a burst of slow requests is in flight (bcrypt logins, 1 MB reads, sends) and WebSockets and
 * event streams are open. Every request it had started is answered as it would have been, every
 * socket closes with 1001, every stream ends, and the process exits 0 within 10 s; what it
 * acknowledged is there after a restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { messageResource, tokenPair, userResource } from '../support/http-expectations.js';
import { type AcceptedAnswer, type AcceptedRequest, sendAccepted } from '../support/accepted-request.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, killAll, startServer, within } from '../support/server-process.js';
import { openEventStream, type TestEventStream, TestSocket } from '../support/test-socket.js';
import { openRawConnection, parseAnswer } from '../support/raw-connection.js';

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
afterEach(killAll);
afterAll(cleanUp);

/** Users in the burst, each one login, one send and one large read. */
const USERS = 12;
const SOCKETS = 4;
const STREAMS = 4;
/** The largest page of the largest messages: each read answers about 1 MB. */
const PAGE = 200;
const TEXT = 'x'.repeat(4_990);
const TIMED_OUT = { error: 'Request timeout', code: 'request_timeout' };

interface Account {
  readonly username: string;
  readonly email: string;
  readonly token: string;
  readonly sessionId: number;
  /** A client address of its own (the server trusts the proxy header here), so no per-address limit is shared. */
  readonly address: string;
}

const ok = async <T>(what: string, response: Promise<{ status: number; text: string; body: T }>, status: number): Promise<T> => {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.body;
};

const createAccount = async (api: Api, index: number): Promise<Account> => {
  const username = uniqueUsername(`stop${index}`);
  const email = `${username}@example.com`;
  const address = `198.51.100.${index + 1}`;
  const headers = { 'X-Forwarded-For': address };
  const registered = await ok(
    `register ${username}`,
    api.request('POST', '/auth/register', { body: { username, email, password: TEST_PASSWORD }, headers }),
    201,
  );
  const token: string = registered.access_token;
  const session = await ok('create session', api.request('POST', '/chat/sessions', { body: { title: `Burst ${index}` }, token, headers }), 201);
  return { username, email, token, sessionId: session.session.id, address };
};

/** Fills a session with a full page of the longest messages, a few at a time. */
const fillSession = async (api: Api, account: Account): Promise<void> => {
  for (let start = 0; start < PAGE; start += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, offset) =>
        ok('fill', api.post(`/chat/sessions/${account.sessionId}/messages`, { text: `${start + offset} ${TEXT}` }, account.token), 201),
      ),
    );
  }
};

interface InFlight {
  readonly kind: 'login' | 'send' | 'read';
  readonly account: Account;
  readonly request: AcceptedRequest;
}

describe('the built server, shutting down under load (sqlite)', () => {
  it('when SIGTERM comes during a burst of slow requests with WebSockets and event streams open, answers every started request normally, closes sockets with 1001, ends streams and exits 0 within 10 s', async () => {
    // bcrypt at cost 11 makes each login take a few hundred milliseconds on the thread pool, so
    // the burst is still being worked through when the signal arrives.
    // The restart at the end uses the same environment, so the same database file.
    const env = baseEnv({ BCRYPT_ROUNDS: '11', TRUST_PROXY: 'true' });
    const server = await startServer(env);
    const accounts = await Promise.all(Array.from({ length: USERS }, (_, index) => createAccount(server.api, index)));
    const [reader] = accounts;
    await fillSession(server.api, reader!);

    const sockets = await Promise.all(accounts.slice(0, SOCKETS).map((account) => TestSocket.connect(server.wsUrl, account.token)));
    const streams: TestEventStream[] = await Promise.all(
      accounts.slice(SOCKETS, SOCKETS + STREAMS).map((account) => openEventStream(`${server.baseUrl}/events`, account.token)),
    );
    for (const stream of streams) {
      expect(stream.status).toBe(200);
      await stream.events.until((events) => events.some((event) => event.event === 'ready'), 5_000, "a stream's ready event");
    }
    const streamEnds = streams.map((stream) => stream.ended.then(() => performance.now()));
    const socketCloses = sockets.map((socket) => socket.closed);

    // The burst: every request on a connection of its own, taken by the server before the signal.
    const inFlight: InFlight[] = accounts.flatMap((account): InFlight[] => {
      const headers = { 'X-Forwarded-For': account.address };
      const auth = { ...headers, Authorization: `Bearer ${account.token}` };
      return [
        { kind: 'login', account, request: sendAccepted(server.port, 'POST', '/auth/login', { body: { username: account.username, password: TEST_PASSWORD }, headers }) },
        {
          kind: 'send',
          account,
          request: sendAccepted(server.port, 'POST', `/chat/sessions/${account.sessionId}/messages`, { body: { text: `sent at shutdown by ${account.username}` }, headers: auth }),
        },
        {
          kind: 'read',
          account,
          request: sendAccepted(server.port, 'GET', `/chat/sessions/${reader!.sessionId}/messages?page=1&per_page=${PAGE}`, {
            headers: { ...headers, Authorization: `Bearer ${reader!.token}` },
          }),
        },
      ];
    });
    await within(Promise.all(inFlight.map(({ request }) => request.accepted)), 10_000, 'the server taking every request of the burst');

    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const answers = await within(Promise.all(inFlight.map(({ request }) => request.answer)), 10_000, 'the answers to the burst');
    const [closes, ends, exit] = await Promise.all([
      within(Promise.all(socketCloses), 10_000, 'the sockets closing'),
      within(Promise.all(streamEnds), 10_000, 'the streams ending'),
      within(server.exited, 10_000, 'exit after SIGTERM'),
    ]);
    const exitedAfterMs = performance.now() - signalled;

    // The premise: the signal really came while the burst was being worked through.
    const answeredAfterSignal = answers.filter((answer) => answer.at > signalled).length;
    expect(answeredAfterSignal).toBeGreaterThan(0);
    const loginsAfterSignal = inFlight.filter(({ kind }, index) => kind === 'login' && answers[index]!.at > signalled).length;
    expect(loginsAfterSignal).toBeGreaterThan(0);

    // Every started request has the answer it would have had without the shutdown.
    inFlight.forEach(({ kind, account }, index) => {
      const answer: AcceptedAnswer = answers[index]!;
      const body: unknown = JSON.parse(answer.text);
      if (kind === 'login') {
        expect({ kind, status: answer.status, body }).toEqual({
          kind,
          status: 200,
          body: { user: userResource({ username: account.username, email: account.email }), ...tokenPair() },
        });
      } else if (kind === 'send') {
        expect({ kind, status: answer.status, body }).toEqual({
          kind,
          status: 201,
          body: { message: messageResource({ session_id: account.sessionId, text: `sent at shutdown by ${account.username}`, sender: 'user' }) },
        });
      } else {
        expect({ kind, status: answer.status }).toEqual({ kind, status: 200 });
        const page = body as { messages: Array<{ text: string }> };
        expect(page.messages).toHaveLength(PAGE);
        expect(page.messages.every((message) => message.text.endsWith(TEXT))).toBe(true);
      }
      // Answers given during the shutdown close their connection, so no client holds it open.
      if (answer.at > signalled) expect(answer.headers['connection']).toBe('close');
    });

    expect(closes.map((close) => close.code)).toEqual(Array(SOCKETS).fill(1001));
    for (const end of ends) expect(end).toBeGreaterThanOrEqual(signalled);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAfterMs).toBeLessThan(10_000);
    expect(server.logs.at(-1)?.msg).toBe('stopped');
    expect(server.stderr()).toBe('');

    // What was acknowledged during the shutdown was committed: a restart on the same file has it.
    const again = await startServer(env);
    const api = createApi(again.baseUrl);
    for (const account of accounts.slice(1)) {
      const listed = await ok('list after restart', api.get(`/chat/sessions/${account.sessionId}/messages`, account.token), 200);
      expect(listed.messages.map((message: { text: string }) => message.text)).toEqual([`sent at shutdown by ${account.username}`]);
    }
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);
});

describe('the built server, shutting down with slow clients connected (sqlite)', () => {
  it('when SIGTERM comes while one client has sent nothing, one trickles its headers and one is half-way through its body, none holds the shutdown: the silent one is let go at once, the others get a JSON 408, and the process exits 0 within 10 s', async () => {
    // The default timeouts (10 s for headers, 30 s for a request): the shutdown must not wait for them.
    const server = await startServer(baseEnv());
    const silent = openRawConnection(server.baseUrl);
    const headers = openRawConnection(server.baseUrl);
    const body = openRawConnection(server.baseUrl);
    await Promise.all([silent.connected, headers.connected, body.connected]);
    headers.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    headers.trickle(['X-Slow: a\r\n'], 200);
    const accepted = new Promise<void>((resolve) => body.socket.once('data', () => resolve()));
    body.socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n',
    );
    // Its 100 Continue: the server has the request and waits for the body, which trickles.
    await within(accepted, 5_000, '100 Continue');
    body.trickle([' '], 100);
    // A completed request on a fourth connection proves the server is serving all along.
    expect((await server.api.get('/health')).status).toBe(200);

    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const [silentEnd, headersEnd, bodyEnd, exit] = await Promise.all([
      within(silent.closed, 10_000, 'the silent connection closing'),
      within(headers.closed, 10_000, 'the trickling headers being cut'),
      within(body.closed, 10_000, 'the trickling body being cut'),
      within(server.exited, 10_000, 'exit after SIGTERM with slow clients connected'),
    ]);
    const exitedAfterMs = performance.now() - signalled;

    // Nothing was asked of it: nothing to answer, no reason to wait (the server gives a request
    // still arriving 3 s; this one went before that).
    expect(silentEnd.text).toBe('');
    expect(silentEnd.closedAt - signalled).toBeLessThan(3_000);
    expect(parseAnswer(headersEnd.text)).toMatchObject({ status: 408, body: JSON.stringify(TIMED_OUT) });
    const bodyAnswer = parseAnswer(bodyEnd.text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''));
    expect(bodyAnswer).toMatchObject({ status: 408, body: JSON.stringify(TIMED_OUT) });
    expect(bodyAnswer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAfterMs).toBeLessThan(10_000);
    expect(server.logs.at(-1)?.msg).toBe('stopped');
  }, 60_000);

  it('when a second SIGTERM comes while the shutdown still waits for a request arriving, the process exits 1 at once and says why in its log', async () => {
    const server = await startServer(baseEnv());
    // A body that trickles keeps the first shutdown waiting (up to 3 s for a request still arriving).
    const body = openRawConnection(server.baseUrl);
    await body.connected;
    const accepted = new Promise<void>((resolve) => body.socket.once('data', () => resolve()));
    body.socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n',
    );
    await within(accepted, 5_000, '100 Continue');
    body.trickle([' '], 100);

    server.child.kill('SIGTERM');
    await server.waitForLog((line) => line.msg === 'shutting down', 5_000);
    const secondAt = performance.now();
    server.child.kill('SIGTERM');
    const exit = await within(server.exited, 5_000, 'exit after the second SIGTERM');

    expect(exit).toEqual({ code: 1, signal: null });
    // Well before the first shutdown would have let the trickling request go.
    expect(performance.now() - secondAt).toBeLessThan(2_000);
    expect(server.logs.at(-1)).toMatchObject({ msg: 'second signal while shutting down; exiting now', signal: 'SIGTERM' });
  }, 30_000);
});
