import { Migration } from '@mikro-orm/migrations';

export class Migration20261124100144_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`users\` (\`id\` varchar(255) not null, \`username\` varchar(80) not null, \`email\` varchar(120) not null, \`password_hash\` varchar(255) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`is_active\` tinyint(1) not null default true, \`is_verified\` tinyint(1) not null default false, primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`users\` add unique \`users_username_unique\`(\`username\`);`);
    this.addSql(`alter table \`users\` add unique \`users_email_unique\`(\`email\`);`);

    this.addSql(`create table \`logins\` (\`id\` varchar(36) not null, \`user_id\` varchar(255) not null, \`refresh_token_hash\` varchar(255) not null, \`created_at\` datetime(3) not null, \`last_used_at\` datetime(3) not null, \`expires_at\` datetime(3) not null, \`revoked_at\` datetime(3) null, \`user_agent\` text null, \`address\` varchar(255) null, primary key (\`id\`)) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`logins\` add index \`logins_user_id_index\`(\`user_id\`);`);

    this.addSql(`create table \`chat_sessions\` (\`id\` int unsigned not null auto_increment primary key, \`title\` varchar(255) not null, \`user_id\` varchar(255) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`is_active\` tinyint(1) not null default true, \`message_count\` int not null default 0, \`last_message_at\` datetime(3) null) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`chat_sessions\` add index \`chat_sessions_owner_recent_index\`(\`user_id\`, \`is_active\`, \`updated_at\`, \`id\`);`);

    this.addSql(`create table \`messages\` (\`id\` bigint unsigned not null auto_increment primary key, \`text\` text not null, \`sender\` varchar(10) not null, \`session_id\` int unsigned not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`is_deleted\` tinyint(1) not null default false) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`alter table \`messages\` add index \`messages_session_live_index\`(\`session_id\`, \`is_deleted\`, \`id\`);`);

    this.addSql(`alter table \`logins\` add constraint \`logins_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`chat_sessions\` add constraint \`chat_sessions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`messages\` add constraint \`messages_session_id_foreign\` foreign key (\`session_id\`) references \`chat_sessions\` (\`id\`) on update cascade on delete cascade;`);
  }

}
