import { createMySqlTestDatabase, describeWithMySql } from '../support/mysql-test-database.js';
import { openMikroOrmFixture } from '../support/open-mikro-orm-fixture.js';
import { describeRepositoryContracts } from './repository-contracts.js';

describeWithMySql('mysql', () => {
  describeRepositoryContracts({
    name: 'mysql',
    async open() {
      const database = await createMySqlTestDatabase();
      try {
        const fixture = await openMikroOrmFixture(database.options);
        return {
          ...fixture,
          close: async () => {
            await fixture.close();
            await database.drop();
          },
        };
      } catch (error) {
        await database.drop();
        throw error;
      }
    },
  });
});
