import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { ChatSession } from '../../../../domain/chat-session.entity.js';

export const ChatSessionSchema = new EntitySchema<ChatSession>({
  class: ChatSession,
  tableName: 'chat_sessions',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    title: { type: 'string', length: 255 },
    userId: {
      kind: 'm:1',
      entity: 'User',
      mapToPk: true,
      fieldName: 'user_id',
      deleteRule: 'cascade',
      updateRule: 'cascade',
      // The table's composite index starts with this column and serves the foreign key.
      index: false,
    },
    createdAt: { type: Date, length: 3, fieldName: 'created_at' },
    updatedAt: { type: Date, length: 3, fieldName: 'updated_at' },
    isActive: { type: 'boolean', default: true, fieldName: 'is_active' },
    messageCount: { type: 'integer', default: 0, fieldName: 'message_count' },
    lastMessageAt: { type: Date, length: 3, nullable: true, fieldName: 'last_message_at' },
    // A plain column, no foreign key: kept by the message repository's writes like the counters.
    lastMessageId: { type: new BigIntType('number'), unsigned: true, nullable: true, fieldName: 'last_message_id' },
  },
  indexes: [
    // The session list: WHERE user_id = ? AND is_active = 1 ORDER BY updated_at DESC, id DESC,
    // read backwards with no sort; its leading user_id also serves the foreign key.
    { name: 'chat_sessions_owner_recent_index', properties: ['userId', 'isActive', 'updatedAt', 'id'] },
  ],
});
