import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/domain/domain-error.js';
import { Message, SENDERS, type MessageState } from '../../src/domain/message.entity.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1_000);

const created = (): Message => Message.create({ sessionId: 4, text: 'Hello', sender: 'assistant', now: T0 });

const expectMessageNotFound = (action: () => void): void => {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(NotFoundError);
  expect(thrown).toMatchObject({ kind: 'not_found', message: 'Message not found', code: 'message_not_found' });
};

describe('Message', () => {
  it('the senders are user, assistant and system', () => {
    expect(SENDERS).toEqual(['user', 'assistant', 'system']);
  });

  describe('create', () => {
    it('creates a live message in the session with the given text and sender, created now', () => {
      expect({ ...created() }).toEqual({
        sessionId: 4,
        text: 'Hello',
        sender: 'assistant',
        isDeleted: false,
        createdAt: T0,
        updatedAt: T0,
      });
    });

    it('has no id until the repository assigns one', () => {
      expect(created().id).toBeUndefined();
    });
  });

  describe('restore', () => {
    it('rebuilds a message from stored state, field for field', () => {
      const state: MessageState = {
        id: 12,
        sessionId: 4,
        text: 'Stored',
        sender: 'system',
        isDeleted: true,
        createdAt: T0,
        updatedAt: later(5),
      };

      expect({ ...Message.restore(state) }).toEqual(state);
    });
  });

  describe('edit', () => {
    it('replaces the text and the updated time; sender, session and creation time stay', () => {
      const message = created();

      message.edit('Edited', later(7));

      expect({ ...message }).toEqual({ ...created(), text: 'Edited', updatedAt: later(7) });
    });

    it('refuses a deleted message as not found, and leaves it as it was', () => {
      const message = Message.restore({ ...created(), id: 9, isDeleted: true, updatedAt: later(1) });

      expectMessageNotFound(() => message.edit('Resurrected', later(2)));

      expect(message).toMatchObject({ text: 'Hello', isDeleted: true, updatedAt: later(1) });
    });
  });
});
