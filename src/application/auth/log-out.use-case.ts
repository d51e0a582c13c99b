import * as v from 'valibot';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import type { Principal } from './principal.js';

const schema = v.object({ userId: userIdField, loginId: userIdField }, 'must be an object');

/** Ends the caller's login: its refresh token and every access token of it stop working now. */
export class LogOut {
  constructor(
    private readonly logins: LoginRepository,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: Principal): Promise<void> {
    const { userId, loginId } = validate(schema, input);
    const login = await this.logins.findById(loginId);
    if (!login || login.userId !== userId) return;
    login.revoke(this.clock.now());
    if (await this.logins.saveRevocation(login)) {
      await this.events.publish({ type: 'logins.ended', userId, loginIds: [loginId] });
    }
  }
}
