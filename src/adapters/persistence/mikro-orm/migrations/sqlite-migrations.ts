import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100146_initial } from './sqlite/Migration20261124100146_initial.js';
import { Migration20261201224430_refresh_grace_pair } from './sqlite/Migration20261201224430_refresh_grace_pair.js';
import { Migration20261201224436_conversations } from './sqlite/Migration20261201224436_conversations.js';
import { Migration20261202012001_stream_idle_index } from './sqlite/Migration20261202012001_stream_idle_index.js';

/**
 * Listed, not discovered: a glob would not find TypeScript files once compiled, nor work under
 * every loader. `migration:create` writes a new file next to these; add it here.
 */
export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20261124100146_initial', class: Migration20261124100146_initial },
  { name: 'Migration20261201224430_refresh_grace_pair', class: Migration20261201224430_refresh_grace_pair },
  { name: 'Migration20261201224436_conversations', class: Migration20261201224436_conversations },
  { name: 'Migration20261202012001_stream_idle_index', class: Migration20261202012001_stream_idle_index },
];
