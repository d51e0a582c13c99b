import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** A stored revision: written and read with plain SQL by the message repository, never hydrated. */
export interface MessageRevisionRow {
  id: number;
  messageId: number;
  text: string;
  createdAt: Date;
}

/** Mapped so that the schema (and what `migration:create` compares) knows the table. */
export const MessageRevisionSchema = new EntitySchema<MessageRevisionRow>({
  name: 'MessageRevision',
  tableName: 'message_revisions',
  properties: {
    id: { type: new BigIntType('number'), primary: true, autoincrement: true },
    messageId: {
      kind: 'm:1',
      entity: 'Message',
      mapToPk: true,
      fieldName: 'message_id',
      deleteRule: 'cascade',
      updateRule: 'cascade',
      // The named index below starts with this column and serves the foreign key.
      index: false,
    },
    // `mediumtext` on MySQL, where `text` stops short of the highest MESSAGE_MAX_CHARS; SQLite reads
    // the name as TEXT, which has no bound.
    text: { type: 'text', columnType: 'mediumtext' },
    createdAt: { type: Date, length: 3, fieldName: 'created_at' },
  },
  // A message's revisions, oldest first: WHERE message_id = ? ORDER BY id.
  indexes: [{ name: 'message_revisions_message_index', properties: ['messageId', 'id'] }],
});
