/**
 * The web client's files as the server serves them (issue 12): its page at `/` and its files under
 * `/web/` with their own CSP (scripts and styles from this origin only, nothing inline), nothing
 * outside the list of its files, and no client at all with `WEB_CLIENT=false`. The API keeps its
 * own policy (security-headers.test.ts); these are not API routes, and the document leaves them out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CLIENT_CSP } from '../../src/adapters/http/web-client/web-client.router.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

describe('the web client served at /', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ database: 'memory' });
  });
  afterAll(() => server?.close());

  it('serves its page with a policy that allows only its own scripts, styles and connections', async () => {
    const response = await fetch(`${server.baseUrl}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(WEB_CLIENT_CSP);
    expect(WEB_CLIENT_CSP).toContain("script-src 'self'");
    expect(WEB_CLIENT_CSP).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await response.text();
    expect(page).toContain('<script type="module" src="/web/main.js"></script>');
    // Nothing inline for the policy to refuse: every script has a src, no style blocks or attributes.
    expect(page.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('loads everything the page names from its own origin, each served with the same policy', async () => {
    const page = await (await fetch(`${server.baseUrl}/`)).text();
    const references = [...page.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);

    expect(references.length).toBeGreaterThanOrEqual(3);
    expect(references.filter((reference) => !reference.startsWith('/web/'))).toEqual([]);
    // The stylesheet and icon are package files; the scripts are compiled (checked in tests/browser).
    for (const reference of references.filter((reference) => !reference.endsWith('.js'))) {
      const response = await fetch(`${server.baseUrl}${reference}`);
      expect(response.status, reference).toBe(200);
      expect(response.headers.get('content-security-policy'), reference).toBe(WEB_CLIENT_CSP);
    }
    expect((await fetch(`${server.baseUrl}/web/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers any other path under /web/ as an unknown route, in the API shape and policy', async () => {
    for (const path of ['/web/nope.js', '/web/index.html', '/web/../package.json', '/web/%2e%2e/package.json', '/web/', '/index.html', '/Web/app.css']) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-security-policy'), path).toBe(API_CSP);
      expect(await response.json(), path).toMatchObject({ code: 'route_not_found' });
    }
  });
});

describe('the web client turned off (WEB_CLIENT=false)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ database: 'memory', env: { WEB_CLIENT: 'false' } });
  });
  afterAll(() => server?.close());

  it('serves nothing at / or under /web/: both are unknown routes', async () => {
    for (const path of ['/', '/web/app.css']) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ code: 'route_not_found' });
    }
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });
});
