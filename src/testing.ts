/**
 * The in-memory harness: the whole backend with no server and no database, for tests and scripts.
 * Every adapter here behaves as the production one does (uniqueness, ordering, soft deletes,
 * transactions), with two differences chosen for speed: bcrypt runs at cost 4, and time is a
 * `ManualClock` that only moves when told, so token expiry and login lockouts can be tested without
 * waiting. Event streams are in process: `realtime.subscribe` hears what a server's WebSocket would.
 */
import type { Ports, UseCases } from './application/use-cases.js';
import type { RealtimeSubscriptions } from './chat-backend.js';
import type { RecordingEventPublisher } from './adapters/events/recording.event-publisher.js';
import type { ManualClock } from './adapters/system/manual.clock.js';
import { createInMemoryComposition, PortsToken, UseCasesToken, type InMemoryCompositionOptions } from './container.js';

export type InMemoryChatBackendOptions = InMemoryCompositionOptions;

export interface InMemoryChatBackend extends UseCases {
  /**
   * Time for everything the harness runs: moving it moves every timestamp the use cases write, the
   * issue and expiry of tokens and logins, the age limit of the event histories, and the windows
   * and locks of every rate limit (past its `Retry-After`, a locked account may log in again).
   */
  readonly clock: ManualClock;
  /** Every event the use cases published, in order. */
  readonly events: RecordingEventPublisher;
  /** The users' event streams, in process, as a server's sockets would receive them. */
  readonly realtime: RealtimeSubscriptions;
  /** The adapters behind the use cases, to reach past them in tests. */
  readonly ports: Ports;
}

export const createInMemoryChatBackend = (options: InMemoryChatBackendOptions = {}): InMemoryChatBackend => {
  const { container, clock, events, streams } = createInMemoryComposition(options);
  return {
    ...container.get(UseCasesToken),
    clock,
    events,
    realtime: { subscribe: (userId, listener, subscribeOptions) => streams.subscribe(userId, listener, subscribeOptions) },
    ports: container.get(PortsToken),
  };
};

export { ManualClock } from './adapters/system/manual.clock.js';
export { RecordingEventPublisher } from './adapters/events/recording.event-publisher.js';
