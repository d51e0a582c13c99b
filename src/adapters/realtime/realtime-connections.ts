import type { Principal } from '../../application/auth/principal.js';
import type { EventStreams } from './event-streams.js';

/** Why the server ends a connection: its login ended, or the server is shutting down. */
export type CloseReason = 'login_ended' | 'shutdown';

/** How a connection is held: a WebSocket at `/ws`, or an event stream at `/events`. */
export type RealtimeTransport = 'websocket' | 'event_stream';

/** One open WebSocket or event stream, as the registry sees it. */
export interface RealtimeConnection {
  readonly transport: RealtimeTransport;
  readonly userId: string;
  readonly loginId: string;
  close(reason: CloseReason): void;
}

export interface RealtimeConnectionsOptions {
  readonly maxPerUser: number;
  readonly streams: EventStreams;
  /** Whether a login is still live (the `CheckLogin` use case). */
  readonly isLive: (principal: Principal) => Promise<boolean>;
  /** How long an ended login is remembered, to refuse a connection that authenticated just before it ended. */
  readonly rememberEndedMs?: number;
}

/**
 * Every real-time connection of this instance, WebSocket and event stream alike: the per-user cap
 * counts both, a login that ends (told by the streams, from any instance) closes exactly the
 * connections opened with it, and shutdown closes them all.
 */
export class RealtimeConnections {
  private readonly byUser = new Map<string, Set<RealtimeConnection>>();
  /** Logins that ended lately, with when to forget them, oldest first. */
  private readonly ended = new Map<string, number>();

  constructor(private readonly options: RealtimeConnectionsOptions) {
    options.streams.onLoginsEnded((userId, loginIds) => {
      const forgetAt = Date.now() + (options.rememberEndedMs ?? 60_000);
      for (const loginId of loginIds) {
        // Moved to the back, so the map stays in order of when to forget.
        this.ended.delete(loginId);
        this.ended.set(loginId, forgetAt);
      }
      const ended = new Set(loginIds);
      for (const connection of [...(this.byUser.get(userId) ?? [])]) {
        if (ended.has(connection.loginId)) connection.close('login_ended');
      }
    });
  }

  /**
   * Adds the connection, or says why not: its user already holds as many as allowed, or its
   * login ended while it was being authenticated (the news came before it was registered here).
   */
  admit(connection: RealtimeConnection): 'admitted' | 'too_many' | 'login_ended' {
    this.forgetOldEnded();
    if (this.ended.has(connection.loginId)) return 'login_ended';
    let connections = this.byUser.get(connection.userId);
    if (!connections) this.byUser.set(connection.userId, (connections = new Set()));
    if (connections.size >= this.options.maxPerUser) return 'too_many';
    connections.add(connection);
    return 'admitted';
  }

  remove(connection: RealtimeConnection): void {
    const connections = this.byUser.get(connection.userId);
    if (!connections?.delete(connection)) return;
    if (connections.size === 0) this.byUser.delete(connection.userId);
  }

  /**
   * Closes the connection if its login is no longer live. For after a `resync`: the end of a
   * login announced during an outage may never have reached this instance.
   */
  async confirm(connection: RealtimeConnection): Promise<void> {
    const live = await this.options.isLive({ userId: connection.userId, loginId: connection.loginId }).catch(() => true);
    if (!live) connection.close('login_ended');
  }

  get size(): number {
    let total = 0;
    for (const connections of this.byUser.values()) total += connections.size;
    return total;
  }

  /** The connections open now, by transport (what the metrics show). */
  countByTransport(): Record<RealtimeTransport, number> {
    const counts: Record<RealtimeTransport, number> = { websocket: 0, event_stream: 0 };
    for (const connections of this.byUser.values()) for (const connection of connections) counts[connection.transport] += 1;
    return counts;
  }

  closeAll(reason: CloseReason): void {
    for (const connections of [...this.byUser.values()]) for (const connection of [...connections]) connection.close(reason);
  }

  private forgetOldEnded(): void {
    const now = Date.now();
    for (const [loginId, forgetAt] of this.ended) {
      if (forgetAt > now) break;
      this.ended.delete(loginId);
    }
  }
}
