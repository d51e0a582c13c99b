/**
 * Mass assignment: keys a client adds to a body (`id`, `user_id`, `is_active`, `is_verified`,
 * `password_hash`, `session_id`, `created_at`, `message_count`, ...) are never written. Only the
 * fields each route names reach the use cases.
 */
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApi, registerAndLogin, type RegisteredUser, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { expectJson, isoTimestamp, messageResource, SESSION_NOT_FOUND, sessionResource, userResource } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const LONG_AGO = '2000-01-01T00:00:00.000Z';
const FOREIGN_UUID = '11111111-1111-4111-8111-111111111111';
// A real bcrypt hash of this password: if a body's `password_hash` were stored, it would log in.
const ATTACKER_PASSWORD = 'Attacker123';
const ATTACKER_HASH = bcrypt.hashSync(ATTACKER_PASSWORD, 4);

/** Every server-owned field of every resource, with values an attacker would like stored. */
const forged = (others: { userId: string; sessionId: number }) => ({
  id: 424_242,
  user_id: others.userId,
  session_id: others.sessionId,
  is_active: false,
  is_verified: true,
  is_deleted: true,
  password_hash: ATTACKER_HASH,
  created_at: LONG_AGO,
  updated_at: LONG_AGO,
  message_count: 99,
  last_message_at: LONG_AGO,
});

