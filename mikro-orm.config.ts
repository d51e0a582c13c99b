import 'dotenv/config';
import { databaseOptionsFromEnv } from './src/adapters/persistence/mikro-orm/database-options.js';
import { mikroOrmOptions } from './src/adapters/persistence/mikro-orm/mikro-orm-options.js';

export default mikroOrmOptions(databaseOptionsFromEnv(process.env));
