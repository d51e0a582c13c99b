/**
 * `MESSAGE_MAX_CHARS` over HTTP, on every database: a server configured for longer messages takes
 * them whole (on MySQL, longer than a `text` column holds), refuses one character more with the
 * limit named, and says the same limit in the document it serves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi, registerAndLogin, type Api } from '../support/api-client.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const LIMIT = 20_000;
/** Four bytes in UTF-8: 20,000 of them are 80,000 bytes, past the 65,535 of a MySQL `text`. */
const EMOJI = '\u{1F916}';

describeOverDatabases(`messages of up to MESSAGE_MAX_CHARS=${LIMIT} over HTTP`, (database) => {
  let server: TestServer;
  let api: Api;
  let token: string;
  let path: string;

  beforeAll(async () => {
    server = await startTestServer({ database, env: { MESSAGE_MAX_CHARS: String(LIMIT) } });
    api = createApi(server.baseUrl);
    token = (await registerAndLogin(api)).accessToken;
    const session = await api.post('/chat/sessions', { title: 'long answers' }, token);
    path = `/chat/sessions/${session.body.session.id}/messages`;
  });
  afterAll(() => server?.close());

  it(`when a message of ${LIMIT} four-byte characters is sent, it is stored and read back exactly; one more is 400 naming the limit`, async () => {
    const longest = EMOJI.repeat(LIMIT);

    const sent = await api.post(path, { text: longest, sender: 'assistant' }, token);
    expect(sent.status).toBe(201);
    const read = await api.get(`${path}?before_id=`, token);
    expect(read.body.messages.at(-1)).toMatchObject({ id: sent.body.message.id, text: longest });

    const over = await api.post(path, { text: `${longest}!` }, token);
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ error: 'Validation failed', code: 'validation_failed', details: [`text: must be 1-${LIMIT} characters`] });
  });

  it('when an edit keeps the text it replaces, a revision that long is kept exactly too', async () => {
    const longest = EMOJI.repeat(LIMIT);
    const sent = await api.post(path, { text: longest }, token);
    expect((await api.put(`${path}/${sent.body.message.id}`, { text: 'shorter' }, token)).status).toBe(200);

    const revisions = await api.get(`${path}/${sent.body.message.id}/revisions`, token);
    expect(revisions.body.revisions.map((revision: { text: string }) => revision.text)).toEqual([longest]);
  });

  it('when the document is read, every body that carries text states this limit', async () => {
    const document = await api.get('/openapi.json');
    const schemas = document.body.components.schemas;

    expect(schemas.SendMessageRequest.properties.text).toMatchObject({ maxLength: LIMIT });
    expect(schemas.EditMessageRequest.properties.text).toMatchObject({ maxLength: LIMIT });
    expect(schemas.AppendToMessageRequest.properties.text).toMatchObject({ maxLength: LIMIT });
  });
}, { withMySql: true });
