import { randomBytes } from 'node:crypto';
import { createMySqlDatabase } from '../src/adapters/persistence/mikro-orm/create-mysql-database.js';
import { withMySqlServer } from '../src/adapters/persistence/mikro-orm/with-mysql-server.js';
import { parseDatabaseConfig } from '../src/config.js';
import { type Env, mySqlEnv } from '../tests/support/server-process.js';

export interface SoakDatabase {
  /** The server's variables for it (none for SQLite: the default temporary file is used). */
  readonly env: Env;
  readonly label: string;
  drop(): Promise<void>;
}

/** SQLite in the server's temporary directory, or a database of its own on the MySQL server at `mysqlUrl`. */
export const openSoakDatabase = async (mysqlUrl: string | null): Promise<SoakDatabase> => {
  if (mysqlUrl === null) return { env: {}, label: 'sqlite', drop: async () => {} };
  const server = parseDatabaseConfig({ DATABASE_URL: mysqlUrl });
  if (server.kind !== 'mysql') throw new Error('the soak needs a mysql:// URL');
  const options = { ...server, database: `chat_soak_${randomBytes(6).toString('hex')}` };
  await createMySqlDatabase(options);
  return {
    env: mySqlEnv(options),
    label: `mysql (${options.host}:${options.port}/${options.database})`,
    drop: () =>
      withMySqlServer(options, async (session) => {
        await session.execute(`DROP DATABASE IF EXISTS ${session.quoteIdentifier(options.database)}`);
      }),
  };
};
