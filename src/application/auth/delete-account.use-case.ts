import * as v from 'valibot';
import { invalidToken, wrongCurrentPassword } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { presentPasswordField, userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField, currentPassword: presentPasswordField }, 'must be an object');

export interface DeleteAccountInput {
  userId: string;
  currentPassword: string;
}

/** Removes the account for good, with its logins, sessions and messages. */
export class DeleteAccount {
  constructor(
    private readonly users: UserRepository,
    private readonly logins: LoginRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: DeleteAccountInput): Promise<void> {
    const { userId, currentPassword } = validate(schema, input);
    const user = await this.users.findById(userId);
    if (!user) throw invalidToken();
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) throw wrongCurrentPassword();

    const ended = await this.transactions.run(async () => {
      const loginIds = await this.logins.revokeAllOfUser(userId, this.clock.now());
      await this.users.delete(userId);
      return loginIds;
    });
    if (ended.length > 0) await this.events.publish({ type: 'logins.ended', userId, loginIds: ended });
  }
}
