import { Migration } from '@mikro-orm/migrations';

export class Migration20261202012001_stream_idle_index extends Migration {

  override async up(): Promise<void> {
    // The idle-stream sweep reads the streams that went idle, oldest first, from this range alone.
    this.addSql(`create index \`messages_stream_idle_index\` on \`messages\` (\`status\`, \`is_deleted\`, \`updated_at\`);`);
  }

}
