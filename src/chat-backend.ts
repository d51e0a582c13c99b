import type { EventStreams } from './adapters/realtime/event-streams.js';
import type { UseCases } from './application/use-cases.js';
import type { AppConfig } from './config.js';
import {
  CounterStoreToken,
  createContainer,
  EventStreamsToken,
  IdleStreamSweeperToken,
  openPersistence,
  UseCasesToken,
  type PortOverrides,
} from './container.js';

/** What an in-process caller may do with the event streams: listen to a user's, from a position. */
export type RealtimeSubscriptions = Pick<EventStreams, 'subscribe'>;

export interface ChatBackend extends UseCases {
  /** Each user's changes as the server's sockets get them: a replay from `since`, `ready`, then live. */
  readonly realtime: RealtimeSubscriptions;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  /** Stops the idle-stream sweep, then closes the database pool, the event streams and the rate-limit counters; the use cases must not be called afterwards. */
  close(): Promise<void>;
}

/**
 * The library entry: every use case wired to the database the configuration names (MySQL or the
 * embedded SQLite file), for callers that import the backend instead of running the server. With
 * `REDIS_URL` its events reach (and come from) the servers sharing that Redis.
 */
export const createChatBackend = async (config: AppConfig, overrides: PortOverrides = {}): Promise<ChatBackend> => {
  const persistence = await openPersistence(config.database, { migrate: config.migrateOnStart });
  const container = createContainer(config, persistence, overrides);
  const streams = container.get(EventStreamsToken);
  const counters = container.get(CounterStoreToken);
  try {
    await streams.start();
    await counters.start();
  } catch (error) {
    await streams.close().catch(() => undefined);
    await persistence.close();
    throw error;
  }
  // Idle streams expire for a library caller as they do behind a server (and alongside servers).
  const sweeper = container.get(IdleStreamSweeperToken);
  sweeper.start();
  return {
    ...container.get(UseCasesToken),
    realtime: { subscribe: (userId, listener, options) => streams.subscribe(userId, listener, options) },
    ping: () => persistence.ping(),
    close: async () => {
      await sweeper.stop();
      await persistence.close();
      await streams.close();
      await counters.close();
    },
  };
};
