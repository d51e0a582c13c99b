/**
 * `npm run db:migrate`: applies pending migrations to the database the environment (and `.env`)
 * names, the same one the server opens.
 */
import { describeDatabase, describeDatabaseFailure } from './adapters/persistence/mikro-orm/describe-database.js';
import { migrateDatabase } from './adapters/persistence/mikro-orm/migrate-database.js';
import { loadDatabaseConfig } from './config.js';

try {
  const database = loadDatabaseConfig();
  const where = describeDatabase(database);
  const applied = await migrateDatabase(database).catch((error: unknown) => {
    throw new Error(`cannot migrate the ${where}: ${describeDatabaseFailure(error)}`, { cause: error });
  });
  console.log(applied.length === 0 ? `${where} is up to date` : `${where}: applied ${applied.join(', ')}`);
} catch (error) {
  process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
