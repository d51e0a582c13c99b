/** What a key holds: its points and how long until its window (or hold) ends and it is forgotten. */
export interface WindowCount {
  readonly count: number;
  /** Milliseconds until the key is forgotten; 0 when it holds nothing. */
  readonly msLeft: number;
}

/**
 * Points per key in fixed windows: a key's window starts with its first point and lasts the
 * counter's `windowMs`; once it is over the key is forgotten. Each operation is atomic per key,
 * for every caller of the store (all instances, when the store is shared), so callers that add at
 * the same time are counted one by one.
 */
export interface WindowCounter {
  /** Adds points to the key (starting its window if it holds none) and answers what it holds after. */
  add(key: string, points?: number): Promise<WindowCount>;
  /** Takes points back from a key that is still held, never below zero; a forgotten key stays forgotten. */
  subtract(key: string, points?: number): Promise<void>;
  get(key: string): Promise<WindowCount>;
  /** Sets the key to `count` for `ms` from now, whatever it held: a lock that outlasts the window. */
  hold(key: string, count: number, ms: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Where the rate limits keep their counts: in this process, or in a store every instance shares,
 * so that a limit holds in sum across them. Every operation of its counters throws
 * `UnavailableError` when the store fails.
 */
export interface WindowCounters {
  /** The counter called `name`, whose keys live `windowMs` (whole seconds) from their first point. */
  counter(name: string, options: { readonly windowMs: number }): WindowCounter;
}

export const WindowCounters = Symbol.for('chat-backend.WindowCounters');
