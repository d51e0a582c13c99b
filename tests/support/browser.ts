/**
 * Chromium for the browser suites, driven by playwright-core: the machine's own Debian package,
 * never a browser playwright downloads. A suite runs when it is there, is skipped with a notice
 * when it is not, and fails under `REQUIRE_BROWSER=1` (as CI sets), like the MySQL and Redis suites.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's package; CHROMIUM_PATH points elsewhere (a missing path shows what a machine without it does). */
export const CHROMIUM = process.env['CHROMIUM_PATH']?.trim() || '/usr/bin/chromium';
/** Headless, and quiet: without the background-networking flags Chromium calls Google's hosts at start. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots land here (gitignored); docs/screenshots/ holds the committed copy. */
export const OUTPUT = fileURLToPath(new URL('../browser/output/', import.meta.url));

export const describeWithBrowser = (title: string, body: () => void): void => {
  if (existsSync(CHROMIUM)) {
    describe(title, body);
    return;
  }
  if (process.env['REQUIRE_BROWSER'] === '1') {
    describe(title, () => {
      it('needs Chromium, because REQUIRE_BROWSER=1 says it must not be skipped', () => {
        throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install -y chromium)`);
      });
    });
    return;
  }
  console.warn(`[browser] SKIPPED "${title}": install Chromium (apt-get install -y chromium) to run it`);
  describe.skip(`${title} (skipped: ${CHROMIUM} missing)`, body);
};

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });

/** A window of its own (cookies, storage, network): one device. Page errors fail the test that reads them. */
export interface Device {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and console errors of the page so far (a refused CSP rule is one). */
  readonly errors: string[];
  /** Every request the page made to another origin than the server's: none, since nothing comes from a CDN. */
  readonly foreignRequests: string[];
}

export const openDevice = async (browser: Browser, baseUrl: string, viewport = { width: 1100, height: 720 }): Promise<Device> => {
  const context = await browser.newContext({ viewport, baseURL: baseUrl, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== new URL(baseUrl).origin) foreignRequests.push(request.url());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  // Deletions ask first; a test that clicks Delete means it.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/');
  return { context, page, errors, foreignRequests };
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, `${name}.png`) });
};
