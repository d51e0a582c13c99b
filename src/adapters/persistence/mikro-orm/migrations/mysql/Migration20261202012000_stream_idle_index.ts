import { Migration } from '@mikro-orm/migrations';

export class Migration20261202012000_stream_idle_index extends Migration {

  override async up(): Promise<void> {
    // The idle-stream sweep reads the streams that went idle, oldest first, from this range alone.
    this.addSql(`alter table \`messages\` add index \`messages_stream_idle_index\`(\`status\`, \`is_deleted\`, \`updated_at\`);`);
  }

}
