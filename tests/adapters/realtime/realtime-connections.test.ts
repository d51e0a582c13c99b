import { describe, expect, it } from 'vitest';
import { InProcessEventStreams } from '../../../src/adapters/realtime/in-process.event-streams.js';
import { RealtimeConnections, type CloseReason, type RealtimeTransport } from '../../../src/adapters/realtime/realtime-connections.js';
import { SystemClock } from '../../../src/adapters/system/system.clock.js';
import { HOUR } from '../../support/builders.js';

const setUp = (isLive: () => Promise<boolean> = async () => true) => {
  const streams = new InProcessEventStreams({ history: { maxEvents: 10, maxAgeMs: HOUR, maxBytes: 1024 * 1024 }, clock: new SystemClock() });
  const connections = new RealtimeConnections({ maxPerUser: 2, streams, isLive });
  const connection = (userId: string, loginId: string, transport: RealtimeTransport = 'websocket') => {
    const closes: CloseReason[] = [];
    return { transport, userId, loginId, closes, close: (reason: CloseReason) => closes.push(reason) };
  };
  return { streams, connections, connection };
};

describe('RealtimeConnections', () => {
  it('when a login ends, closes exactly the connections opened with it', async () => {
    const { streams, connections, connection } = setUp();
    const [ending, other, stranger] = [connection('u1', 'l1'), connection('u1', 'l2'), connection('u2', 'l1-of-someone-else')];
    for (const each of [ending, other, stranger]) expect(connections.admit(each)).toBe('admitted');
    await streams.publish({ type: 'logins.ended', userId: 'u1', loginIds: ['l1'] });
    expect([ending.closes, other.closes, stranger.closes]).toEqual([['login_ended'], [], []]);
  });

  it('when a login ended while its connection was still authenticating, the connection is refused on arrival', async () => {
    const { streams, connections, connection } = setUp();
    await streams.publish({ type: 'logins.ended', userId: 'u1', loginIds: ['l1'] });
    expect(connections.admit(connection('u1', 'l1'))).toBe('login_ended');
    expect(connections.admit(connection('u1', 'l2'))).toBe('admitted');
  });

  it('counts the open connections by transport, as they come and go', () => {
    const { connections, connection } = setUp();
    const [socket, stream, other] = [connection('u1', 'a'), connection('u1', 'b', 'event_stream'), connection('u2', 'c', 'event_stream')];
    for (const each of [socket, stream, other]) connections.admit(each);
    expect(connections.countByTransport()).toEqual({ websocket: 1, event_stream: 2 });
    connections.remove(stream);
    connections.remove(socket);
    expect(connections.countByTransport()).toEqual({ websocket: 0, event_stream: 1 });
  });

  it("refuses a user's connection over the cap, and admits one again once another leaves", () => {
    const { connections, connection } = setUp();
    const [first, second, third] = [connection('u1', 'a'), connection('u1', 'b'), connection('u1', 'c')];
    expect([connections.admit(first), connections.admit(second), connections.admit(third)]).toEqual(['admitted', 'admitted', 'too_many']);
    connections.remove(first);
    expect(connections.admit(third)).toBe('admitted');
    expect(connections.size).toBe(2);
  });

  it('when asked to confirm a connection whose login is no longer live, closes it; a live one stays', async () => {
    const live = new Set(['l2']);
    const { connection } = setUp();
    const withCheck = new RealtimeConnections({
      maxPerUser: 2,
      streams: setUp().streams,
      isLive: async ({ loginId }) => live.has(loginId),
    });
    const [dead, alive] = [connection('u1', 'l1'), connection('u1', 'l2')];
    withCheck.admit(dead);
    withCheck.admit(alive);
    await withCheck.confirm(dead);
    await withCheck.confirm(alive);
    expect(dead.closes).toEqual(['login_ended']);
    expect(alive.closes).toEqual([]);
  });

  it('closes every connection on shutdown', () => {
    const { connections, connection } = setUp();
    const all = [connection('u1', 'a'), connection('u2', 'b')];
    for (const each of all) connections.admit(each);
    connections.closeAll('shutdown');
    expect(all.map((each) => each.closes)).toEqual([['shutdown'], ['shutdown']]);
  });
});
