import { messageNotFound, notStreaming } from './domain-error.js';

export const SENDERS = ['user', 'assistant', 'system'] as const;
export type Sender = (typeof SENDERS)[number];
/** Who a message is from when the sender does not say. */
export const DEFAULT_SENDER: Sender = 'user';

/**
 * `streaming`: still being written, by appends; `complete`: written to its end; `incomplete`: its
 * writer stopped appending and never completed it (the stream went idle).
 */
export const MESSAGE_STATUSES = ['complete', 'streaming', 'incomplete'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** A message sent whole, which is every message unless its sender says it will stream it. */
export const DEFAULT_MESSAGE_STATUS = 'complete' satisfies MessageStatus;

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** Facts about how a message was made (model, token counts, citations, tool calls): any JSON object. */
export type MessageMetadata = { readonly [key: string]: JsonValue };

/** A text a message held before an edit replaced it, and when that edit was made. */
export interface MessageRevision {
  readonly text: string;
  readonly createdAt: Date;
}

export interface MessageState {
  id: number;
  sessionId: number;
  /** The message this one answers, in the same session; null for the first of a branch. */
  parentId: number | null;
  /** The sender's own id for this message, unique within the session: a retried send matches it. */
  clientId: string | null;
  text: string;
  sender: Sender;
  status: MessageStatus;
  metadata: MessageMetadata | null;
  isDeleted: boolean;
  /** When the text was last edited; null if never. */
  editedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The revisions each copy's edits made, oldest first, which the repository's `save` stores with
 * the edit. Kept off the instance: they are not state (the stored history is read through the
 * repository), and a loaded message, whose constructor MikroORM does not run, starts with none.
 */
const unsavedRevisions = new WeakMap<Message, readonly MessageRevision[]>();

export interface NewMessage {
  sessionId: number;
  text: string;
  sender: Sender;
  now: Date;
  parentId?: number | null;
  clientId?: string | null;
  status?: Extract<MessageStatus, 'complete' | 'streaming'>;
  metadata?: MessageMetadata | null;
}

/**
 * One message of a session. Deleting is soft and done by the repository (`deleteInSession`), which
 * keeps the session's counters in the same call; a deleted message is gone for every caller.
 */
export class Message implements MessageState {
  /** Assigned by the repository when the message is first stored; increases within a session. */
  id!: number;
  sessionId!: number;
  parentId!: number | null;
  clientId!: string | null;
  text!: string;
  sender!: Sender;
  status!: MessageStatus;
  metadata!: MessageMetadata | null;
  isDeleted!: boolean;
  editedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
  private constructor(state: Omit<MessageState, 'id'> & { id?: number }) {
    Object.assign(this, state);
  }

  static create(input: NewMessage): Message {
    return new Message({
      sessionId: input.sessionId,
      parentId: input.parentId ?? null,
      clientId: input.clientId ?? null,
      text: input.text,
      sender: input.sender,
      status: input.status ?? DEFAULT_MESSAGE_STATUS,
      metadata: input.metadata ?? null,
      isDeleted: false,
      editedAt: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(state: MessageState): Message {
    return new Message({ ...state });
  }

  /** Revisions made by `edit` since this copy was created or loaded and not yet stored. */
  newRevisions(): readonly MessageRevision[] {
    return unsavedRevisions.get(this) ?? [];
  }

  /** Called by the repository once it has stored `newRevisions`. */
  revisionsSaved(): void {
    unsavedRevisions.delete(this);
  }

  /** Replaces the text and keeps the text it replaces as a revision. */
  edit(text: string, now: Date): void {
    this.requireLive();
    unsavedRevisions.set(this, [...this.newRevisions(), { text: this.text, createdAt: now }]);
    this.text = text;
    this.editedAt = now;
    this.updatedAt = now;
  }

  /** Adds `text` to the end of a message being streamed. */
  append(text: string, now: Date): void {
    this.requireStreaming();
    this.text += text;
    this.updatedAt = now;
  }

  /** Ends a streamed message; metadata given here replaces what it was sent with. */
  complete(now: Date, metadata?: MessageMetadata | null): void {
    this.requireStreaming();
    this.status = 'complete';
    if (metadata !== undefined) this.metadata = metadata;
    this.updatedAt = now;
  }

  /**
   * A streamed message whose writer went away: it keeps what was appended and takes no more.
   * False, with nothing changed, when it was not streaming (completed meanwhile, or deleted).
   */
  markIncomplete(now: Date): boolean {
    if (this.isDeleted || this.status !== 'streaming') return false;
    this.status = 'incomplete';
    this.updatedAt = now;
    return true;
  }

  /**
   * `markIncomplete` for a stream found idle: only when nothing moved it at or after `idleSince`.
   * The sweep that found it read it earlier, outside any lock; an append since then wins, and the
   * message stays streaming.
   */
  markIncompleteIfIdle(idleSince: Date, now: Date): boolean {
    if (this.updatedAt.getTime() >= idleSince.getTime()) return false;
    return this.markIncomplete(now);
  }

  /** Whether a send is a retry of this one: same text and the same sender. */
  isSameSendAs(text: string, sender: Sender): boolean {
    return this.text === text && this.sender === sender;
  }

  private requireLive(): void {
    if (this.isDeleted) throw messageNotFound();
  }

  private requireStreaming(): void {
    this.requireLive();
    if (this.status !== 'streaming') throw notStreaming();
  }
}
