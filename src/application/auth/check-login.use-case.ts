import * as v from 'valibot';
import type { Clock } from '../ports/clock.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import type { Principal } from './principal.js';

const schema = v.object({ userId: userIdField, loginId: userIdField }, 'must be an object');

/**
 * Whether a caller authenticated earlier is still signed in: its login live, its account there
 * and active. For long-lived connections, which authenticate once and must not outlive the
 * login when the news of its end may have been missed.
 */
export class CheckLogin {
  constructor(
    private readonly logins: LoginRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: Principal): Promise<boolean> {
    const { userId, loginId } = validate(schema, input);
    const owner = await this.logins.findLiveOwner(loginId, this.clock.now());
    return owner !== null && owner.userId === userId && owner.isActive;
  }
}
