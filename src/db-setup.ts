/**
 * `npm run db:setup`, the seed's setup_env.py and setup_database.py in one: writes a `.env` with
 * fresh secrets unless one exists (never overwriting it), creates the MySQL database unless it
 * exists, and migrates it. With no MySQL configured it prepares the embedded SQLite file instead.
 */
import { resolve } from 'node:path';
import { createMySqlDatabase } from './adapters/persistence/mikro-orm/create-mysql-database.js';
import { migrateDatabase } from './adapters/persistence/mikro-orm/migrate-database.js';
import { ensureEnvFile, loadDatabaseConfig } from './config.js';

const reason = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
};

try {
  const envFile = resolve('.env');
  console.log(ensureEnvFile(envFile) ? `wrote ${envFile} with new secrets` : `kept the existing ${envFile}`);

  const database = loadDatabaseConfig();
  let where: string;
  if (database.kind === 'mysql') {
    where = `MySQL database ${database.database} at ${database.host}:${database.port}`;
    const created = await createMySqlDatabase(database).catch((error: unknown) => {
      throw new Error(`cannot create the ${where}: ${reason(error)}`, { cause: error });
    });
    console.log(created ? `created the ${where}` : `the ${where} exists`);
  } else {
    where = `SQLite database ${resolve(database.path)}`;
  }

  const applied = await migrateDatabase(database).catch((error: unknown) => {
    throw new Error(`cannot migrate the ${where}: ${reason(error)}`, { cause: error });
  });
  console.log(applied.length === 0 ? `${where} is up to date` : `${where}: applied ${applied.join(', ')}`);
} catch (error) {
  process.stderr.write(`db:setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
