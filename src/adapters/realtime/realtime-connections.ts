import type { EventStreams } from './event-streams.js';

/** Why the server ends a connection: its login ended, or the server is shutting down. */
export type CloseReason = 'login_ended' | 'shutdown';

/** One open WebSocket or event stream, as the registry sees it. */
export interface RealtimeConnection {
  readonly userId: string;
  readonly loginId: string;
  close(reason: CloseReason): void;
}

/**
 * Every real-time connection of this instance, WebSocket and event stream alike: the per-user cap
 * counts both, a login that ends (told by the streams, from any instance) closes exactly the
 * connections opened with it, and shutdown closes them all.
 */
export class RealtimeConnections {
  private readonly byUser = new Map<string, Set<RealtimeConnection>>();

  constructor(
    private readonly maxPerUser: number,
    streams: EventStreams,
  ) {
    streams.onLoginsEnded((userId, loginIds) => {
      const ended = new Set(loginIds);
      for (const connection of [...(this.byUser.get(userId) ?? [])]) {
        if (ended.has(connection.loginId)) connection.close('login_ended');
      }
    });
  }

  /** Adds the connection, or returns false when its user already holds as many as allowed. */
  admit(connection: RealtimeConnection): boolean {
    let connections = this.byUser.get(connection.userId);
    if (!connections) this.byUser.set(connection.userId, (connections = new Set()));
    if (connections.size >= this.maxPerUser) return false;
    connections.add(connection);
    return true;
  }

  remove(connection: RealtimeConnection): void {
    const connections = this.byUser.get(connection.userId);
    if (!connections?.delete(connection)) return;
    if (connections.size === 0) this.byUser.delete(connection.userId);
  }

  get size(): number {
    let total = 0;
    for (const connections of this.byUser.values()) total += connections.size;
    return total;
  }

  closeAll(reason: CloseReason): void {
    for (const connections of [...this.byUser.values()]) for (const connection of [...connections]) connection.close(reason);
  }
}
