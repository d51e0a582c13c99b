/**
 * The MikroORM CLI's view of the database the server uses (same environment, same `.env`):
 * `MIKRO_ORM_CLI_ALWAYS_ALLOW_TS=1 npx tsx node_modules/@mikro-orm/cli/cli.js migration:create`.
 * A new migration must also be added to `migrations/<driver>-migrations.ts`.
 */
import { resolve } from 'node:path';
import { databaseOptionsFromEnv } from './src/adapters/persistence/mikro-orm/database-options.js';
import { mikroOrmOptions } from './src/adapters/persistence/mikro-orm/mikro-orm-options.js';
import { readEnvironment } from './src/config.js';

export default mikroOrmOptions(databaseOptionsFromEnv(readEnvironment(process.env, resolve('.env'))));
