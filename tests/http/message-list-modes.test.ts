import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi, registerAndLogin, type Api } from '../support/api-client.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describeOverDatabases('listing messages by page or by cursor', (database) => {
  let server: TestServer;
  let api: Api;
  let token: string;
  let path: string;
  const ids: number[] = [];

  beforeAll(async () => {
    server = await startTestServer({ database });
    api = createApi(server.baseUrl);
    token = (await registerAndLogin(api)).accessToken;
    const session = await api.post('/chat/sessions', { title: 'modes' }, token);
    path = `/chat/sessions/${session.body.session.id}/messages`;
    for (const text of ['one', 'two', 'three', 'four']) {
      ids.push((await api.post(path, { text }, token)).body.message.id);
    }
  });
  afterAll(() => server?.close());

  it('when only a limit is given, it reads the latest messages by cursor', async () => {
    const answer = await api.get(`${path}?limit=2`, token);

    expect(answer.status).toBe(200);
    expect(answer.body.messages.map((m: { id: number }) => m.id)).toEqual(ids.slice(2));
    expect(answer.body.has_more).toBe(true);
    expect(answer.body).not.toHaveProperty('pagination');
  });

  it.each(['before_id=4&page=1', 'after_id=1&per_page=2', 'limit=2&page=2'])(
    'when page parameters are mixed with cursor parameters (%s), it is refused rather than half ignored',
    async (query) => {
      const answer = await api.get(`${path}?${query}`, token);

      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'Validation failed',
        code: 'validation_failed',
        details: ['page: cannot be combined with before_id, after_id or limit'],
      });
    },
  );

  it('when a message is sent with sender null, it is sent as the user', async () => {
    const answer = await api.post(path, { text: 'null sender', sender: null }, token);

    expect(answer.status).toBe(201);
    expect(answer.body.message.sender).toBe('user');
  });
});
