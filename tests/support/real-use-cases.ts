import { randomBytes } from 'node:crypto';
import { RecordingEventPublisher } from '../../src/adapters/events/recording.event-publisher.js';
import type { Persistence } from '../../src/adapters/persistence/persistence.js';
import type { UseCases } from '../../src/application/use-cases.js';
import { parseConfig } from '../../src/config.js';
import { createContainer, UseCasesToken } from '../../src/container.js';

export interface RealUseCases {
  readonly useCases: UseCases;
  /** Every event the use cases published, oldest first. */
  readonly events: RecordingEventPublisher;
}

/**
 * The application exactly as the server composes it (the container), over the given persistence,
 * with bcrypt at its lowest cost (the tests are about the database's behaviour, not the hash's
 * strength) and a recording of every event: so a test through here fails when a use case's own
 * steps are wrong, not only when an adapter is.
 */
export const realUseCasesOver = (persistence: Persistence): RealUseCases => {
  const events = new RecordingEventPublisher();
  const config = parseConfig({ NODE_ENV: 'test', JWT_SECRET_KEY: randomBytes(32).toString('hex'), BCRYPT_ROUNDS: '4' });
  const useCases = createContainer(config, persistence, { events }).get(UseCasesToken);
  return { useCases, events };
};
