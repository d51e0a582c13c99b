import type { StreamEvent, StreamPosition } from './stream-frame.js';

export interface Recovery {
  readonly replay: readonly StreamEvent[];
  readonly recovered: boolean;
}

/**
 * What a subscriber asking for `since` is given, when the stream stands at `head` and its
 * history holds `held` (oldest first, nothing expired). All or nothing: a partial replay would
 * still leave the client to reload, so it gets none and `recovered: false`.
 */
export const recover = (since: StreamPosition | null | undefined, head: StreamPosition, held: readonly StreamEvent[]): Recovery => {
  if (!since || since.epoch !== head.epoch || since.offset > head.offset) return { replay: [], recovered: false };
  const replay = held.filter((event) => event.offset > since.offset && event.offset <= head.offset);
  const complete = replay.length === head.offset - since.offset && (replay.length === 0 || replay[0]?.offset === since.offset + 1);
  return complete ? { replay, recovered: true } : { replay: [], recovered: false };
};
