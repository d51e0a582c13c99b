/**
 * The seed's whole walk-through over a real socket, checked against API.md to the key: statuses,
 * body shapes, timestamps, pagination, and the JSON content type on every answer. The steps share
 * one account and build on each other, in order, as a client would use the API.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Api, createApi } from '../support/api-client.js';
import {
  expectError,
  expectJson,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  isoTimestamp,
  JSON_CONTENT_TYPE,
  MESSAGE_NOT_FOUND,
  messageResource,
  SESSION_NOT_FOUND,
  sessionResource,
  tokenPair,
  userResource,
} from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describeOverDatabases(
  'the seed flow over HTTP',
  (database) => {
    let server: TestServer;
    let api: Api;

    beforeAll(async () => {
      server = await startTestServer({ database });
      api = createApi(server.baseUrl);
    });
    afterAll(() => server?.close());

    // What the steps learn and later steps use.
    let userId: string;
    let registrationAccess: string;
    let access: string;
    let refresh: string;
    let sessionId: number;
    let otherSessionId: number;
    const messageIds: number[] = [];
    let lastMessageAt: string;

    it('registers john_doe: 201 with the user and a token pair', async () => {
      const response = await api.post('/auth/register', { username: 'john_doe', email: 'john@example.com', password: 'SecurePass123' });

      expectJson(response, 201, { user: userResource({ username: 'john_doe', email: 'john@example.com' }), ...tokenPair() });
      expect(response.body.user.created_at).toBe(response.body.user.updated_at);
      userId = response.body.user.id;
      registrationAccess = response.body.access_token;
    });

    it('logs in by username: 200 with the same user and a new token pair', async () => {
      const response = await api.post('/auth/login', { username: 'john_doe', password: 'SecurePass123' });

      expectJson(response, 200, { user: userResource({ id: userId, username: 'john_doe', email: 'john@example.com' }), ...tokenPair() });
      expect(response.body.access_token).not.toBe(registrationAccess);
      access = response.body.access_token;
      refresh = response.body.refresh_token;
    });

    it('logs in by email as well, in any case', async () => {
      const response = await api.post('/auth/login', { username: 'John@Example.com', password: 'SecurePass123' });

      expectJson(response, 200, { user: userResource({ id: userId, username: 'john_doe', email: 'john@example.com' }), ...tokenPair() });
    });

    it('refreshes with the refresh token as bearer: 200 with only a new token pair', async () => {
      const response = await api.request('POST', '/auth/refresh', { token: refresh });

      expectJson(response, 200, tokenPair());
      expect(response.body.refresh_token).not.toBe(refresh);
      expect(response.body.access_token).not.toBe(access);
      access = response.body.access_token;
      refresh = response.body.refresh_token;
    });

    it('refreshes with the refresh token in the body as well', async () => {
      const response = await api.post('/auth/refresh', { refresh_token: refresh });

      expectJson(response, 200, tokenPair());
      access = response.body.access_token;
      refresh = response.body.refresh_token;
    });

    it('shows the profile to the refreshed access token', async () => {
      const response = await api.get('/auth/profile', access);

      expectJson(response, 200, { user: userResource({ id: userId, username: 'john_doe', email: 'john@example.com' }) });
    });

    it('updates username, email and password (with the current one): 200 with the changed user', async () => {
      const response = await api.put(
        '/auth/profile',
        { username: 'new_username', email: 'NewEmail@Example.com', password: 'NewSecurePass123', current_password: 'SecurePass123' },
        access,
      );

      expectJson(response, 200, { user: userResource({ id: userId, username: 'new_username', email: 'newemail@example.com' }) });
      expect(Date.parse(response.body.user.updated_at)).toBeGreaterThanOrEqual(Date.parse(response.body.user.created_at));
    });

    it('after the password change, keeps this login, ends the others, and takes only the new password', async () => {
      expect((await api.get('/auth/profile', access)).status).toBe(200);
      expectJson(await api.get('/auth/profile', registrationAccess), 401, INVALID_TOKEN);
      expectJson(await api.post('/auth/login', { username: 'new_username', password: 'SecurePass123' }), 401, INVALID_CREDENTIALS);
      expectJson(await api.post('/auth/login', { username: 'john_doe', password: 'NewSecurePass123' }), 401, INVALID_CREDENTIALS);
      const login = await api.post('/auth/login', { username: 'new_username', password: 'NewSecurePass123' });
      expectJson(login, 200, { user: userResource({ id: userId, username: 'new_username', email: 'newemail@example.com' }), ...tokenPair() });
    });

    it('creates a session: 201 with no messages yet', async () => {
      const response = await api.post('/chat/sessions', { title: 'My Chat Session' }, access);

      expectJson(response, 201, { session: sessionResource({ title: 'My Chat Session', message_count: 0, last_message_at: null }) });
      expect(Number.isSafeInteger(response.body.session.id)).toBe(true);
      sessionId = response.body.session.id;
    });

    it('creates a session without a title as "New Chat", and trims a given title', async () => {
      const untitled = await api.post('/chat/sessions', {}, access);
      const padded = await api.post('/chat/sessions', { title: '  Padded  ' }, access);

      expectJson(untitled, 201, { session: sessionResource({ title: 'New Chat', message_count: 0, last_message_at: null }) });
      expectJson(padded, 201, { session: sessionResource({ title: 'Padded', message_count: 0, last_message_at: null }) });
      otherSessionId = untitled.body.session.id;
      expect(new Set([sessionId, otherSessionId, padded.body.session.id]).size).toBe(3);
    });

    it('lists the sessions, most recently active first, with the pagination object', async () => {
      const response = await api.get('/chat/sessions?page=1&per_page=20', access);

      expectJson(response, 200, {
        sessions: [
          sessionResource({ title: 'Padded', message_count: 0, last_message_at: null }),
          sessionResource({ id: otherSessionId, title: 'New Chat', message_count: 0, last_message_at: null }),
          sessionResource({ id: sessionId, title: 'My Chat Session', message_count: 0, last_message_at: null }),
        ],
        pagination: { page: 1, per_page: 20, total: 3, pages: 1, has_next: false, has_prev: false },
      });
    });

    it('pages the session list with per_page', async () => {
      const first = await api.get('/chat/sessions?page=1&per_page=2', access);
      const second = await api.get('/chat/sessions?page=2&per_page=2', access);

      expect(first.body.pagination).toEqual({ page: 1, per_page: 2, total: 3, pages: 2, has_next: true, has_prev: false });
      expect(second.body.pagination).toEqual({ page: 2, per_page: 2, total: 3, pages: 2, has_next: false, has_prev: true });
      expect(second.body.sessions.map((session: { id: number }) => session.id)).toEqual([sessionId]);
    });

    it('gets a session with the first page of its (no) messages', async () => {
      const response = await api.get(`/chat/sessions/${sessionId}`, access);

      expectJson(response, 200, {
        session: sessionResource({ id: sessionId, title: 'My Chat Session', message_count: 0, last_message_at: null }),
        messages: [],
        pagination: { page: 1, per_page: 50, total: 0, pages: 0, has_next: false, has_prev: false },
      });
    });

    it('renames the session: 200 with the new title', async () => {
      const before = (await api.get(`/chat/sessions/${sessionId}`, access)).body.session;
      const response = await api.put(`/chat/sessions/${sessionId}`, { title: 'Updated Session Title' }, access);

      expectJson(response, 200, {
        session: sessionResource({ id: sessionId, title: 'Updated Session Title', message_count: 0, last_message_at: null }),
      });
      expect(response.body.session.created_at).toBe(before.created_at);
      expect(Date.parse(response.body.session.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    });

    it('sends a message as each sender (user by default): 201 with the message', async () => {
      const sent = [
        await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'Hello, this is a message!' }, access),
        await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'Hi! How can I help?', sender: 'assistant' }, access),
        await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'Be brief.', sender: 'system' }, access),
        await api.post(`/chat/sessions/${sessionId}/messages`, { text: '  <b>trimmed</b>\n ', sender: 'user' }, access),
      ];

      expectJson(sent[0]!, 201, { message: messageResource({ session_id: sessionId, text: 'Hello, this is a message!', sender: 'user' }) });
      expectJson(sent[1]!, 201, { message: messageResource({ session_id: sessionId, text: 'Hi! How can I help?', sender: 'assistant' }) });
      expectJson(sent[2]!, 201, { message: messageResource({ session_id: sessionId, text: 'Be brief.', sender: 'system' }) });
      // Trimmed, and HTML kept as written: it is never served as HTML.
      expectJson(sent[3]!, 201, { message: messageResource({ session_id: sessionId, text: '<b>trimmed</b>', sender: 'user' }) });
      messageIds.push(...sent.map((response) => response.body.message.id as number));
      expect([...messageIds].sort((a, b) => a - b)).toEqual(messageIds);
      lastMessageAt = sent[3]!.body.message.created_at;
    });

    it('counts the messages on the session and moves it to the top of the list', async () => {
      const session = await api.get(`/chat/sessions/${sessionId}?per_page=2`, access);
      const list = await api.get('/chat/sessions', access);

      expectJson(session, 200, {
        session: sessionResource({ id: sessionId, title: 'Updated Session Title', message_count: 4, last_message_at: lastMessageAt }),
        messages: [
          messageResource({ id: messageIds[0], session_id: sessionId, text: 'Hello, this is a message!', sender: 'user' }),
          messageResource({ id: messageIds[1], session_id: sessionId, text: 'Hi! How can I help?', sender: 'assistant' }),
        ],
        pagination: { page: 1, per_page: 2, total: 4, pages: 2, has_next: true, has_prev: false },
      });
      expect(Date.parse(session.body.session.updated_at)).toBeGreaterThanOrEqual(Date.parse(lastMessageAt));
      expect(list.body.sessions[0]).toEqual(session.body.session);
    });

    it('lists messages by page, oldest first', async () => {
      const first = await api.get(`/chat/sessions/${sessionId}/messages?page=1&per_page=3`, access);
      const second = await api.get(`/chat/sessions/${sessionId}/messages?page=2&per_page=3`, access);
      const all = await api.get(`/chat/sessions/${sessionId}/messages`, access);

      expectJson(first, 200, {
        messages: messageIds.slice(0, 3).map((id) => expect.objectContaining({ id, session_id: sessionId })),
        pagination: { page: 1, per_page: 3, total: 4, pages: 2, has_next: true, has_prev: false },
      });
      expectJson(second, 200, {
        messages: [messageResource({ id: messageIds[3], session_id: sessionId, text: '<b>trimmed</b>', sender: 'user' })],
        pagination: { page: 2, per_page: 3, total: 4, pages: 2, has_next: false, has_prev: true },
      });
      expect(all.body.pagination).toEqual({ page: 1, per_page: 50, total: 4, pages: 1, has_next: false, has_prev: false });
      expect(all.body.messages.map((message: { id: number }) => message.id)).toEqual(messageIds);
    });

    it('reads keyset pages: the latest with an empty before_id, then older and newer by id', async () => {
      const ids = (response: { body: { messages: Array<{ id: number }> } }) => response.body.messages.map((message) => message.id);
      const latest = await api.get(`/chat/sessions/${sessionId}/messages?before_id=&limit=2`, access);
      const older = await api.get(`/chat/sessions/${sessionId}/messages?before_id=${messageIds[2]}&limit=50`, access);
      const newer = await api.get(`/chat/sessions/${sessionId}/messages?after_id=${messageIds[0]}&limit=2`, access);
      const newest = await api.get(`/chat/sessions/${sessionId}/messages?after_id=${messageIds[2]}`, access);

      expectJson(latest, 200, {
        messages: [
          messageResource({ id: messageIds[2], session_id: sessionId, text: 'Be brief.', sender: 'system' }),
          messageResource({ id: messageIds[3], session_id: sessionId, text: '<b>trimmed</b>', sender: 'user' }),
        ],
        has_more: true,
      });
      expect({ ids: ids(older), has_more: older.body.has_more }).toEqual({ ids: messageIds.slice(0, 2), has_more: false });
      expect({ ids: ids(newer), has_more: newer.body.has_more }).toEqual({ ids: messageIds.slice(1, 3), has_more: true });
      expect({ ids: ids(newest), has_more: newest.body.has_more }).toEqual({ ids: [messageIds[3]], has_more: false });
      expect(Object.keys(older.body).sort()).toEqual(['has_more', 'messages']);
    });

    it('edits a message: 200 with the new text', async () => {
      const response = await api.put(`/chat/sessions/${sessionId}/messages/${messageIds[0]}`, { text: 'Updated message text' }, access);

      expectJson(response, 200, {
        message: messageResource({ id: messageIds[0], session_id: sessionId, text: 'Updated message text', sender: 'user', edited: true }),
      });
      expect(Date.parse(response.body.message.updated_at)).toBeGreaterThanOrEqual(Date.parse(response.body.message.created_at));
    });

    it('deletes a message: 200, then it is gone from the lists and 404 everywhere', async () => {
      const deleted = await api.delete(`/chat/sessions/${sessionId}/messages/${messageIds[1]}`, undefined, access);

      expectJson(deleted, 200, { message: 'Message deleted' });
      const list = await api.get(`/chat/sessions/${sessionId}/messages`, access);
      expect(list.body.messages.map((message: { id: number }) => message.id)).toEqual([messageIds[0], messageIds[2], messageIds[3]]);
      expect(list.body.pagination.total).toBe(3);
      const keyset = await api.get(`/chat/sessions/${sessionId}/messages?before_id=`, access);
      expect(keyset.body.messages.map((message: { id: number }) => message.id)).not.toContain(messageIds[1]);
      expectJson(await api.put(`/chat/sessions/${sessionId}/messages/${messageIds[1]}`, { text: 'again' }, access), 404, MESSAGE_NOT_FOUND);
      expectJson(await api.delete(`/chat/sessions/${sessionId}/messages/${messageIds[1]}`, undefined, access), 404, MESSAGE_NOT_FOUND);
      expect((await api.get(`/chat/sessions/${sessionId}`, access)).body.session.message_count).toBe(3);
    });

    it('clears the messages: 200 with how many were deleted, then the session is empty', async () => {
      const cleared = await api.delete(`/chat/sessions/${sessionId}/messages`, undefined, access);

      expectJson(cleared, 200, { message: 'Messages cleared', deleted_count: 3 });
      const session = await api.get(`/chat/sessions/${sessionId}`, access);
      expect(session.body.session.message_count).toBe(0);
      expect(session.body.messages).toEqual([]);
      expectJson(await api.delete(`/chat/sessions/${sessionId}/messages`, undefined, access), 200, { message: 'Messages cleared', deleted_count: 0 });
    });

    it('deletes the session: 200, then it is 404 on every route and gone from the list', async () => {
      const deleted = await api.delete(`/chat/sessions/${sessionId}`, undefined, access);

      expectJson(deleted, 200, { message: 'Session deleted' });
      expectJson(await api.get(`/chat/sessions/${sessionId}`, access), 404, SESSION_NOT_FOUND);
      expectJson(await api.put(`/chat/sessions/${sessionId}`, { title: 'Back' }, access), 404, SESSION_NOT_FOUND);
      expectJson(await api.delete(`/chat/sessions/${sessionId}`, undefined, access), 404, SESSION_NOT_FOUND);
      expectJson(await api.get(`/chat/sessions/${sessionId}/messages`, access), 404, SESSION_NOT_FOUND);
      expectJson(await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'Anyone?' }, access), 404, SESSION_NOT_FOUND);
      const list = await api.get('/chat/sessions', access);
      expect(list.body.sessions.map((session: { id: number }) => session.id)).not.toContain(sessionId);
      expect(list.body.pagination.total).toBe(2);
    });

    it('logs out: 200, then the access and refresh tokens of that login are refused', async () => {
      const response = await api.post('/auth/logout', undefined, access);

      expectJson(response, 200, { message: 'Logged out' });
      expectJson(await api.get('/auth/profile', access), 401, INVALID_TOKEN);
      expectJson(await api.get('/chat/sessions', access), 401, INVALID_TOKEN);
      expectJson(await api.request('POST', '/auth/refresh', { token: refresh }), 401, INVALID_TOKEN);
    });

    it('logs out everywhere: 200 with how many logins ended, and all their tokens are refused', async () => {
      const first = await api.post('/auth/login', { username: 'new_username', password: 'NewSecurePass123' });
      const second = await api.post('/auth/login', { username: 'new_username', password: 'NewSecurePass123' });

      const response = await api.post('/auth/logout-all', undefined, second.body.access_token);

      // The two logins above and the one opened after the password change.
      expectJson(response, 200, { message: 'Logged out everywhere', revoked: 3 });
      expectJson(await api.get('/auth/profile', first.body.access_token), 401, INVALID_TOKEN);
      expectJson(await api.get('/auth/profile', second.body.access_token), 401, INVALID_TOKEN);
    });

    it('deletes the account with the current password: 200, then it cannot log in', async () => {
      const login = await api.post('/auth/login', { username: 'new_username', password: 'NewSecurePass123' });

      const response = await api.delete('/auth/profile', { current_password: 'NewSecurePass123' }, login.body.access_token);

      expectJson(response, 200, { message: 'Account deleted' });
      expectJson(await api.get('/auth/profile', login.body.access_token), 401, INVALID_TOKEN);
      expectJson(await api.post('/auth/login', { username: 'new_username', password: 'NewSecurePass123' }), 401, INVALID_CREDENTIALS);
      // The name is free again.
      const again = await api.post('/auth/register', { username: 'new_username', email: 'newemail@example.com', password: 'SecurePass123' });
      expect(again.status).toBe(201);
      expect(again.headers.get('content-type')).toBe(JSON_CONTENT_TYPE);
      expect(again.body.user.id).not.toBe(userId);
      expect(again.body.user.created_at).toEqual(isoTimestamp());
    });

    it('refuses a request without a token afterwards, in the error shape', async () => {
      expectError(await api.get('/chat/sessions'), 401, 'Missing access token', 'missing_token');
    });
  },
  { withMySql: true },
);
