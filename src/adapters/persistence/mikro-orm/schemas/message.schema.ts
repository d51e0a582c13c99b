import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Message } from '../../../../domain/message.entity.js';

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  tableName: 'messages',
  properties: {
    // BIGINT because a busy server outgrows INT; `number` mode because the domain's ids are
    // numbers and 2^53 is out of reach.
    id: { type: new BigIntType('number'), primary: true, autoincrement: true },
    text: { type: 'text' },
    sender: { type: 'string', length: 10 },
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
  ],
});
