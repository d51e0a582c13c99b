import { Migration } from '@mikro-orm/migrations';

export class Migration20261124100146_initial extends Migration {

  override async up(): Promise<void> {
    // NOCASE makes the unique indexes and every lookup on these columns case-insensitive, as
    // utf8mb4_unicode_ci does on MySQL (usernames are ASCII; emails are stored lowercased).
    this.addSql(`create table \`users\` (\`id\` text not null, \`username\` text not null collate nocase, \`email\` text not null collate nocase, \`password_hash\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`is_active\` integer not null default true, \`is_verified\` integer not null default false, primary key (\`id\`));`);
    this.addSql(`create unique index \`users_username_unique\` on \`users\` (\`username\`);`);
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);

    this.addSql(`create table \`logins\` (\`id\` text not null, \`user_id\` text not null, \`refresh_token_hash\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`user_agent\` text null, \`address\` text null, constraint \`logins_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`logins_user_id_index\` on \`logins\` (\`user_id\`);`);

    this.addSql(`create table \`chat_sessions\` (\`id\` integer not null primary key autoincrement, \`title\` text not null, \`user_id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`is_active\` integer not null default true, \`message_count\` integer not null default 0, \`last_message_at\` datetime null, constraint \`chat_sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`chat_sessions_owner_recent_index\` on \`chat_sessions\` (\`user_id\`, \`is_active\`, \`updated_at\`, \`id\`);`);

    this.addSql(`create table \`messages\` (\`id\` integer not null primary key autoincrement, \`text\` text not null, \`sender\` text not null, \`session_id\` integer not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`is_deleted\` integer not null default false, constraint \`messages_session_id_foreign\` foreign key(\`session_id\`) references \`chat_sessions\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`messages_session_live_index\` on \`messages\` (\`session_id\`, \`is_deleted\`, \`id\`);`);
  }

}
