import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi, registerAndLogin, type Api } from '../support/api-client.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { openEventStream, type TestEventStream } from '../support/test-socket.js';

/** A timeout of one second: the server sweeps every quarter of it. */
const STREAM_IDLE_TIMEOUT = '1s';

describeOverDatabases('the streaming idle timeout over HTTP', (database) => {
  let server: TestServer;
  let api: Api;
  let events: TestEventStream | undefined;

  beforeAll(async () => {
    server = await startTestServer({ database, env: { STREAM_IDLE_TIMEOUT } });
    api = createApi(server.baseUrl);
  });
  afterAll(async () => {
    events?.close();
    await server?.close();
  });

  it("when a streamed answer gets no append for STREAM_IDLE_TIMEOUT, it becomes incomplete with its text, the owner's /events says so, and appending is 409 not_streaming", async () => {
    const { accessToken: token } = await registerAndLogin(api);
    events = await openEventStream(`${server.baseUrl}/events`, token);
    const session = await api.post('/chat/sessions', { title: 'assistant' }, token);
    const path = `/chat/sessions/${session.body.session.id}/messages`;
    const created = await api.post(path, { text: '', sender: 'assistant', status: 'streaming' }, token);
    const id = created.body.message.id as number;
    const appended = await api.post(`${path}/${id}/append`, { text: 'Half an answer' }, token);
    expect(appended.status).toBe(200);

    const received = await events.events.until(
      (items) => items.some((item) => item.event === 'message.updated'),
      10_000,
      'the message.updated of the idle stream',
    );

    const updated = received.find((item) => item.event === 'message.updated');
    expect(updated?.data).toMatchObject({
      type: 'message.updated',
      session_id: session.body.session.id,
      message: { id, text: 'Half an answer', status: 'incomplete' },
    });
    const listed = await api.get(path, token);
    expect(listed.body.messages).toEqual([expect.objectContaining({ id, text: 'Half an answer', status: 'incomplete' })]);
    const refused = await api.post(`${path}/${id}/append`, { text: ' and more' }, token);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'not_streaming' });
    // One event for the one message marked: later sweeps find nothing more to do.
    const settled = await events.events.settle(600);
    expect(settled.filter((item) => item.event === 'message.updated')).toHaveLength(1);
  });
}, { withMySql: true });
