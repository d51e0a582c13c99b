import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../support/api-client.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

// Behind one proxy of ours (TRUST_PROXY=true), the client is the address that proxy appended last
// to X-Forwarded-For. Addresses to its left are whatever the client wrote.
describe('the client address behind a trusted proxy (memory)', () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startTestServer({
      database: 'memory',
      env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ADDRESS: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' },
    });
    api = createApi(server.baseUrl);
  });

  afterAll(async () => {
    await server.close();
  });

  const failedLogin = (forwardedFor: string, account: string) =>
    api.request('POST', '/auth/login', {
      body: { username: account, password: 'Wrong-password-1' },
      headers: { 'X-Forwarded-For': forwardedFor },
    });

  it('when a client rotates forged addresses in front of the real one, its failures count against the real one alone', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await failedLogin(`10.9.${attempt}.1, 203.0.113.7`, `nobody_${attempt}`)).status);
    }
    // Another real address behind the same proxy (same socket peer) still has its own allowance,
    // so the address really is read from the proxy's hop, not from the connection.
    statuses.push((await failedLogin('10.9.9.9, 198.51.100.20', 'someone_else')).status);
    statuses.push((await failedLogin('10.9.3.1, 203.0.113.7', 'nobody_3')).status);

    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});
