import { Migration } from '@mikro-orm/migrations';

export class Migration20261201224436_conversations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`message_revisions\` (\`id\` integer not null primary key autoincrement, \`message_id\` bigint not null, \`text\` text not null, \`created_at\` datetime not null, constraint \`message_revisions_message_id_foreign\` foreign key(\`message_id\`) references \`messages\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`message_revisions_message_index\` on \`message_revisions\` (\`message_id\`, \`id\`);`);

    this.addSql(`alter table \`chat_sessions\` add column \`last_message_id\` bigint null;`);
    // Sessions of the previous release: the message a send without a parent answers is their
    // newest live one (messages_session_live_index).
    this.addSql(`update \`chat_sessions\` set \`last_message_id\` = (select max(\`id\`) from \`messages\` where \`messages\`.\`session_id\` = \`chat_sessions\`.\`id\` and \`messages\`.\`is_deleted\` = 0);`);

    this.addSql(`alter table \`messages\` add column \`parent_id\` bigint null;`);
    this.addSql(`alter table \`messages\` add column \`client_id\` text null;`);
    this.addSql(`alter table \`messages\` add column \`status\` text not null default 'complete';`);
    this.addSql(`alter table \`messages\` add column \`metadata\` json null;`);
    this.addSql(`alter table \`messages\` add column \`edited_at\` datetime null;`);
    this.addSql(`create index \`messages_parent_index\` on \`messages\` (\`parent_id\`);`);
    this.addSql(`create unique index \`messages_session_client_unique\` on \`messages\` (\`session_id\`, \`client_id\`);`);
  }

}
