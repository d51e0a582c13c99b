/**
 * A database made before the refresh grace window (only the initial migration applied, a user
 * signed in) is brought up to date when the server opens it: the migration adds the window's
 * columns, the login in it comes through with no window open, and its refresh token keeps working,
 * inside the window as well. For both drivers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mikroOrmOptions } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-options.js';
import { type MikroOrmPersistence, openMikroOrmPersistence } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { mysqlMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/mysql-migrations.js';
import { sqliteMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/sqlite-migrations.js';
import { JwtTokenIssuer } from '../../../../src/adapters/security/jwt.token-issuer.js';
import { CryptoIdGenerator } from '../../../../src/adapters/system/crypto.id-generator.js';
import { SystemClock } from '../../../../src/adapters/system/system.clock.js';
import type { UseCases } from '../../../../src/application/use-cases.js';
import type { DatabaseOptions } from '../../../../src/configuration/database-options.js';
import { parseConfig } from '../../../../src/config.js';
import { createContainer, UseCasesToken } from '../../../../src/container.js';
import { createMySqlTestDatabase, describeWithMySql } from '../../../support/mysql-test-database.js';

const config = parseConfig({ NODE_ENV: 'test', JWT_SECRET_KEY: randomBytes(48).toString('base64url'), BCRYPT_ROUNDS: '4' });
/** Tokens as this release signs them, with the secret the composition below checks them with. */
const signer = new JwtTokenIssuer({ ...config.jwt, clock: new SystemClock(), idGenerator: new CryptoIdGenerator() });
/** The server's composition over `persistence`. */
const useCasesOver = (persistence: MikroOrmPersistence): UseCases => createContainer(config, persistence).get(UseCasesToken);

const describeExistingDatabase = (name: 'sqlite' | 'mysql', open: () => Promise<{ options: DatabaseOptions; remove(): Promise<void> }>) => {
  describe(`a database from before the refresh grace window (${name})`, () => {
    const [initial, ...later] = (name === 'mysql' ? mysqlMigrations : sqliteMigrations).map((migration) => migration.name);
    let database: { options: DatabaseOptions; remove(): Promise<void> };
    let persistence: MikroOrmPersistence | undefined;
    const userId = randomUUID();
    const loginId = randomUUID();
    let refreshToken: string;

    beforeAll(async () => {
      database = await open();
      // The database as the previous release left it: the initial schema, one signed-in user.
      const orm = await MikroORM.init(mikroOrmOptions(database.options));
      try {
        await orm.getMigrator<Migrator>().up({ to: initial });
        // The login row stores only the refresh token's digest.
        refreshToken = signer.issue('refresh', { userId, loginId }).token;
        const connection = orm.em.getConnection();
        const date = (value: Date) => orm.em.getPlatform().processDateProperty(value);
        const now = new Date();
        await connection.execute(
          'INSERT INTO users (id, username, email, password_hash, created_at, updated_at, is_active, is_verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [userId, 'before_grace', 'before.grace@example.com', '$2b$04$notarealhashnotarealhashnotarealhashnotarealhas', date(now), date(now), 1, 0],
        );
        await connection.execute(
          'INSERT INTO logins (id, user_id, refresh_token_hash, created_at, last_used_at, expires_at, revoked_at, user_agent, address) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)',
          [loginId, userId, signer.digest(refreshToken), date(now), date(now), date(new Date(now.getTime() + 86_400_000))],
        );
      } finally {
        await orm.close(true);
      }
    });

    afterAll(async () => {
      await persistence?.close();
      await database?.remove();
    });

    it('when the server opens it, the grace window migration runs, and the login comes through with no window open', async () => {
      persistence = await openMikroOrmPersistence(database.options, { migrate: true });

      expect(persistence.appliedMigrations).toEqual(later);
      expect(later).toContainEqual(expect.stringMatching(/_refresh_grace_pair$/));
      expect(await persistence.logins.findById(loginId)).toMatchObject({
        userId,
        revokedAt: null,
        previousRefreshTokenHash: null,
        sealedPair: null,
        sealedPairExpiresAt: null,
      });
    });

    it("when the login's refresh token is presented, it rotates, and presented again at once it gets the same pair", async () => {
      if (!persistence) throw new Error('the previous test opens the database');
      const useCases = useCasesOver(persistence);

      const pair = await useCases.refreshLogin.execute({ refreshToken });
      const again = await useCases.refreshLogin.execute({ refreshToken });

      expect(again.refreshToken).toBe(pair.refreshToken);
      expect(again.accessToken).toBe(pair.accessToken);
      expect((await useCases.authenticate.execute({ accessToken: pair.accessToken })).loginId).toBe(loginId);
      expect((await persistence.logins.findById(loginId))?.sealedPair).toMatch(/^v1\./);
    });
  });
};

describeExistingDatabase('sqlite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'chat-existing-'));
  return {
    options: { kind: 'sqlite', path: join(directory, 'chat.sqlite') },
    remove: async () => rmSync(directory, { recursive: true, force: true }),
  };
});

describeWithMySql('MySQL: an existing database', () => {
  describeExistingDatabase('mysql', async () => {
    const database = await createMySqlTestDatabase();
    return { options: database.options, remove: () => database.drop() };
  });
});
