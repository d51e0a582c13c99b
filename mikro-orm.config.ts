/**
 * The MikroORM CLI's view of the database the server uses (same environment, same `.env`):
 * `npm run mikro-orm -- migration:create`.
 * A new migration must also be added to `migrations/<driver>-migrations.ts`.
 */
import { mikroOrmOptions } from './src/adapters/persistence/mikro-orm/mikro-orm-options.js';
import { loadDatabaseConfig } from './src/config.js';

export default mikroOrmOptions(loadDatabaseConfig());
