import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../../application/ports/clock.port.js';
import type { DomainEvent } from '../../application/ports/event-publisher.port.js';
import { UnavailableError } from '../../domain/domain-error.js';
import { redisConnectionOptions, safeRedisUrl } from '../redis/redis-connection.js';
import type { EventStreams, FrameListener, HistoryLimits, LoginsEndedListener, StreamSubscription, SubscribeOptions } from './event-streams.js';
import { LocalSubscribers } from './local-subscribers.js';
import { presentDelta, presentEvent } from './present-event.js';
import { recover } from './recovery.js';
import { PUBLISH_SCRIPT, READ_SCRIPT, SKIP_SCRIPT } from './redis-scripts.js';
import { positioned, type DeltaFrame, type EventPayload, type StreamEvent } from './stream-frame.js';
import { newEpoch } from './stream-position.schema.js';

export interface RedisEventStreamsOptions {
  readonly url: string;
  /** Prepended to every key and to the channel, so several deployments can share one Redis. */
  readonly keyPrefix: string;
  readonly history: HistoryLimits;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** A command with no answer for this long counts as an outage. */
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** How often both connections are pinged, to notice a Redis that stopped answering. */
  readonly probeIntervalMs?: number;
}

/** How long a user's epoch and last offset outlive their last use (after that the stream starts anew). */
const META_TTL_MS = 30 * 24 * 3600 * 1000;

type RedisReply = string | number | null | RedisReply[];

interface ScriptedRedis extends Redis {
  chatPublish(meta: string, events: string, ...args: Array<string | number>): Promise<[string, number]>;
  chatRead(meta: string, events: string, ...args: Array<string | number>): Promise<[string, number, RedisReply[]]>;
  chatSkip(meta: string): Promise<number>;
}

/**
 * The streams of any number of instances, in Redis: offsets and history in per-user keys written
 * by one script (see `redis-scripts.ts`), fan-out over one pub/sub channel that every instance
 * listens to and routes to its own subscribers. Commands never queue while Redis is away: an
 * outage (a connection closed, or the periodic ping unanswered) is announced as `degraded`, the
 * events that could not be stored are dropped (the changes themselves are committed) but leave a
 * hole in their user's offsets once Redis is back, so no replay across them claims to be complete,
 * and then subscribers get `resync`.
 */
