import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010000_longer_messages extends Migration {

  override async up(): Promise<void> {
    // MESSAGE_MAX_CHARS may go past what `text` holds (65,535 bytes: 16,383 characters at 4 bytes
    // each); `mediumtext` holds 16 MB, room for the highest limit whatever the characters. SQLite's
    // TEXT has no such bound, so only MySQL needs this.
    this.addSql(`alter table \`messages\` modify \`text\` mediumtext not null;`);
    this.addSql(`alter table \`message_revisions\` modify \`text\` mediumtext not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`message_revisions\` modify \`text\` text not null;`);
    this.addSql(`alter table \`messages\` modify \`text\` text not null;`);
  }

}
