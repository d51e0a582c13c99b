import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMikroOrmFixture } from '../support/open-mikro-orm-fixture.js';
import { describeRepositoryContracts } from './repository-contracts.js';

describeRepositoryContracts({
  name: 'sqlite',
  async open() {
    // A file, not `:memory:`: the embedded default is a file, and that is what must behave.
    const directory = mkdtempSync(join(tmpdir(), 'chat-contract-sqlite-'));
    const fixture = await openMikroOrmFixture({ kind: 'sqlite', path: join(directory, 'chat.sqlite') });
    return {
      ...fixture,
      close: async () => {
        await fixture.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
});
