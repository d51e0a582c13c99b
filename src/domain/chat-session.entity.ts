export interface ChatSessionState {
  id: number;
  title: string;
  userId: string;
  isActive: boolean;
  /** Live (not deleted) messages; kept here so lists never count rows. */
  messageCount: number;
  lastMessageAt: Date | null;
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
  messageCount!: number;
  lastMessageAt!: Date | null;
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

  /** A new message makes the session the most recently active one. */
  recordMessage(sentAt: Date): void {
    this.messageCount += 1;
    this.lastMessageAt = sentAt;
    this.updatedAt = sentAt;
  }

  /** A message was deleted; `latestRemainingAt` is the newest live message's time, if any. */
  forgetMessage(latestRemainingAt: Date | null): void {
    this.messageCount = Math.max(0, this.messageCount - 1);
    this.lastMessageAt = latestRemainingAt;
  }

  clearMessages(): void {
    this.messageCount = 0;
    this.lastMessageAt = null;
  }

  delete(now: Date): void {
    if (!this.isActive) return;
    this.isActive = false;
    this.updatedAt = now;
  }
}
