import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Message } from '../../../../domain/message.entity.js';
import { JsonObjectType } from './json-object.type.js';

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  tableName: 'messages',
  properties: {
    // BIGINT because a busy server outgrows INT; `number` mode because the domain's ids are
    // numbers and 2^53 is out of reach.
    id: { type: new BigIntType('number'), primary: true, autoincrement: true },
    // `mediumtext` on MySQL, where `text` stops short of the highest MESSAGE_MAX_CHARS; SQLite reads
    // the name as TEXT, which has no bound.
    text: { type: 'text', columnType: 'mediumtext' },
    sender: { type: 'string', length: 10 },
    // No foreign key: a parent is checked by the use case (same session, live), deletes are soft,
    // and a self-referencing cascade stops at 15 levels on InnoDB, so deleting a long branch would fail.
    parentId: { type: new BigIntType('number'), unsigned: true, nullable: true, fieldName: 'parent_id' },
    clientId: { type: 'string', length: 64, nullable: true, fieldName: 'client_id' },
    status: { type: 'string', length: 10, default: 'complete' },
    metadata: { type: JsonObjectType, nullable: true },
    editedAt: { type: Date, length: 3, nullable: true, fieldName: 'edited_at' },
    sessionId: {
      kind: 'm:1',
      entity: 'ChatSession',
      mapToPk: true,
      fieldName: 'session_id',
      deleteRule: 'cascade',
      updateRule: 'cascade',
      // The table's composite index starts with this column and serves the foreign key.
      index: false,
    },
    createdAt: { type: Date, length: 3, fieldName: 'created_at' },
    updatedAt: { type: Date, length: 3, fieldName: 'updated_at' },
    isDeleted: { type: 'boolean', default: false, fieldName: 'is_deleted' },
  },
  indexes: [
    // Every message read: WHERE session_id = ? AND is_deleted = 0 [AND id < ? | id > ?] ORDER BY id.
    { name: 'messages_session_live_index', properties: ['sessionId', 'isDeleted', 'id'] },
    // The thread walks from a message to its parent by id (PRIMARY); this serves the children.
    { name: 'messages_parent_index', properties: ['parentId'] },
  ],
  // A retried send finds its message; several NULLs (no client id) never collide.
  uniques: [{ name: 'messages_session_client_unique', properties: ['sessionId', 'clientId'] }],
});
