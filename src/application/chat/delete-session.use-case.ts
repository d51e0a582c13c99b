import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export interface DeleteSessionInput {
  userId: string;
  sessionId: number | string;
}

/** Soft-deletes the session: its row stays, but it is not found anywhere afterwards. */
export class DeleteSession {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: DeleteSessionInput): Promise<void> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId } = validate(schema, input);
    await this.transactions.run(async () => {
      const session = await this.sessions.findOwned(sessionId, userId, { lock: true });
      if (!session) throw sessionNotFound();
      session.delete(this.clock.now());
      await this.sessions.save(session);
    });
    await this.events.publish({ type: 'session.deleted', userId, sessionId });
  }
}
