/**
 * Broken object-level authorization (OWASP API1): user B, signed in, tries every session and
 * message route on user A's resources. Each is a 404 worded exactly like a resource that does not
 * exist, and A's data is byte-for-byte what it was.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, registerAndLogin, type RegisteredUser } from '../support/api-client.js';
import { expectJson, MESSAGE_NOT_FOUND, SESSION_NOT_FOUND } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describeOverDatabases(
  'ownership',
  (database) => {
    let server: TestServer;
    let api: Api;
    let alice: RegisteredUser;
    let bob: RegisteredUser;
    let aliceSession: number;
    let aliceMessages: number[];
    let bobSession: number;

    /** Everything A can see of her data, as she sees it. */
    const snapshotOfAlice = async () => ({
      sessions: (await api.get('/chat/sessions', alice.accessToken)).body,
      session: (await api.get(`/chat/sessions/${aliceSession}`, alice.accessToken)).body,
      messages: (await api.get(`/chat/sessions/${aliceSession}/messages`, alice.accessToken)).body,
    });
    let before: Awaited<ReturnType<typeof snapshotOfAlice>>;

    beforeAll(async () => {
      server = await startTestServer({ database });
      api = createApi(server.baseUrl);
      alice = await registerAndLogin(api);
      bob = await registerAndLogin(api);
      aliceSession = (await api.post('/chat/sessions', { title: "Alice's secrets" }, alice.accessToken)).body.session.id;
      aliceMessages = [];
      for (const text of ['first', 'second', 'third']) {
        aliceMessages.push((await api.post(`/chat/sessions/${aliceSession}/messages`, { text }, alice.accessToken)).body.message.id);
      }
      bobSession = (await api.post('/chat/sessions', { title: "Bob's own" }, bob.accessToken)).body.session.id;
      before = await snapshotOfAlice();
      expect(before.messages.messages).toHaveLength(3);
    });
    afterAll(() => server?.close());

    // After each attempt, A's data is what it was before any: a failure names the attempt at fault.
    afterEach(async () => {
      expect(await snapshotOfAlice()).toEqual(before);
    });

    /** Every session and message route, on A's session `s` and A's messages `m`. */
    const ROUTES: ReadonlyArray<[name: string, method: string, path: (s: number, m: number[]) => string, body?: unknown]> = [
      ['GET the session', 'GET', (s) => `/chat/sessions/${s}`],
      ['PUT (rename) the session', 'PUT', (s) => `/chat/sessions/${s}`, { title: 'Hijacked' }],
      ['DELETE the session', 'DELETE', (s) => `/chat/sessions/${s}`],
      ['POST a message', 'POST', (s) => `/chat/sessions/${s}/messages`, { text: 'Injected', sender: 'assistant' }],
      ['GET the messages (first page)', 'GET', (s) => `/chat/sessions/${s}/messages`],
      ['GET the messages (largest page)', 'GET', (s) => `/chat/sessions/${s}/messages?page=1&per_page=200`],
      ['GET the latest messages (keyset)', 'GET', (s) => `/chat/sessions/${s}/messages?before_id=`],
      ['GET the messages after an id (keyset)', 'GET', (s) => `/chat/sessions/${s}/messages?after_id=1&limit=200`],
      ['DELETE (clear) all messages', 'DELETE', (s) => `/chat/sessions/${s}/messages`],
      ['PUT (edit) a message', 'PUT', (s, m) => `/chat/sessions/${s}/messages/${m[0]}`, { text: 'Edited by Bob' }],
      ['DELETE a message', 'DELETE', (s, m) => `/chat/sessions/${s}/messages/${m[1]}`],
    ];

    describe("when user B calls a route on user A's session, it is not found", () => {
      it.each(ROUTES)('%s', async (_name, method, path, body) => {
        const response = await api.request(method, path(aliceSession, aliceMessages), { body, token: bob.accessToken });

        expectJson(response, 404, SESSION_NOT_FOUND);
        // Word for word what a session that never existed gets.
        const missing = await api.request(method, path(987_654_321, aliceMessages), { body, token: bob.accessToken });
        expect(response.text).toBe(missing.text);
      });
    });

    describe("when user B reaches A's message through B's own session, it is not found", () => {
      it('PUT message', async () => {
        const response = await api.put(`/chat/sessions/${bobSession}/messages/${aliceMessages[0]}`, { text: 'Edited by Bob' }, bob.accessToken);

        expectJson(response, 404, MESSAGE_NOT_FOUND);
      });

      it('DELETE message', async () => {
        const response = await api.delete(`/chat/sessions/${bobSession}/messages/${aliceMessages[2]}`, undefined, bob.accessToken);

        expectJson(response, 404, MESSAGE_NOT_FOUND);
      });
    });

    describe("when user B lists, A's resources do not show", () => {
      it("B's session list holds only B's session", async () => {
        const response = await api.get('/chat/sessions', bob.accessToken);

        expect(response.body.sessions.map((session: { id: number }) => session.id)).toEqual([bobSession]);
        expect(response.body.pagination.total).toBe(1);
      });

      it("B's keyset read after A's message ids holds nothing of A's", async () => {
        const response = await api.get(`/chat/sessions/${bobSession}/messages?after_id=1&limit=200`, bob.accessToken);

        expectJson(response, 200, { messages: [], has_more: false });
      });
    });

    it("leaves A's sessions and messages exactly as they were after all of the above", async () => {
      expect(await snapshotOfAlice()).toEqual(before);
      expect(before.session.session).toMatchObject({ title: "Alice's secrets", message_count: 3 });
      expect(before.messages.messages.map((message: { text: string }) => message.text)).toEqual(['first', 'second', 'third']);
    });
  },
  { withMySql: true },
);