describeOverDatabases('mass assignment', (database) => {
  let server: TestServer;
  let api: Api;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let bobSession: number;
  let started: number;

  const isRecent = (timestamp: string) => Date.parse(timestamp) >= started - 1000 && Date.parse(timestamp) <= Date.now() + 1000;

  beforeAll(async () => {
    started = Date.now();
    server = await startTestServer({ database });
    api = createApi(server.baseUrl);
    alice = await registerAndLogin(api);
    bob = await registerAndLogin(api);
    bobSession = (await api.post('/chat/sessions', { title: "Bob's" }, bob.accessToken)).body.session.id;
  });
  afterAll(() => server?.close());

  describe('POST /auth/register', () => {
    it('when the body carries id, is_active, is_verified, password_hash and timestamps, creates a plain new account', async () => {
      const username = uniqueUsername();
      const response = await api.post('/auth/register', {
        ...forged({ userId: bob.id, sessionId: bobSession }),
        id: FOREIGN_UUID,
        username,
        email: `${username}@example.com`,
        password: TEST_PASSWORD,
      });

      expect(response.status).toBe(201);
      expect(response.body.user).toEqual(userResource({ username, email: `${username}@example.com`, is_active: true, is_verified: false }));
      expect(response.body.user.id).not.toBe(FOREIGN_UUID);
      expect(isRecent(response.body.user.created_at)).toBe(true);
      expect((await api.post('/auth/login', { username, password: TEST_PASSWORD })).status).toBe(200);
      expect((await api.post('/auth/login', { username, password: ATTACKER_PASSWORD })).status).toBe(401);
    });
  });

  describe('PUT /auth/profile', () => {
    it('when the body carries only server-owned fields, changes nothing at all', async () => {
      const before = (await api.get('/auth/profile', alice.accessToken)).body;

      const response = await api.put('/auth/profile', { ...forged({ userId: bob.id, sessionId: bobSession }), id: bob.id }, alice.accessToken);

      expectJson(response, 200, before);
      expect((await api.get('/auth/profile', alice.accessToken)).body).toEqual(before);
    });

    it('when they ride along with a real change, only the real change is made', async () => {
      const before = (await api.get('/auth/profile', alice.accessToken)).body.user;
      const username = uniqueUsername('renamed');

      const response = await api.put('/auth/profile', { ...forged({ userId: bob.id, sessionId: bobSession }), id: bob.id, username }, alice.accessToken);

      expectJson(response, 200, { user: { ...before, username, updated_at: expect.any(String) } });
      expect(response.body.user.created_at).toBe(before.created_at);
      expect((await api.post('/auth/login', { username, password: alice.password })).status).toBe(200);
      expect((await api.post('/auth/login', { username, password: ATTACKER_PASSWORD })).status).toBe(401);
      // Bob is not touched either.
      expect((await api.get('/auth/profile', bob.accessToken)).body.user).toMatchObject({ id: bob.id, username: bob.username, is_active: true });
    });
  });

  describe('POST /chat/sessions', () => {
    it("when the body carries id, user_id (another user's), counts and timestamps, creates a new empty session of the caller", async () => {
      const response = await api.post('/chat/sessions', { ...forged({ userId: bob.id, sessionId: bobSession }), title: 'Mine' }, alice.accessToken);

      expectJson(response, 201, { session: sessionResource({ title: 'Mine', message_count: 0, last_message_at: null }) });
      const id = response.body.session.id;
      expect(id).not.toBe(424_242);
      expect(isRecent(response.body.session.created_at)).toBe(true);
      // It is Alice's (is_active was not written either: it is listed), not Bob's.
      const listed = (await api.get('/chat/sessions', alice.accessToken)).body.sessions.map((session: { id: number }) => session.id);
      expect(listed).toContain(id);
      expectJson(await api.get(`/chat/sessions/${id}`, bob.accessToken), 404, SESSION_NOT_FOUND);
    });
  });

  describe('PUT /chat/sessions/:id', () => {
    it('when the body carries server-owned fields beside the title, only the title changes', async () => {
      const created = (await api.post('/chat/sessions', { title: 'Before' }, alice.accessToken)).body.session;

      const response = await api.put(
        `/chat/sessions/${created.id}`,
        { ...forged({ userId: bob.id, sessionId: bobSession }), title: 'After' },
        alice.accessToken,
      );

      expectJson(response, 200, { session: { ...created, title: 'After', updated_at: expect.any(String) } });
      expect((await api.get(`/chat/sessions/${created.id}`, alice.accessToken)).body.session).toEqual(response.body.session);
      expectJson(await api.get(`/chat/sessions/${created.id}`, bob.accessToken), 404, SESSION_NOT_FOUND);
    });
  });

  describe('POST /chat/sessions/:id/messages', () => {
    it("when the body carries id, session_id (another user's session), is_deleted and timestamps, stores a new message in the path's session", async () => {
      const session = (await api.post('/chat/sessions', { title: 'Messages' }, alice.accessToken)).body.session;

      const response = await api.post(
        `/chat/sessions/${session.id}/messages`,
        { ...forged({ userId: bob.id, sessionId: bobSession }), text: 'Hello' },
        alice.accessToken,
      );

      expectJson(response, 201, { message: messageResource({ session_id: session.id, text: 'Hello', sender: 'user' }) });
      expect(response.body.message.id).not.toBe(424_242);
      expect(isRecent(response.body.message.created_at)).toBe(true);
      const listed = (await api.get(`/chat/sessions/${session.id}/messages`, alice.accessToken)).body.messages;
      expect(listed).toEqual([response.body.message]);
      const bobs = await api.get(`/chat/sessions/${bobSession}`, bob.accessToken);
      expect(bobs.body.session.message_count).toBe(0);
      expect(bobs.body.messages).toEqual([]);
    });
  });

  describe('PUT /chat/sessions/:id/messages/:message_id', () => {
    it('when the body carries session_id, sender and other fields beside the text, only the text changes', async () => {
      const session = (await api.post('/chat/sessions', { title: 'Edits' }, alice.accessToken)).body.session;
      const sent = (await api.post(`/chat/sessions/${session.id}/messages`, { text: 'Original' }, alice.accessToken)).body.message;

      const response = await api.put(
        `/chat/sessions/${session.id}/messages/${sent.id}`,
        { ...forged({ userId: bob.id, sessionId: bobSession }), sender: 'system', text: 'Edited' },
        alice.accessToken,
      );

      expectJson(response, 200, { message: { ...sent, text: 'Edited', edited_at: isoTimestamp(), updated_at: expect.any(String) } });
      const listed = (await api.get(`/chat/sessions/${session.id}/messages`, alice.accessToken)).body.messages;
      expect(listed).toEqual([response.body.message]);
      expect((await api.get(`/chat/sessions/${bobSession}`, bob.accessToken)).body.messages).toEqual([]);
    });
  });
});
