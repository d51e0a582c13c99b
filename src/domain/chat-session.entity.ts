export interface ChatSessionState {
  id: number;
  title: string;
  userId: string;
  isActive: boolean;
  /** Live (not deleted) messages; kept here so lists never count rows. */
  messageCount: number;
  /** When the newest live message was sent; null when there is none. */
  lastMessageAt: Date | null;
  /** The newest live message, which a message sent without a parent answers; null when there is none. */
  lastMessageId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DEFAULT_SESSION_TITLE = 'New Chat';

/** A conversation owned by one user. Deleting it is soft: it only stops being active. */
export class ChatSession implements ChatSessionState {
  /** Assigned by the repository when the session is first stored. */
  id!: number;
  title!: string;
  userId!: string;
  isActive!: boolean;
  /**
   * The counters follow the session's live messages: the `MessageRepository` call that adds or
   * deletes messages updates them in the same call, so no method here changes them and saving a
   * session never writes them.
   */
  readonly messageCount!: number;
  readonly lastMessageAt!: Date | null;
  readonly lastMessageId!: number | null;
  createdAt!: Date;
  updatedAt!: Date;

  private constructor(state: Omit<ChatSessionState, 'id'> & { id?: number }) {
    Object.assign(this, state);
  }

  static start(input: { title: string; userId: string; now: Date }): ChatSession {
    return new ChatSession({
      title: input.title,
      userId: input.userId,
      isActive: true,
      messageCount: 0,
      lastMessageAt: null,
      lastMessageId: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(state: ChatSessionState): ChatSession {
    return new ChatSession({ ...state });
  }

  isOwnedBy(userId: string): boolean {
    return this.userId === userId;
  }

  /** Whether `userId` may see the session at all: theirs and not deleted. */
  isVisibleTo(userId: string): boolean {
    return this.isActive && this.isOwnedBy(userId);
  }

  rename(title: string, now: Date): void {
    this.title = title;
    this.updatedAt = now;
  }

  delete(now: Date): void {
    if (!this.isActive) return;
    this.isActive = false;
    this.updatedAt = now;
  }
}
