/**
 * The web client's model of a conversation, without a browser: which branch is shown (siblings
 * share a `parent_id`; the newest, or the one picked, is shown and the others' replies hidden), and
 * how a streamed text read through REST is joined with the deltas that arrived during the read.
 */
import { describe, expect, it } from 'vitest';
import { ConversationState } from '../../web/src/conversation-state.js';
import type { Message } from '../../web/src/types.js';

const at = (second: number): string => new Date(Date.UTC(2026, 11, 2, 12, 0, second)).toISOString();

const message = (id: number, parentId: number | null, text = `m${id}`, overrides: Partial<Message> = {}): Message => ({
  id,
  session_id: 1,
  parent_id: parentId,
  client_id: null,
  text,
  sender: 'user',
  status: 'complete',
  edited_at: null,
  created_at: at(id),
  updated_at: at(id),
  ...overrides,
});

const stateWith = (...messages: Message[]): ConversationState => {
  const state = new ConversationState(1);
  for (const each of messages) state.upsert(each);
  return state;
};

const shownIds = (state: ConversationState): number[] => state.visible().map((each) => each.id);

describe('the branch a conversation shows', () => {
  it('shows a conversation without branches whole, in id order', () => {
    expect(shownIds(stateWith(message(3, 2), message(1, null), message(2, 1)))).toEqual([1, 2, 3]);
  });

  it('shows the newest of two siblings and hides the replies under the other', () => {
    // 2 and 4 both answer 1 (4 regenerated); 3 replies to 2.
    const state = stateWith(message(1, null), message(2, 1), message(3, 2), message(4, 1));

    expect(shownIds(state)).toEqual([1, 4]);
    expect(state.siblingsOf(state.get(4)!).map((each) => each.id)).toEqual([2, 4]);
  });

  it('shows the sibling picked, with its replies, until another is picked', () => {
    const state = stateWith(message(1, null), message(2, 1), message(3, 2), message(4, 1));
    state.choose(state.get(2)!);

    expect(shownIds(state)).toEqual([1, 2, 3]);
    // A newer sibling arriving does not take the place of the one picked.
    state.upsert(message(5, 1));
    expect(shownIds(state)).toEqual([1, 2, 3]);
    state.choose(state.get(5)!);
    expect(shownIds(state)).toEqual([1, 5]);
  });

  it('shows a message whose parent is not loaded (older than the page, or deleted)', () => {
    expect(shownIds(stateWith(message(51, 50), message(52, 51)))).toEqual([51, 52]);
  });

  it('keeps the branch picked over a reload of the messages, and forgets it when the chat is cleared', () => {
    const state = stateWith(message(1, null), message(2, 1), message(3, 1));
    state.choose(state.get(2)!);
    state.forgetMessages();
    for (const each of [message(1, null), message(2, 1), message(3, 1)]) state.upsert(each);
    expect(shownIds(state)).toEqual([1, 2]);

    state.clear();
    for (const each of [message(1, null), message(2, 1), message(3, 1)]) state.upsert(each);
    expect(shownIds(state)).toEqual([1, 3]);
  });

  it('keeps the newer copy of a message, so a late event does not undo a fresher read', () => {
    const state = stateWith(message(1, null, 'edited', { updated_at: at(30) }));
    state.upsert(message(1, null, 'original', { updated_at: at(10) }));

    expect(state.get(1)?.text).toBe('edited');
  });
});

describe('a streamed text read while deltas arrive', () => {
  const streaming = (text: string): Message => message(7, null, text, { sender: 'assistant', status: 'streaming' });

  it('adds each delta to the text shown', () => {
    const state = stateWith(streaming('Hello'));
    state.appendDelta(7, ',');
    state.appendDelta(7, ' world');

    expect(state.get(7)?.text).toBe('Hello, world');
  });

  it('adds to the text read only the deltas the read does not already hold', async () => {
    const state = stateWith(streaming('One'));
    // Two deltas arrive during the read, which was taken after the first of them was stored.
    const [read] = await state.capture(async () => {
      state.appendDelta(7, ' two');
      state.appendDelta(7, ' three');
      return [streaming('One two')];
    });

    expect(read?.text).toBe('One two three');
  });

  it('adds nothing when the read holds every delta, and all of them when it holds none', async () => {
    const state = stateWith(streaming('A'));
    const [holdsAll] = await state.capture(async () => {
      state.appendDelta(7, 'b');
      state.appendDelta(7, 'c');
      return [streaming('Abc')];
    });
    const [holdsNone] = await state.capture(async () => {
      state.appendDelta(7, 'd');
      return [streaming('Abc')];
    });

    expect(holdsAll?.text).toBe('Abc');
    expect(holdsNone?.text).toBe('Abcd');
  });

  it('takes a completed message as read: its text is whole', async () => {
    const state = stateWith(streaming('Done'));
    const [read] = await state.capture(async () => {
      state.appendDelta(7, '!');
      return [message(7, null, 'Done!', { status: 'complete' })];
    });

    expect(read?.text).toBe('Done!');
  });
});
