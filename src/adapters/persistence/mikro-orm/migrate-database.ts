import { MikroORM } from '@mikro-orm/core';
import type { DatabaseOptions } from './database-options.js';
import { migrate } from './migrate.js';
import { mikroOrmOptions } from './mikro-orm-options.js';
import { translateDriverError } from './translate-driver-error.js';

/** Opens the database just long enough to apply its pending migrations; answers their names. */
export const migrateDatabase = async (database: DatabaseOptions): Promise<string[]> => {
  const orm = await MikroORM.init(mikroOrmOptions(database));
  try {
    return await migrate(orm);
  } catch (error) {
    throw translateDriverError(error);
  } finally {
    await orm.close(true);
  }
};
