/**
 * In-process callers hear the same streams as the server's sockets: the in-memory harness and
 * the library entry (`createChatBackend`) both offer `realtime.subscribe(userId, listener, { since })`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChatBackend, parseConfig, type StreamFrame } from '../../src/index.js';
import { createInMemoryChatBackend } from '../../src/testing.js';
import { Collector } from '../support/frame-collector.js';

const PASSWORD = 'Chat-Passw0rd';

describe('subscribing through the in-memory harness (memory)', () => {
  it('when the harness sends a message, a subscriber of that user hears it, and one that resumes from an earlier position hears what it missed', async () => {
    const backend = createInMemoryChatBackend();
    const { user } = await backend.registerUser.execute({ username: 'ada', email: 'ada@example.com', password: PASSWORD });
    const live = new Collector<StreamFrame>();
    await backend.realtime.subscribe(user.id, live.push);
    const [ready] = live.items;

    const session = await backend.createSession.execute({ userId: user.id, title: 'Notes' });
    await backend.sendMessage.execute({ userId: user.id, sessionId: session.id, text: 'First' });
    await backend.sendMessage.execute({ userId: user.id, sessionId: session.id, text: 'Second' });
    expect(live.items.map((frame) => frame.type)).toEqual(['ready', 'session.created', 'message.created', 'message.created']);

    const resumed = new Collector<StreamFrame>();
    await backend.realtime.subscribe(user.id, resumed.push, { since: { epoch: ready?.type === 'ready' ? ready.epoch : '', offset: 1 } });
    expect(resumed.items).toEqual([
      expect.objectContaining({ type: 'message.created', offset: 2, message: expect.objectContaining({ text: 'First' }) }),
      expect.objectContaining({ type: 'message.created', offset: 3, message: expect.objectContaining({ text: 'Second' }) }),
      expect.objectContaining({ type: 'ready', offset: 3, recovered: true }),
    ]);
  });

});

describe('subscribing through the library entry (sqlite)', () => {
  it('when a library caller on SQLite sends a message, its own subscriber hears it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'chat-library-'));
    const backend = await createChatBackend(
      parseConfig({ NODE_ENV: 'test', JWT_SECRET_KEY: randomBytes(32).toString('hex'), BCRYPT_ROUNDS: '4', SQLITE_PATH: join(directory, 'chat.sqlite') }),
    );
    try {
      const { user } = await backend.registerUser.execute({ username: 'grace', email: 'grace@example.com', password: PASSWORD });
      const frames = new Collector<StreamFrame>();
      const subscription = await backend.realtime.subscribe(user.id, frames.push);
      const session = await backend.createSession.execute({ userId: user.id });
      await backend.sendMessage.execute({ userId: user.id, sessionId: session.id, text: 'Hello from the library' });
      expect(frames.items.map((frame) => frame.type)).toEqual(['ready', 'session.created', 'message.created']);
      subscription.close();
      await backend.sendMessage.execute({ userId: user.id, sessionId: session.id, text: 'Unheard' });
      expect(frames.items).toHaveLength(3);
    } finally {
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
