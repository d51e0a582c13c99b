/**
 * The README's assistant worker, run as the README says (`node worker.mjs` with `API`, `TOKEN` and
 * `SESSION` set) against the built server, while an event stream watches as `curl -N $API/events`
 * would: the answer arrives delta by delta while the worker is still writing it, and ends with the
 * completed message. The block is read from the README itself, so the example cannot drift.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin } from '../support/api-client.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, killAll, ROOT, startServer, within } from '../support/server-process.js';
import { openEventStream } from '../support/test-socket.js';

const MARKER = '<!-- assistant-worker:';

/** The first ```js block after the marker comment. */
const workerFromReadme = (): string => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(MARKER);
  if (start < 0) throw new Error(`the README has no ${MARKER} block`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block?.[1]) throw new Error('no ```js block follows the marker');
  return block[1];
};

const runWorker = (code: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; at: number; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, at: Date.now(), stdout, stderr })),
  );
  return { exited };
};

describe("the README's assistant worker", () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  afterEach(killAll);
  afterAll(cleanUp);

  it('streams an answer that an event stream on /events shows arriving delta by delta, then completed', async () => {
    const server = await startServer(baseEnv());
    const token = (await registerAndLogin(server.api)).accessToken;
    const session = await server.api.post('/chat/sessions', { title: 'Watched' }, token);
    const sessionId = session.body.session.id as number;
    const watching = await openEventStream(`${server.baseUrl}/events`, token);
    await watching.events.atLeast(1);

    const running = runWorker(workerFromReadme(), { API: server.baseUrl, TOKEN: token, SESSION: String(sessionId) });
    await watching.events.until((items) => items.some((event) => event.event === 'message.delta'), 10_000, 'the first delta');
    const firstDeltaAt = Date.now();
    const worker = await within(running.exited, 30_000, 'the worker');
    expect(worker.stderr).toBe('');
    expect(worker.code).toBe(0);
    const events = await watching.events.until((items) => items.some((event) => event.event === 'message.updated'), 5_000, 'message.updated');
    watching.close();

    const answer = events.filter((event) => event.event !== 'ready' && event.event !== 'session.created');
    const deltas = answer.filter((event) => event.event === 'message.delta');
    expect(answer.map((event) => event.event)).toEqual(['message.created', ...Array<string>(deltas.length).fill('message.delta'), 'message.updated']);
    expect(deltas.length).toBeGreaterThan(5);
    const text = deltas.map((event) => event.data.text as string).join('');
    expect(worker.stdout.trim()).toBe(text);
    expect(answer.at(-1)?.data.message).toMatchObject({ text, status: 'complete', sender: 'assistant', metadata: { model: 'demo' } });
    // Arriving as it is written: the first delta came well before the worker finished.
    expect(worker.at - firstDeltaAt).toBeGreaterThan(1_000);
  }, 60_000);
});
