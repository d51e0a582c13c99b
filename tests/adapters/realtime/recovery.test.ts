import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/adapters/realtime/recovery.js';
import { positioned, type StreamEvent } from '../../../src/adapters/realtime/stream-frame.js';

const held = (epoch: string, ...offsets: number[]): StreamEvent[] =>
  offsets.map((offset) => positioned({ type: 'message.deleted', session_id: 1, message_id: offset }, { epoch, offset }));

describe('recover', () => {
  const head = { epoch: 'e1', offset: 5 };

  it('replays everything after the position when the history holds all of it', () => {
    expect(recover({ epoch: 'e1', offset: 2 }, head, held('e1', 1, 2, 3, 4, 5))).toEqual({ replay: held('e1', 3, 4, 5), recovered: true });
  });

  it('recovers with nothing to replay at the head', () => {
    expect(recover({ epoch: 'e1', offset: 5 }, head, held('e1', 4, 5))).toEqual({ replay: [], recovered: true });
  });

  it.each([
    ['no position', null, held('e1', 1, 2, 3, 4, 5)],
    ['another epoch', { epoch: 'e0', offset: 2 }, held('e1', 1, 2, 3, 4, 5)],
    ['a position ahead of the head', { epoch: 'e1', offset: 6 }, held('e1', 1, 2, 3, 4, 5)],
    ['the first missed event gone from the history', { epoch: 'e1', offset: 1 }, held('e1', 3, 4, 5)],
    ['a hole in the middle of the history', { epoch: 'e1', offset: 1 }, held('e1', 2, 4, 5)],
    ['no history at all', { epoch: 'e1', offset: 1 }, []],
  ] as const)('does not recover, and replays nothing, with %s', (_case, since, history) => {
    expect(recover(since, head, history)).toEqual({ replay: [], recovered: false });
  });
});
