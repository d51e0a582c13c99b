import { describe, expect, it } from 'vitest';
import { ChatSession, DEFAULT_SESSION_TITLE, type ChatSessionState } from '../../src/domain/chat-session.entity.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1_000);

const started = (): ChatSession => ChatSession.start({ title: 'Plans', userId: 'user-a', now: T0 });

describe('ChatSession', () => {
  describe('start', () => {
    it('starts active, empty and created now, with the given title and owner', () => {
      const session = started();

      expect({ ...session }).toEqual({
        title: 'Plans',
        userId: 'user-a',
        isActive: true,
        messageCount: 0,
        lastMessageAt: null,
        lastMessageId: null,
        createdAt: T0,
        updatedAt: T0,
      });
    });

    it('has no id until the repository assigns one', () => {
      expect(started().id).toBeUndefined();
    });

    it('names the default title "New Chat"', () => {
      expect(DEFAULT_SESSION_TITLE).toBe('New Chat');
    });
  });

  describe('restore', () => {
    it('rebuilds a session from stored state, field for field', () => {
      const state: ChatSessionState = {
        id: 7,
        title: 'Stored',
        userId: 'user-b',
        isActive: false,
        messageCount: 3,
        lastMessageAt: later(30),
        lastMessageId: 41,
        createdAt: T0,
        updatedAt: later(40),
      };

      expect({ ...ChatSession.restore(state) }).toEqual(state);
    });

    it('does not share the state object it was given', () => {
      const state: ChatSessionState = { ...started(), id: 1 };
      const session = ChatSession.restore(state);

      session.rename('Changed', later(1));

      expect(state.title).toBe('Plans');
    });
  });

  describe('ownership and visibility', () => {
    it('is owned by its user only', () => {
      const session = started();

      expect(session.isOwnedBy('user-a')).toBe(true);
      expect(session.isOwnedBy('user-b')).toBe(false);
    });

    it('is visible to its owner while active, and to nobody else', () => {
      const session = started();

      expect(session.isVisibleTo('user-a')).toBe(true);
      expect(session.isVisibleTo('user-b')).toBe(false);
    });

    it('once deleted, is visible to nobody, its owner included, though still owned', () => {
      const session = started();
      session.delete(later(1));

      expect(session.isVisibleTo('user-a')).toBe(false);
      expect(session.isOwnedBy('user-a')).toBe(true);
    });
  });

  describe('rename', () => {
    it('changes the title and the updated time, nothing else', () => {
      const session = started();

      session.rename('Renamed', later(5));

      expect({ ...session }).toEqual({ ...started(), title: 'Renamed', updatedAt: later(5) });
    });
  });

  describe('delete', () => {
    it('makes the session inactive and sets the updated time', () => {
      const session = started();

      session.delete(later(3));

      expect(session).toMatchObject({ isActive: false, updatedAt: later(3) });
    });

    it('deleting again changes nothing, the time of the first delete stays', () => {
      const session = started();
      session.delete(later(3));

      session.delete(later(9));

      expect(session).toMatchObject({ isActive: false, updatedAt: later(3) });
    });
  });
});
