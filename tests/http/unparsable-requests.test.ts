import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

/** Sends raw bytes and reads everything the server answers until it closes the connection. */
const sendRaw = (baseUrl: string, request: string): Promise<string> => {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
};

const parse = (answer: string) => {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as unknown };
};

// Node refuses these before the app sees them; the answer must still be the API's JSON error.
describe('requests node:http cannot parse (memory)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ database: 'memory' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('when the request line is broken, the answer is a JSON 400', async () => {
    const answer = parse(await sendRaw(server.baseUrl, 'GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n'));

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ error: 'Malformed HTTP request', code: 'bad_request' });
  });

  it('when the request line and headers exceed what node reads, the answer is a JSON 431', async () => {
    const answer = parse(await sendRaw(server.baseUrl, `GET /chat/sessions?page=${'9'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));

    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ error: 'Request headers too large', code: 'headers_too_large' });
  });
});
