import type { DatabaseOptions } from '../../src/configuration/database-options.js';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';

export type MikroOrmFixture = MikroOrmPersistence & { reset(): Promise<void> };

/** Children first, so the deletes never wait on a foreign key. */
const TABLES = ['message_revisions', 'messages', 'chat_sessions', 'logins', 'users'];

/** A migrated database behind the MikroORM repositories, with a way to empty it between tests. */
export const openMikroOrmFixture = async (options: DatabaseOptions): Promise<MikroOrmFixture> => {
  const persistence = await openMikroOrmPersistence(options, { migrate: true });
  return {
    ...persistence,
    reset: async () => {
      const connection = persistence.orm.em.getConnection();
      for (const table of TABLES) await connection.execute(`DELETE FROM ${table}`);
    },
  };
};
