/** The API's resources as the client reads them (API.md, "Resources"). */

export interface User {
  readonly id: string;
  readonly username: string;
  readonly email: string;
}

export interface Session {
  readonly id: number;
  readonly title: string;
  readonly message_count: number;
  readonly last_message_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export type MessageStatus = 'streaming' | 'complete' | 'incomplete';

export interface Message {
  readonly id: number;
  readonly session_id: number;
  readonly parent_id: number | null;
  readonly client_id: string | null;
  readonly text: string;
  readonly sender: 'user' | 'assistant' | 'system';
  readonly status: MessageStatus;
  readonly edited_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface TokenPair {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

/** A place in the user's event stream (API.md, "Real time"). */
export interface StreamPosition {
  readonly epoch: string;
  readonly offset: number;
}

/** Every frame `/ws` sends that the client acts on. */
export type LiveFrame =
  | ({ readonly type: 'session.created' | 'session.updated'; readonly session: Session } & StreamPosition)
  | ({ readonly type: 'session.deleted'; readonly session_id: number } & StreamPosition)
  | ({ readonly type: 'message.created' | 'message.updated'; readonly session_id: number; readonly message: Message } & StreamPosition)
  | ({ readonly type: 'message.deleted'; readonly session_id: number; readonly message_id: number } & StreamPosition)
  | ({ readonly type: 'messages.cleared'; readonly session_id: number; readonly deleted_count: number } & StreamPosition)
  | { readonly type: 'message.delta'; readonly session_id: number; readonly message_id: number; readonly text: string }
  | ({ readonly type: 'ready'; readonly recovered: boolean } & StreamPosition)
  | { readonly type: 'degraded' | 'resync' | 'pong' }
  | { readonly type: 'error'; readonly error: string; readonly code: string };

/** The events that change what the client shows (everything but the connection's own frames). */
export type ChangeEvent = Extract<LiveFrame, { session_id: number } | { session: Session }>;
