import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100144_initial } from './mysql/Migration20261124100144_initial.js';
import { Migration20261201224410_refresh_grace_pair } from './mysql/Migration20261201224410_refresh_grace_pair.js';
import { Migration20261201224441_conversations } from './mysql/Migration20261201224441_conversations.js';
import { Migration20261202010000_longer_messages } from './mysql/Migration20261202010000_longer_messages.js';

/**
 * Listed, not discovered: a glob would not find TypeScript files once compiled, nor work under
 * every loader. `migration:create` writes a new file next to these; add it here.
 */
export const mysqlMigrations: MigrationObject[] = [
  { name: 'Migration20261124100144_initial', class: Migration20261124100144_initial },
  { name: 'Migration20261201224410_refresh_grace_pair', class: Migration20261201224410_refresh_grace_pair },
  { name: 'Migration20261201224441_conversations', class: Migration20261201224441_conversations },
  { name: 'Migration20261202010000_longer_messages', class: Migration20261202010000_longer_messages },
];
