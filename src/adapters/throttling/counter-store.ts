import type { WindowCounters } from '../../application/ports/window-counters.port.js';

/** The counters as the composition root holds them: with a connection to open first and to close last. */
export interface CounterStore extends WindowCounters {
  start(): Promise<void>;
  close(): Promise<void>;
}
