import { messageNotFound } from './domain-error.js';

export const SENDERS = ['user', 'assistant', 'system'] as const;
export type Sender = (typeof SENDERS)[number];
/** Who a message is from when the sender does not say. */
export const DEFAULT_SENDER: Sender = 'user';

export interface MessageState {
  id: number;
  sessionId: number;
  text: string;
  sender: Sender;
  isDeleted: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One message of a session. Deleting is soft and done by the repository (`deleteInSession`), which
 * keeps the session's counters in the same call; a deleted message is gone for every caller.
 */
export class Message implements MessageState {
  /** Assigned by the repository when the message is first stored; increases within a session. */
  id!: number;
  sessionId!: number;
  text!: string;
  sender!: Sender;
  isDeleted!: boolean;
  createdAt!: Date;
  updatedAt!: Date;

  private constructor(state: Omit<MessageState, 'id'> & { id?: number }) {
    Object.assign(this, state);
  }

  static create(input: { sessionId: number; text: string; sender: Sender; now: Date }): Message {
    return new Message({
      sessionId: input.sessionId,
      text: input.text,
      sender: input.sender,
      isDeleted: false,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(state: MessageState): Message {
    return new Message({ ...state });
  }

  edit(text: string, now: Date): void {
    if (this.isDeleted) throw messageNotFound();
    this.text = text;
    this.updatedAt = now;
  }
}
