import { Migration } from '@mikro-orm/migrations';

export class Migration20261201224410_refresh_grace_pair extends Migration {

  override async up(): Promise<void> {
    // The refresh grace window: the token the last rotation spent (as a digest), the pair that
    // rotation handed out (sealed) and when it may no longer be handed out again. All null on the
    // logins that exist already: they have no window open.
    this.addSql(`alter table \`logins\` add \`previous_refresh_token_hash\` varchar(255) null, add \`sealed_pair\` text null, add \`sealed_pair_expires_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`logins\` drop column \`previous_refresh_token_hash\`, drop column \`sealed_pair\`, drop column \`sealed_pair_expires_at\`;`);
  }

}
