import type { Message, Sender } from '../../domain/message.entity.js';

export interface MessageView {
  readonly id: number;
  readonly sessionId: number;
  readonly text: string;
  readonly sender: Sender;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const toMessageView = (message: Message): MessageView => ({
  id: message.id,
  sessionId: message.sessionId,
  text: message.text,
  sender: message.sender,
  createdAt: message.createdAt,
  updatedAt: message.updatedAt,
});
