import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/domain/domain-error.js';
import { Message, MESSAGE_STATUSES, SENDERS, type MessageState } from '../../src/domain/message.entity.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1_000);

const created = (): Message => Message.create({ sessionId: 4, text: 'Hello', sender: 'assistant', now: T0 });
const streaming = (): Message =>
  Message.create({ sessionId: 4, text: '', sender: 'assistant', status: 'streaming', now: T0 });

const thrownBy = (action: () => void): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
};

const expectMessageNotFound = (action: () => void): void => {
  const thrown = thrownBy(action);
  expect(thrown).toBeInstanceOf(NotFoundError);
  expect(thrown).toMatchObject({ kind: 'not_found', message: 'Message not found', code: 'message_not_found' });
};

const expectNotStreaming = (action: () => void): void => {
  const thrown = thrownBy(action);
  expect(thrown).toBeInstanceOf(ConflictError);
  expect(thrown).toMatchObject({ kind: 'conflict', code: 'not_streaming' });
};

describe('Message', () => {
  it('the senders are user, assistant and system', () => {
    expect(SENDERS).toEqual(['user', 'assistant', 'system']);
  });

  it('the statuses are complete, streaming and incomplete', () => {
    expect(MESSAGE_STATUSES).toEqual(['complete', 'streaming', 'incomplete']);
  });

  describe('create', () => {
    it('creates a live, complete message in the session with the given text and sender, created now, with no parent, client id, metadata or edit', () => {
      expect({ ...created() }).toEqual({
        sessionId: 4,
        parentId: null,
        clientId: null,
        text: 'Hello',
        sender: 'assistant',
        status: 'complete',
        metadata: null,
        isDeleted: false,
        editedAt: null,
        createdAt: T0,
        updatedAt: T0,
      });
    });

    it('keeps the parent, client id, status and metadata it is given', () => {
      const message = Message.create({
        sessionId: 4,
        text: '',
        sender: 'assistant',
        now: T0,
        parentId: 9,
        clientId: 'retry-1',
        status: 'streaming',
        metadata: { model: 'm1', tokens: [1, 2] },
      });

      expect(message).toMatchObject({ parentId: 9, clientId: 'retry-1', status: 'streaming', metadata: { model: 'm1', tokens: [1, 2] } });
    });

    it('has no id until the repository assigns one, and no revisions to save', () => {
      expect(created().id).toBeUndefined();
      expect(created().newRevisions()).toEqual([]);
    });
  });

  describe('restore', () => {
    it('rebuilds a message from stored state, field for field', () => {
      const state: MessageState = {
        id: 12,
        sessionId: 4,
        parentId: 11,
        clientId: 'c-12',
        text: 'Stored',
        sender: 'system',
        status: 'incomplete',
        metadata: { model: 'm' },
        isDeleted: true,
        editedAt: later(4),
        createdAt: T0,
        updatedAt: later(5),
      };

      expect({ ...Message.restore(state) }).toEqual(state);
    });
  });

  describe('edit', () => {
    it('replaces the text, the updated and edited times; sender, session and creation time stay', () => {
      const message = created();

      message.edit('Edited', later(7));

      expect({ ...message }).toEqual({ ...created(), text: 'Edited', editedAt: later(7), updatedAt: later(7) });
    });

    it('keeps each text it replaces as a revision, oldest first, stamped with the edit that replaced it', () => {
      const message = created();

      message.edit('Second', later(1));
      message.edit('Third', later(2));
      message.edit('Fourth', later(3));

      expect(message.newRevisions()).toEqual([
        { text: 'Hello', createdAt: later(1) },
        { text: 'Second', createdAt: later(2) },
        { text: 'Third', createdAt: later(3) },
      ]);
      expect(message.text).toBe('Fourth');
    });

    it('has no revisions left to save once the repository says they are stored', () => {
      const message = created();
      message.edit('Second', later(1));

      message.revisionsSaved();

      expect(message.newRevisions()).toEqual([]);
    });

    it('refuses a deleted message as not found, and leaves it as it was', () => {
      const message = Message.restore({ ...created(), id: 9, isDeleted: true, updatedAt: later(1) });

      expectMessageNotFound(() => message.edit('Resurrected', later(2)));

      expect(message).toMatchObject({ text: 'Hello', isDeleted: true, updatedAt: later(1), editedAt: null });
      expect(message.newRevisions()).toEqual([]);
    });
  });

  describe('append', () => {
    it('adds the text to the end of a streaming message, as given (no trimming), and moves its updated time', () => {
      const message = streaming();

      message.append('Hel', later(1));
      message.append('lo ', later(2));
      message.append('world', later(3));

      expect(message).toMatchObject({ text: 'Hello world', status: 'streaming', updatedAt: later(3), editedAt: null });
    });

    it('refuses a message that is not streaming (complete or incomplete) as not_streaming, and leaves it as it was', () => {
      const complete = created();
      const incomplete = streaming();
      incomplete.markIncomplete(later(1));

      expectNotStreaming(() => complete.append('more', later(2)));
      expectNotStreaming(() => incomplete.append('more', later(2)));

      expect(complete).toMatchObject({ text: 'Hello', updatedAt: T0 });
      expect(incomplete).toMatchObject({ text: '', updatedAt: later(1) });
    });

    it('refuses a deleted message as not found', () => {
      const message = Message.restore({ ...streaming(), id: 9, isDeleted: true });

      expectMessageNotFound(() => message.append('more', later(1)));
    });
  });

  describe('complete', () => {
    it('ends a streaming message; the metadata it sent with stays when none is given', () => {
      const message = Message.create({ sessionId: 4, text: 'x', sender: 'assistant', status: 'streaming', metadata: { model: 'm' }, now: T0 });

      message.complete(later(5));

      expect(message).toMatchObject({ status: 'complete', metadata: { model: 'm' }, updatedAt: later(5) });
    });

    it('replaces the metadata with what it is given, null included', () => {
      const withTokens = streaming();
      const cleared = Message.create({ sessionId: 4, text: 'x', sender: 'assistant', status: 'streaming', metadata: { a: 1 }, now: T0 });

      withTokens.complete(later(5), { tokens: 42 });
      cleared.complete(later(5), null);

      expect(withTokens.metadata).toEqual({ tokens: 42 });
      expect(cleared.metadata).toBeNull();
    });

    it('refuses a message that is not streaming as not_streaming', () => {
      const message = created();

      expectNotStreaming(() => message.complete(later(1)));

      expect(message).toMatchObject({ status: 'complete', updatedAt: T0 });
    });
  });

  describe('markIncomplete', () => {
    it('turns a streaming message incomplete, keeping its text', () => {
      const message = streaming();
      message.append('partial', later(1));

      expect(message.markIncomplete(later(9))).toBe(true);

      expect(message).toMatchObject({ status: 'incomplete', text: 'partial', updatedAt: later(9) });
    });

    it('changes nothing on a message that is not streaming, or deleted', () => {
      const complete = created();
      const deleted = Message.restore({ ...streaming(), id: 3, isDeleted: true });

      expect(complete.markIncomplete(later(9))).toBe(false);
      expect(deleted.markIncomplete(later(9))).toBe(false);

      expect(complete).toMatchObject({ status: 'complete', updatedAt: T0 });
      expect(deleted).toMatchObject({ status: 'streaming', updatedAt: T0 });
    });
  });

  describe('markIncompleteIfIdle', () => {
    it('turns a stream last moved before the idle cutoff incomplete', () => {
      const message = streaming();
      message.append('partial', later(1));

      expect(message.markIncompleteIfIdle(later(2), later(9))).toBe(true);

      expect(message).toMatchObject({ status: 'incomplete', text: 'partial', updatedAt: later(9) });
    });

    it('leaves a stream that moved at or after the cutoff streaming: an append since the sweep read it wins', () => {
      const appendedAtCutoff = streaming();
      appendedAtCutoff.append('a', later(2));
      const appendedAfter = streaming();
      appendedAfter.append('b', later(3));

      expect(appendedAtCutoff.markIncompleteIfIdle(later(2), later(9))).toBe(false);
      expect(appendedAfter.markIncompleteIfIdle(later(2), later(9))).toBe(false);

      expect(appendedAtCutoff).toMatchObject({ status: 'streaming', updatedAt: later(2) });
      expect(appendedAfter).toMatchObject({ status: 'streaming', updatedAt: later(3) });
    });

    it('changes nothing on an idle message that is no longer streaming, or deleted', () => {
      const completed = streaming();
      completed.complete(later(1));
      const deleted = Message.restore({ ...streaming(), id: 3, isDeleted: true });

      expect(completed.markIncompleteIfIdle(later(5), later(9))).toBe(false);
      expect(deleted.markIncompleteIfIdle(later(5), later(9))).toBe(false);

      expect(completed).toMatchObject({ status: 'complete', updatedAt: later(1) });
      expect(deleted).toMatchObject({ status: 'streaming', updatedAt: T0 });
    });
  });

  describe('isSameSendAs', () => {
    it('is a retry when text and sender match, not when either differs', () => {
      const message = created();

      expect(message.isSameSendAs('Hello', 'assistant')).toBe(true);
      expect(message.isSameSendAs('Hello!', 'assistant')).toBe(false);
      expect(message.isSameSendAs('Hello', 'user')).toBe(false);
    });
  });
});
