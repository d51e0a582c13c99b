import { Migration } from '@mikro-orm/migrations';

export class Migration20261201224441_conversations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`message_revisions\` (\`id\` bigint unsigned not null auto_increment primary key, \`message_id\` bigint unsigned not null, \`text\` text not null, \`created_at\` datetime(3) not null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`message_revisions\` add index \`message_revisions_message_index\`(\`message_id\`, \`id\`);`);

    this.addSql(`alter table \`message_revisions\` add constraint \`message_revisions_message_id_foreign\` foreign key (\`message_id\`) references \`messages\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`chat_sessions\` add \`last_message_id\` bigint unsigned null;`);
    // Sessions of the previous release: the message a send without a parent answers is their
    // newest live one (messages_session_live_index).
    this.addSql(`update \`chat_sessions\` set \`last_message_id\` = (select max(\`id\`) from \`messages\` where \`messages\`.\`session_id\` = \`chat_sessions\`.\`id\` and \`messages\`.\`is_deleted\` = 0);`);

    this.addSql(`alter table \`messages\` add \`parent_id\` bigint unsigned null, add \`client_id\` varchar(64) null, add \`status\` varchar(10) not null default 'complete', add \`metadata\` json null, add \`edited_at\` datetime(3) null;`);
    this.addSql(`alter table \`messages\` add index \`messages_parent_index\`(\`parent_id\`);`);
    this.addSql(`alter table \`messages\` add unique \`messages_session_client_unique\`(\`session_id\`, \`client_id\`);`);
  }

}
