import type { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';

/** Applies every pending migration of the ORM's driver; answers the names it applied. */
export const migrate = async (orm: MikroORM): Promise<string[]> => {
  const applied = await orm.getMigrator<Migrator>().up();
  return applied.map((migration) => migration.name);
};
