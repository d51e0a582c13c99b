import { describe, expect, it, vi } from 'vitest';

import type { DomainEvent } from '../../../src/application/ports/event-publisher.port.js';
import { InProcessEventBus } from '../../../src/adapters/events/in-process.event-bus.js';

const sessionDeleted = (sessionId: number): DomainEvent => ({ type: 'session.deleted', userId: 'user-1', sessionId });

describe('InProcessEventBus', () => {
  it('delivers a published event to every subscriber', async () => {
    const bus = new InProcessEventBus();
    const first: DomainEvent[] = [];
    const second: DomainEvent[] = [];
    bus.subscribe((event) => void first.push(event));
    bus.subscribe((event) => void second.push(event));

    await bus.publish(sessionDeleted(7));

    expect(first).toEqual([sessionDeleted(7)]);
    expect(second).toEqual([sessionDeleted(7)]);
  });

  it('publishes to nobody without failing when no one listens', async () => {
    await expect(new InProcessEventBus().publish(sessionDeleted(1))).resolves.toBeUndefined();
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    const bus = new InProcessEventBus();
    const listener = vi.fn();
    const unsubscribe = bus.subscribe(listener);

    unsubscribe();
    await bus.publish(sessionDeleted(1));

    expect(listener).not.toHaveBeenCalled();
    expect(bus.listenerCount).toBe(0);
  });

  it('treats two subscriptions of one function as two, each ended by its own unsubscribe', async () => {
    const bus = new InProcessEventBus();
    const listener = vi.fn();
    const unsubscribeFirst = bus.subscribe(listener);
    bus.subscribe(listener);

    unsubscribeFirst();
    unsubscribeFirst();
    await bus.publish(sessionDeleted(1));

    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('waits for asynchronous listeners before the publish settles', async () => {
    const bus = new InProcessEventBus();
    let delivered = false;
    bus.subscribe(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      delivered = true;
    });

    await bus.publish(sessionDeleted(1));

    expect(delivered).toBe(true);
  });

  it('when a listener throws, then the others still receive the event and publish succeeds', async () => {
    const onListenerError = vi.fn();
    const bus = new InProcessEventBus({ onListenerError });
    const failure = new Error('socket closed');
    const healthy = vi.fn();
    bus.subscribe(() => {
      throw failure;
    });
    bus.subscribe(healthy);

    await expect(bus.publish(sessionDeleted(1))).resolves.toBeUndefined();

    expect(healthy).toHaveBeenCalledWith(sessionDeleted(1));
    expect(onListenerError).toHaveBeenCalledWith(failure, sessionDeleted(1));
  });

  it('when a listener rejects, then publish still succeeds and the error is reported', async () => {
    const onListenerError = vi.fn();
    const bus = new InProcessEventBus({ onListenerError });
    const failure = new Error('redis down');
    bus.subscribe(() => Promise.reject(failure));

    await expect(bus.publish(sessionDeleted(1))).resolves.toBeUndefined();

    expect(onListenerError).toHaveBeenCalledWith(failure, sessionDeleted(1));
  });

  it('when the error hook itself throws, then publish still succeeds', async () => {
    const bus = new InProcessEventBus({
      onListenerError: () => {
        throw new Error('logger broken');
      },
    });
    bus.subscribe(() => {
      throw new Error('listener broken');
    });
    bus.subscribe(() => Promise.reject(new Error('listener broken too')));

    await expect(bus.publish(sessionDeleted(1))).resolves.toBeUndefined();
  });

  it('delivers an event to those subscribed when it was published, even if one unsubscribes another meanwhile', async () => {
    const bus = new InProcessEventBus();
    const second = vi.fn();
    let unsubscribeSecond = (): void => {};
    bus.subscribe(() => unsubscribeSecond());
    unsubscribeSecond = bus.subscribe(second);

    await bus.publish(sessionDeleted(1));
    await bus.publish(sessionDeleted(2));

    expect(second).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledWith(sessionDeleted(1));
  });
});