export class RedisEventStreams implements EventStreams {
  private readonly commands: ScriptedRedis;
  private readonly listener: Redis;
  private readonly subscribers: LocalSubscribers;
  private readonly channel: string;
  /** Tags this instance's `logins.ended` announcements, which it has already acted on. */
  private readonly instanceId = randomBytes(8).toString('base64url');
  private commandsUp = false;
  private listening = false;
  private probeFailing = false;
  /** Users with an event this instance could not store, whose offsets must skip one when Redis is back. */
  private readonly lostUsers = new Set<string>();
  private healthy = false;
  private started = false;
  private closed = false;
  private probe: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisEventStreamsOptions) {
    this.subscribers = new LocalSubscribers((error) => options.logger.error({ err: error }, 'a real-time listener failed'));
    this.channel = `${options.keyPrefix}events`;
    const connection = redisConnectionOptions(options);
    this.commands = new Redis(options.url, connection) as ScriptedRedis;
    this.commands.defineCommand('chatPublish', { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
    this.commands.defineCommand('chatRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    this.commands.defineCommand('chatSkip', { numberOfKeys: 1, lua: SKIP_SCRIPT });
    this.listener = new Redis(options.url, connection);

    // ioredis reports every failed reconnect attempt; the state changes are logged instead.
    this.commands.on('error', () => undefined);
    this.listener.on('error', () => undefined);
    this.commands.on('ready', () => {
      this.commandsUp = true;
      this.update();
    });
    this.commands.on('close', () => {
      this.commandsUp = false;
      this.update();
    });
    this.listener.on('ready', () => void this.listen());
    this.listener.on('close', () => {
      this.listening = false;
      this.update();
    });
    this.listener.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.receive(message);
      } catch (error) {
        // Something else published on our channel: ignore it rather than fail the connection.
        options.logger.warn({ err: error }, 'ignored a malformed real-time announcement');
      }
    });
  }

  async start(): Promise<void> {
    try {
      await Promise.all([this.commands.connect(), this.listener.connect()]);
      await this.listen();
      if (!this.listening) throw new Error('could not subscribe');
    } catch (error) {
      this.commands.disconnect();
      this.listener.disconnect();
      throw new Error(`cannot reach Redis at ${safeRedisUrl(this.options.url)}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    this.healthy = this.commandsUp && this.listening;
    this.started = true;
    const interval = this.options.probeIntervalMs ?? 1_000;
    this.probe = setInterval(() => void this.ping(), interval);
    this.probe.unref();
  }

  async publish(event: DomainEvent): Promise<void> {
    if (event.type === 'logins.ended') {
      // Acted on here at once, so this instance's connections close even while Redis is away.
      this.subscribers.loginsEnded(event.userId, event.loginIds);
      await this.command(() =>
        this.commands.publish(this.channel, `L\n${this.instanceId}\n${event.userId}\n${JSON.stringify(event.loginIds)}`),
      );
      return;
    }
    if (event.type === 'message.delta') {
      // Not stored, so nothing is lost for the offsets while Redis is away: a client that missed
      // a delta is told to resync and reads the text so far.
      if (!this.commandsUp || this.probeFailing) return;
      // On the channel the events use, from the connection their script publishes on: Redis keeps
      // one connection's messages in order, so watchers see deltas and events as they were published.
      await this.command(() => this.commands.publish(this.channel, `D\n${event.userId}\n${JSON.stringify(presentDelta(event))}`));
      return;
    }
    const payload = presentEvent(event);
    if (!payload) return;
    // Known to be away: the event is dropped at once rather than making the request that
    // committed it wait for a command to time out.
    if (!this.commandsUp || this.probeFailing) {
      this.lostUsers.add(event.userId);
      return;
    }
    const { history } = this.options;
    const stored = await this.command(() =>
      this.commands.chatPublish(
        ...this.keysOf(event.userId),
        newEpoch(),
        JSON.stringify(payload),
        history.maxEvents,
        history.maxBytes,
        this.options.clock.now().getTime(),
        history.maxAgeMs,
        this.metaTtlMs(),
        this.channel,
        event.userId,
      ),
    );
    if (!stored) this.lostUsers.add(event.userId);
  }

  async subscribe(userId: string, listener: FrameListener, options: SubscribeOptions = {}): Promise<StreamSubscription> {
    if (!this.healthy) throw new UnavailableError('Real-time updates are unavailable');
    // Registered before the history is read, so an event published meanwhile is held, not lost.
    const subscriber = this.subscribers.add(userId, listener);
    try {
      const since = options.since ?? null;
      const [epoch, top, entries] = await this.commands.chatRead(
        ...this.keysOf(userId),
        newEpoch(),
        since?.epoch ?? '',
        since?.offset ?? 0,
        this.metaTtlMs(),
      );
      const head = { epoch, offset: Number(top) };
      const { replay, recovered } = recover(since, head, this.held(epoch, entries));
      this.subscribers.start(subscriber, replay, head, recovered);
    } catch (error) {
      this.subscribers.remove(subscriber);
      this.options.logger.warn({ err: error }, 'reading a stream from Redis failed');
      throw new UnavailableError('Real-time updates are unavailable', { cause: error });
    }
    // The outage began while the history was read: this subscriber missed the announcement.
    if (!this.healthy) this.subscribers.tell(subscriber, { type: 'degraded' });
    return { close: () => this.subscribers.remove(subscriber) };
  }

  onLoginsEnded(listener: LoginsEndedListener): () => void {
    return this.subscribers.onLoginsEnded(listener);
  }

  isHealthy(): boolean {
    return this.healthy;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probe);
    await Promise.all(
      [this.commands, this.listener].map(async (connection) => {
        if (connection.status !== 'ready') {
          connection.disconnect();
          return;
        }
        await connection.quit().catch(() => connection.disconnect());
      }),
    );
  }

  private metaTtlMs(): number {
    return Math.max(META_TTL_MS, this.options.history.maxAgeMs);
  }

  private keysOf(userId: string): [string, string] {
    const base = `${this.options.keyPrefix}stream:{${userId}}`;
    return [`${base}:meta`, `${base}:events`];
  }

  /** The entries of a read, as events, without those older than the history keeps. */
  private held(epoch: string, entries: RedisReply[]): StreamEvent[] {
    const oldest = this.options.clock.now().getTime() - this.options.history.maxAgeMs;
    const events: StreamEvent[] = [];
    for (const entry of entries) {
      if (!Array.isArray(entry)) continue;
      const [id, fields] = entry;
      if (typeof id !== 'string' || !Array.isArray(fields)) continue;
      const values = new Map<string, string>();
      for (let index = 0; index + 1 < fields.length; index += 2) values.set(String(fields[index]), String(fields[index + 1]));
      if (Number(values.get('t')) < oldest) continue;
      const payload = JSON.parse(values.get('d') ?? '{}') as EventPayload;
      events.push(positioned(payload, { epoch, offset: Number.parseInt(id, 10) }));
    }
    return events;
  }

  /** One announcement from the channel: an event of a user's stream, a delta, or logins that ended. */
  private receive(message: string): void {
    const kind = message.slice(0, 2);
    if (kind === 'E\n') {
      const [, userId, epoch, offset] = message.split('\n', 4);
      if (!userId || !epoch || !offset) return;
      const start = 2 + userId.length + 1 + epoch.length + 1 + offset.length + 1;
      if (!this.subscribers.hasSubscribers(userId)) return;
      const payload = JSON.parse(message.slice(start)) as EventPayload;
      this.subscribers.deliver(userId, positioned(payload, { epoch, offset: Number(offset) }));
    } else if (kind === 'D\n') {
      const end = message.indexOf('\n', 2);
      const userId = message.slice(2, end);
      if (end < 0 || !this.subscribers.hasSubscribers(userId)) return;
      this.subscribers.deliverDelta(userId, JSON.parse(message.slice(end + 1)) as DeltaFrame);
    } else if (kind === 'L\n') {
      const [, origin, userId, loginIds] = message.split('\n', 4);
      if (!userId || !loginIds || origin === this.instanceId) return;
      this.subscribers.loginsEnded(userId, JSON.parse(loginIds) as string[]);
    }
  }

  private async listen(): Promise<void> {
    try {
      await this.listener.subscribe(this.channel);
      this.listening = true;
    } catch (error) {
      this.listening = false;
      this.options.logger.warn({ err: error }, 'subscribing to the real-time channel failed; retrying');
    }
    this.update();
  }

  /** Runs every probe interval: retries a failed subscription, and notices a Redis that stopped answering. */
  private async ping(): Promise<void> {
    if (!this.listening && this.listener.status === 'ready') await this.listen();
    try {
      await Promise.all([this.commands.ping(), this.listener.ping()]);
      this.probeFailing = false;
    } catch {
      this.probeFailing = true;
    }
    this.update();
  }

  /** Whether the command ran; a failure is logged, and health is left to the connections and the probe. */
  private async command(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (!this.closed) this.options.logger.warn({ err: error }, 'a Redis command failed; its event is lost');
      return false;
    }
  }

  /** Leaves a hole in the offsets of every user whose event was lost; those not reached stay for next time. */
  private async markLosses(): Promise<void> {
    for (const userId of [...this.lostUsers]) {
      if (await this.command(() => this.commands.chatSkip(this.keysOf(userId)[0]))) this.lostUsers.delete(userId);
    }
  }

  /** Announces every change of health to the subscribers of this instance. */
  private update(): void {
    if (!this.started || this.closed) return;
    const healthy = this.commandsUp && this.listening && !this.probeFailing;
    if (healthy === this.healthy) return;
    this.healthy = healthy;
    if (healthy) {
      this.options.logger.info('Redis answers again; real-time subscribers are told to resync');
      void this.markLosses().finally(() => this.subscribers.broadcast({ type: 'resync' }));
    } else {
      this.options.logger.warn('Redis is unreachable; real-time subscribers are told delivery is degraded');
      this.subscribers.broadcast({ type: 'degraded' });
    }
  }
}
