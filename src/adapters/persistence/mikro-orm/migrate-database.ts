import { createHash } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { UnavailableError } from '../../../domain/domain-error.js';
import type { DatabaseOptions } from '../../../configuration/database-options.js';
import { migrate } from './migrate.js';
import { mikroOrmOptions } from './mikro-orm-options.js';
import { translateDriverError } from './translate-driver-error.js';
import { withMySqlServer } from './with-mysql-server.js';

/** How long an instance waits for another one's migrations before it gives up. */
const MIGRATION_LOCK_WAIT_SECONDS = 120;

const migrateOnce = async (database: DatabaseOptions): Promise<string[]> => {
  const orm = await MikroORM.init(mikroOrmOptions(database));
  try {
    return await migrate(orm);
  } catch (error) {
    throw translateDriverError(error);
  } finally {
    await orm.close(true);
  }
};

/**
 * Opens the database just long enough to apply its pending migrations; answers their names. On
 * MySQL the migrations run under a named lock of the server: instances started together on a
 * fresh database would otherwise both create the tables, and one would die of "already exists".
 */
export const migrateDatabase = async (database: DatabaseOptions): Promise<string[]> => {
  if (database.kind !== 'mysql') return migrateOnce(database);
  // Lock names are at most 64 characters; a database name alone may be 64.
  const lock = `chat-migrate:${createHash('sha1').update(database.database).digest('hex')}`;
  return withMySqlServer(database, async (server) => {
    const [row] = await server.execute('SELECT GET_LOCK(?, ?) AS locked', [lock, MIGRATION_LOCK_WAIT_SECONDS]);
    if (Number(row?.['locked']) !== 1) {
      throw new UnavailableError(`another instance has been migrating the database for over ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    }
    try {
      return await migrateOnce(database);
    } finally {
      await server.execute('SELECT RELEASE_LOCK(?)', [lock]);
    }
  });
};
