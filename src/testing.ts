/**
 * The in-memory harness: the whole backend with no server and no database, for tests and scripts.
 * Every adapter here behaves as the production one does (uniqueness, ordering, soft deletes,
 * transactions), with two differences chosen for speed: bcrypt runs at cost 4, and time is a
 * `ManualClock` that only moves when told, so token expiry can be tested without waiting.
 */
import { randomBytes } from 'node:crypto';
import type { LoginAttemptLimiter } from './application/ports/login-attempt-limiter.port.js';
import type { Ports, UseCases } from './application/use-cases.js';
import { ChatSessionRepository } from './application/ports/chat-session-repository.port.js';
import { Clock } from './application/ports/clock.port.js';
import { EventPublisher } from './application/ports/event-publisher.port.js';
import { IdGenerator } from './application/ports/id-generator.port.js';
import { LoginAttemptLimiter as LoginAttemptLimiterToken } from './application/ports/login-attempt-limiter.port.js';
import { LoginRepository } from './application/ports/login-repository.port.js';
import { MessageRepository } from './application/ports/message-repository.port.js';
import { PasswordHasher } from './application/ports/password-hasher.port.js';
import { TokenIssuer } from './application/ports/token-issuer.port.js';
import { TransactionRunner } from './application/ports/transaction-runner.port.js';
import { UserRepository } from './application/ports/user-repository.port.js';
import { RecordingEventPublisher } from './adapters/events/recording-event-publisher.js';
import { openMemoryPersistence } from './adapters/persistence/memory/open-memory-persistence.js';
import { ManualClock } from './adapters/system/manual-clock.js';
import { RateLimiterLoginAttemptLimiter } from './adapters/throttling/rate-limiter-login-attempt-limiter.js';
import { parseConfig } from './config.js';
import { createContainer, UseCasesToken } from './container.js';

export interface InMemoryChatBackendOptions {
  /** Where the manual clock starts; defaults to 2026-01-01T00:00:00.000Z. */
  now?: Date | string;
  /** bcrypt cost; 4 keeps tests fast. Production uses 12. */
  bcryptRounds?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** A fixed signing secret (at least 32 bytes); by default a random one per backend. */
  tokenSecret?: string;
  /** Failed logins allowed per account and per address before 429s. */
  loginAttempts?: { perAccount?: number; perAddress?: number };
  /** Replaces the failed-login limiter altogether. */
  limiter?: LoginAttemptLimiter;
}

export interface InMemoryChatBackend extends UseCases {
  /** Moves time for every adapter at once. */
  readonly clock: ManualClock;
  /** Every event the use cases published, in order. */
  readonly events: RecordingEventPublisher;
  /** The adapters behind the use cases, to reach past them in tests. */
  readonly ports: Ports;
}

export const createInMemoryChatBackend = (options: InMemoryChatBackendOptions = {}): InMemoryChatBackend => {
  const config = parseConfig({
    NODE_ENV: 'test',
    JWT_SECRET_KEY: options.tokenSecret ?? randomBytes(32).toString('base64url'),
    BCRYPT_ROUNDS: String(options.bcryptRounds ?? 4),
    ACCESS_TOKEN_TTL: String(options.accessTokenTtlSeconds ?? 900),
    REFRESH_TOKEN_TTL: String(options.refreshTokenTtlSeconds ?? 30 * 24 * 3600),
  });
  const clock = new ManualClock(options.now);
  const events = new RecordingEventPublisher();
  const limiter =
    options.limiter ??
    RateLimiterLoginAttemptLimiter.inMemory({
      accountAttempts: options.loginAttempts?.perAccount ?? 5,
      addressAttempts: options.loginAttempts?.perAddress ?? 20,
    });
  const container = createContainer(config, openMemoryPersistence(), { clock, events, limiter });
  const ports: Ports = {
    users: container.get(UserRepository),
    logins: container.get(LoginRepository),
    sessions: container.get(ChatSessionRepository),
    messages: container.get(MessageRepository),
    transactions: container.get(TransactionRunner),
    hasher: container.get(PasswordHasher),
    tokens: container.get(TokenIssuer),
    limiter: container.get(LoginAttemptLimiterToken),
    clock: container.get(Clock),
    ids: container.get(IdGenerator),
    events: container.get(EventPublisher),
  };
  return { ...container.get(UseCasesToken), clock, events, ports };
};

export { ManualClock } from './adapters/system/manual-clock.js';
export { RecordingEventPublisher } from './adapters/events/recording-event-publisher.js';
