import * as v from 'valibot';
import { invalidToken, wrongCurrentPassword } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { LoginThrottle } from '../throttling/login-throttle.service.js';
import { typedPasswordField, userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { clientInfoField, type ClientInfo } from './client-info.js';
import { passwordAttemptOf } from './account-key.js';

const schema = v.object(
  { userId: userIdField, currentPassword: typedPasswordField, client: clientInfoField },
  'must be an object',
);

export interface DeleteAccountInput {
  userId: string;
  currentPassword: string;
  /** Where the request comes from: a wrong current password counts against its address too. */
  client?: ClientInfo;
}

/**
 * Removes the account for good, with its logins, sessions and messages. Checks of the current
 * password are limited like logins, and share the account's count with them.
 */
export class DeleteAccount {
  constructor(
    private readonly users: UserRepository,
    private readonly logins: LoginRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: DeleteAccountInput): Promise<void> {
    const { userId, currentPassword, client } = validate(schema, input);
    const user = await this.users.findById(userId);
    if (!user) throw invalidToken();
    // Counted before the comparison, so guesses made at the same time cannot all get through.
    const attempt = passwordAttemptOf(user, client.address, this.logins);
    if (!(await this.throttle.check(attempt, () => this.hasher.verify(currentPassword, user.passwordHash)))) throw wrongCurrentPassword();

    const ended = await this.transactions.run(async () => {
      const loginIds = await this.logins.revokeAllOfUser(userId, this.clock.now());
      await this.users.delete(userId);
      return loginIds;
    });
    if (ended.length > 0) await this.events.publish({ type: 'logins.ended', userId, loginIds: ended });
  }
}
