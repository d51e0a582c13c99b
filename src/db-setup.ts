/**
 * `npm run db:setup`, the seed's setup_env.py and setup_database.py in one: writes a `.env` with
 * fresh secrets unless one exists (never overwriting it), creates the MySQL database unless it
 * exists, and migrates it. With no MySQL configured it prepares the embedded SQLite file instead.
 */
import { resolve } from 'node:path';
import { describeDatabase, describeDatabaseFailure } from './adapters/persistence/mikro-orm/describe-database.js';
import { createMySqlDatabase } from './adapters/persistence/mikro-orm/create-mysql-database.js';
import { migrateDatabase } from './adapters/persistence/mikro-orm/migrate-database.js';
import { ensureEnvFile, loadDatabaseConfig } from './config.js';

try {
  const envFile = resolve('.env');
  console.log(ensureEnvFile(envFile) ? `wrote ${envFile} with new secrets` : `kept the existing ${envFile}`);

  const database = loadDatabaseConfig();
  const where = describeDatabase(database);
  if (database.kind === 'mysql') {
    const created = await createMySqlDatabase(database).catch((error: unknown) => {
      throw new Error(`cannot create the ${where}: ${describeDatabaseFailure(error)}`, { cause: error });
    });
    console.log(created ? `created the ${where}` : `the ${where} exists`);
  }

  const applied = await migrateDatabase(database).catch((error: unknown) => {
    throw new Error(`cannot migrate the ${where}: ${describeDatabaseFailure(error)}`, { cause: error });
  });
  console.log(applied.length === 0 ? `${where} is up to date` : `${where}: applied ${applied.join(', ')}`);
} catch (error) {
  process.stderr.write(`db:setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
