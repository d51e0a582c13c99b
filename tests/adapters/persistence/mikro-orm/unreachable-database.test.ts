import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL } from '../../../../src/configuration/database-options.js';
import { openMikroOrmPersistence } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';

describe('an unreachable MySQL server', () => {
  it('when the connection is refused, opening fails with UnavailableError within seconds, naming the cause', async () => {
    const started = Date.now();

    const error: unknown = await openMikroOrmPersistence(
      // Nothing listens on port 1: the kernel refuses at once, no server needed for this test.
      { kind: 'mysql', host: '127.0.0.1', port: 1, user: 'root', password: '', database: 'chat_app', pool: { ...DEFAULT_POOL } },
      { migrate: true },
    ).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'unavailable' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('when the server accepts but never answers, opening fails with UnavailableError after the connect timeout, not later', async () => {
    // A listener that takes the TCP connection and then says nothing, as a hung server would.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = Date.now();

    try {
      const error: unknown = await openMikroOrmPersistence(
        {
          kind: 'mysql',
          host: '127.0.0.1',
          port,
          user: 'root',
          password: '',
          database: 'chat_app',
          pool: { ...DEFAULT_POOL, connectTimeoutMs: 1_000, acquireTimeoutMs: 3_000 },
        },
        { migrate: false },
      ).then(
        () => undefined,
        (reason: unknown) => reason,
      );

      expect(error).toBeInstanceOf(UnavailableError);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
