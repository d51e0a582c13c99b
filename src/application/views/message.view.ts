import type { Message, MessageMetadata, MessageStatus, Sender } from '../../domain/message.entity.js';

export interface MessageView {
  readonly id: number;
  readonly sessionId: number;
  readonly parentId: number | null;
  readonly clientId: string | null;
  readonly text: string;
  readonly sender: Sender;
  readonly status: MessageStatus;
  readonly metadata: MessageMetadata | null;
  readonly editedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const toMessageView = (message: Message): MessageView => ({
  id: message.id,
  sessionId: message.sessionId,
  parentId: message.parentId,
  clientId: message.clientId,
  text: message.text,
  sender: message.sender,
  status: message.status,
  metadata: message.metadata,
  editedAt: message.editedAt,
  createdAt: message.createdAt,
  updatedAt: message.updatedAt,
});
