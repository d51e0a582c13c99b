import { randomBytes } from 'node:crypto';
import { RecordingEventPublisher } from '../../src/adapters/events/recording.event-publisher.js';
import type { Persistence } from '../../src/adapters/persistence/persistence.js';
import { BcryptPasswordHasher } from '../../src/adapters/security/bcrypt.password-hasher.js';
import { JwtTokenIssuer } from '../../src/adapters/security/jwt.token-issuer.js';
import { CryptoIdGenerator } from '../../src/adapters/system/crypto.id-generator.js';
import { SystemClock } from '../../src/adapters/system/system.clock.js';
import { RateLimiterLoginAttemptLimiter } from '../../src/adapters/throttling/rate-limiter.login-attempt-limiter.js';
import { createUseCases, type UseCases } from '../../src/application/use-cases.js';

/** bcrypt's lowest cost: the tests are about the database's behaviour, not the hash's strength. */
const TEST_BCRYPT_ROUNDS = 4;

export interface RealUseCases {
  readonly useCases: UseCases;
  /** Every event the use cases published, oldest first. */
  readonly events: RecordingEventPublisher;
}

/**
 * The application exactly as the server wires it (`createUseCases`), over the given persistence's
 * repositories and transaction runner, with the real adapters for everything else: so a test
 * through here fails when a use case's own steps are wrong, not only when an adapter is.
 */
export const realUseCasesOver = (persistence: Persistence): RealUseCases => {
  const clock = new SystemClock();
  const ids = new CryptoIdGenerator();
  const events = new RecordingEventPublisher();
  const useCases = createUseCases({
    users: persistence.users,
    logins: persistence.logins,
    sessions: persistence.sessions,
    messages: persistence.messages,
    transactions: persistence.transactions,
    hasher: new BcryptPasswordHasher(TEST_BCRYPT_ROUNDS),
    tokens: new JwtTokenIssuer({
      secret: randomBytes(32).toString('hex'),
      issuer: 'chat-backend-test',
      audience: 'chat-backend-test',
      accessTtlSeconds: 900,
      refreshTtlSeconds: 86_400,
      clock,
      idGenerator: ids,
    }),
    limiter: RateLimiterLoginAttemptLimiter.inMemory(),
    clock,
    ids,
    events,
  });
  return { useCases, events };
};
