import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { titleField, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toSessionView, type SessionView } from '../views/session.view.js';

const schema = v.object({ userId: userIdField, title: titleField }, 'must be an object');

export interface RenameSessionInput {
  userId: string;
  sessionId: number | string;
  title: string;
}

export class RenameSession {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: RenameSessionInput): Promise<SessionView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId, title } = validate(schema, input);
    const view = await this.transactions.run(async () => {
      const session = await this.sessions.findOwned(sessionId, userId, { lock: true });
      if (!session) throw sessionNotFound();
      session.rename(title, this.clock.now());
      await this.sessions.save(session);
      return toSessionView(session);
    });
    await this.events.publish({ type: 'session.updated', userId, session: view });
    return view;
  }
}
