/**
 * One built server (`node dist/src/main.js`, as `npm start` runs it, on its own SQLite file) and
 * one Chromium for a browser test file; each test opens the devices it needs, closed after it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Api, registerAndLogin, type RegisteredUser } from './api-client.js';
import { launchChromium, openDevice, type Device } from './browser.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, type Env, ensureBuilt, type RunningServer, startServer } from './server-process.js';

export interface WebClientRun {
  readonly server: RunningServer;
  readonly api: Api;
  /** A new window of its own; a phone-sized one with `{ width: 390, height: 760 }`. */
  device(viewport?: { width: number; height: number }): Promise<Device>;
  /** An account made through the API, for the test to sign in with. */
  user(): Promise<RegisteredUser>;
}

export const useWebClientRun = (env: Env = {}): WebClientRun => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const open: Device[] = [];

  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  beforeAll(async () => {
    // Every test registers from the one loopback address.
    server = await startServer(baseEnv({ REGISTRATIONS_PER_ADDRESS: '1000000', ...env }));
    browser = await launchChromium();
  }, 60_000);
  afterEach(async () => {
    for (const device of open.splice(0)) await device.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await cleanUp();
  });

  const running = (): RunningServer => {
    if (!server) throw new Error('the server is not started yet');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get api() {
      return running().api;
    },
    device: async (viewport) => {
      if (!browser) throw new Error('Chromium is not started yet');
      const device = await openDevice(browser, running().baseUrl, viewport);
      open.push(device);
      return device;
    },
    user: () => registerAndLogin(running().api),
  };
};
