import * as v from 'valibot';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export interface LogOutEverywhereOutput {
  /** How many logins were still live and are now ended. */
  revoked: number;
}

/** Ends every login of the user, this one included: for a lost device or a leaked token. */
export class LogOutEverywhere {
  constructor(
    private readonly logins: LoginRepository,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: { userId: string }): Promise<LogOutEverywhereOutput> {
    const { userId } = validate(schema, input);
    const loginIds = await this.logins.revokeAllOfUser(userId, this.clock.now());
    if (loginIds.length > 0) await this.events.publish({ type: 'logins.ended', userId, loginIds });
    return { revoked: loginIds.length };
  }
}
