export interface IdGenerator {
  /** A new random UUID (v4). */
  uuid(): string;
}

export const IdGenerator = Symbol.for('chat-backend.IdGenerator');
