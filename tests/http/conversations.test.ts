import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi, registerAndLogin, type Api } from '../support/api-client.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describeOverDatabases('conversations for assistants over HTTP', (database) => {
  let server: TestServer;
  let api: Api;
  let token: string;
  let otherToken: string;
  let path: string;

  beforeAll(async () => {
    server = await startTestServer({ database });
    api = createApi(server.baseUrl);
    token = (await registerAndLogin(api)).accessToken;
    otherToken = (await registerAndLogin(api)).accessToken;
    const session = await api.post('/chat/sessions', { title: 'assistant' }, token);
    path = `/chat/sessions/${session.body.session.id}/messages`;
  });
  afterAll(() => server?.close());

  it('when a send is retried with its client_id, the first answer is 201, the retry 200 with the same message, and another text 409', async () => {
    const first = await api.post(path, { text: 'Hello', client_id: 'retry-1', metadata: { model: 'm' } }, token);
    const retry = await api.post(path, { text: 'Hello', client_id: 'retry-1', metadata: { model: 'm' } }, token);
    const conflict = await api.post(path, { text: 'Hello?', client_id: 'retry-1' }, token);

    expect(first.status).toBe(201);
    expect(first.body.message).toMatchObject({ client_id: 'retry-1', status: 'complete', metadata: { model: 'm' }, edited_at: null });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'client_id_conflict' });
  });

  it('when an answer is streamed, appended to and completed, every step answers the message so far, and a second complete is 409', async () => {
    const created = await api.post(path, { text: '', sender: 'assistant', status: 'streaming' }, token);
    const id = created.body.message.id as number;
    await api.post(`${path}/${id}/append`, { text: 'Hello' }, token);
    const appended = await api.post(`${path}/${id}/append`, { text: ', world' }, token);
    const completed = await api.post(`${path}/${id}/complete`, { metadata: { tokens: 2 } }, token);
    const again = await api.post(`${path}/${id}/append`, { text: '!' }, token);

    expect(created.status).toBe(201);
    expect(created.body.message).toMatchObject({ text: '', status: 'streaming' });
    expect(appended.status).toBe(200);
    expect(appended.body.message).toMatchObject({ id, text: 'Hello, world', status: 'streaming' });
    expect(completed.status).toBe(200);
    expect(completed.body.message).toMatchObject({ id, text: 'Hello, world', status: 'complete', metadata: { tokens: 2 } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'not_streaming' });
  });

  it('when an answer is regenerated, each thread is its own path; a parent of another user is 400 and says nothing of it', async () => {
    const question = (await api.post(path, { text: 'question' }, token)).body.message;
    const first = (await api.post(path, { text: 'answer 1', sender: 'assistant' }, token)).body.message;
    const second = (await api.post(path, { text: 'answer 2', sender: 'assistant', parent_id: question.id }, token)).body.message;
    const otherSession = await api.post('/chat/sessions', { title: 'theirs' }, otherToken);
    const theirs = (await api.post(`/chat/sessions/${otherSession.body.session.id}/messages`, { text: 'secret' }, otherToken)).body.message;

    const firstThread = await api.get(`${path}/${first.id}/thread`, token);
    const secondThread = await api.get(`${path}/${second.id}/thread?limit=2`, token);
    const refused = await api.post(path, { text: 'sneaky', parent_id: theirs.id }, token);
    const unknown = await api.post(path, { text: 'sneaky', parent_id: theirs.id + 1000 }, token);

    expect(first.parent_id).toBe(question.id);
    expect(firstThread.status).toBe(200);
    expect(firstThread.body.messages.slice(-2).map((m: { id: number }) => m.id)).toEqual([question.id, first.id]);
    expect(secondThread.body).toMatchObject({ has_more: true });
    expect(secondThread.body.messages.map((m: { id: number }) => m.id)).toEqual([question.id, second.id]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(unknown.body);
    expect(refused.body.details).toEqual(['parent_id: must be a live message of this session']);
  });

  it('when a message is edited three times, its revisions are the three earlier texts, oldest first, and edited_at is set', async () => {
    const message = (await api.post(path, { text: 'v1' }, token)).body.message;
    let edited = message;
    for (const text of ['v2', 'v3', 'v4']) edited = (await api.put(`${path}/${message.id}`, { text }, token)).body.message;

    const revisions = await api.get(`${path}/${message.id}/revisions`, token);
    const strangers = await api.get(`${path}/${message.id}/revisions`, otherToken);

    expect(revisions.status).toBe(200);
    expect(revisions.body.revisions.map((r: { text: string }) => r.text)).toEqual(['v1', 'v2', 'v3']);
    expect(edited.edited_at).toBe(revisions.body.revisions[2].created_at);
    expect(strangers.status).toBe(404);
  });

  it('when metadata is 16 KiB it is stored exactly; one byte more, or not an object, is 400', async () => {
    const padding = 'x'.repeat(16 * 1024 - JSON.stringify({ padding: '' }).length);
    const accepted = await api.post(path, { text: 'big', metadata: { padding } }, token);
    const tooBig = await api.post(path, { text: 'big', metadata: { padding: `${padding}x` } }, token);
    const notObjects = await Promise.all([[1], 'text', 3, true].map((metadata) => api.post(path, { text: 'bad', metadata }, token)));

    expect(accepted.status).toBe(201);
    expect(accepted.body.message.metadata).toEqual({ padding });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.details).toEqual(['metadata: must be at most 16384 bytes as JSON']);
    for (const answer of notObjects) expect(answer.status).toBe(400);
  });
});
