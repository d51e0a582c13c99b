/**
 * `npm run db:migrate`: applies pending migrations to the database the environment (and `.env`)
 * names, the same one the server opens.
 */
import { resolve } from 'node:path';
import { migrateDatabase } from './adapters/persistence/mikro-orm/migrate-database.js';
import { loadDatabaseConfig } from './config.js';

const reason = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
};

try {
  const database = loadDatabaseConfig();
  const where =
    database.kind === 'mysql'
      ? `MySQL database ${database.database} at ${database.host}:${database.port}`
      : `SQLite database ${resolve(database.path)}`;
  const applied = await migrateDatabase(database).catch((error: unknown) => {
    throw new Error(`cannot migrate the ${where}: ${reason(error)}`, { cause: error });
  });
  console.log(applied.length === 0 ? `${where} is up to date` : `${where}: applied ${applied.join(', ')}`);
} catch (error) {
  process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
