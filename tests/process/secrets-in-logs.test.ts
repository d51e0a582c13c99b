/**
 * Passwords are never logged (QUALITY.md "Security"), nor tokens or what people write: the built
 * server, at its most talkative log level, is driven through registration, logins right and wrong,
 * a refresh, a message and a request it refuses, and nothing it wrote holds any of them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueUsername } from '../support/api-client.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, killAll, startServer } from '../support/server-process.js';

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
afterEach(killAll);
afterAll(cleanUp);

describe('what the server writes (sqlite)', () => {
  it('at LOG_LEVEL trace holds no password, token or message text', async () => {
    const server = await startServer(baseEnv({ LOG_LEVEL: 'trace' }));
    const username = uniqueUsername('quiet');
    const password = 'Kept-Secret-4711';
    const wrongPassword = 'Wrong-Guess-0815';
    const text = 'a message nobody else may read: 9f3c';

    const registered = await server.api.post('/auth/register', { username, email: `${username}@example.com`, password });
    expect(registered.status).toBe(201);
    expect((await server.api.post('/auth/login', { username, password: wrongPassword })).status).toBe(401);
    const login = await server.api.post('/auth/login', { username, password });
    expect(login.status).toBe(200);
    const refreshed = await server.api.request('POST', '/auth/refresh', { token: String(login.body.refresh_token) });
    expect(refreshed.status).toBe(200);
    const access = String(refreshed.body.access_token);
    const session = await server.api.post('/chat/sessions', { title: 'private' }, access);
    expect((await server.api.post(`/chat/sessions/${String(session.body.session.id)}/messages`, { text }, access)).status).toBe(201);
    // Refused requests are where bodies most often end up in logs.
    expect((await server.api.post('/auth/register', { username: 'x', email: 'nope', password: wrongPassword })).status).toBe(400);
    expect((await server.api.put('/auth/profile', { password: 'Another-Secret-1', current_password: wrongPassword }, access)).status).toBe(401);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const written = `${JSON.stringify(server.logs)}\n${server.stdoutText()}\n${server.stderr()}`;
    expect(server.logs.length).toBeGreaterThan(10);
    const secrets = [password, wrongPassword, 'Another-Secret-1', text, ...[registered, login, refreshed].flatMap((answer) => [
      String(answer.body.access_token),
      String(answer.body.refresh_token),
    ])];
    for (const secret of secrets) expect(written, secret.slice(0, 12)).not.toContain(secret);
  }, 60_000);
});
