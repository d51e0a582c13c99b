/**
 * Operations: liveness says the process runs, readiness says the database answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Api, createApi } from '../support/api-client.js';
import { expectJson } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describeOverDatabases(
  'operations',
  (database) => {
    let server: TestServer;
    let api: Api;

    beforeAll(async () => {
      server = await startTestServer({ database });
      api = createApi(server.baseUrl);
    });
    afterAll(() => server?.close());

    it('GET /health answers 200 {status: "ok"} without a token', async () => {
      expectJson(await api.get('/health'), 200, { status: 'ok' });
    });

    it('GET /ready answers 200 while the database answers', async () => {
      expectJson(await api.get('/ready'), 200, { status: 'ready', database: 'up' });
    });

    it('HEAD /health answers 200 with no body', async () => {
      const response = await api.request('HEAD', '/health');

      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    });

    if (database !== 'memory') {
      it('GET /ready answers 503 once the database is gone, while /health still answers 200', async () => {
        await server.persistence.close();

        expectJson(await api.get('/ready'), 503, { error: 'Database unavailable', code: 'unavailable' });
        expectJson(await api.get('/health'), 200, { status: 'ok' });
      });
    }
  },
  { withMySql: true },
);
