import * as v from 'valibot';
import { emailTaken, invalidToken, usernameTaken, ValidationError, wrongCurrentPassword } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { CommonPasswordList } from '../ports/common-password-list.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { LoginThrottle } from '../throttling/login-throttle.service.js';
import { emailField, passwordField, typedPasswordField, userIdField, usernameField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { toUserView, type UserView } from '../views/user.view.js';
import { clientInfoField, type ClientInfo } from './client-info.js';
import { passwordAttemptOf } from './account-key.js';
import { refuseCommonPassword } from './common-password.js';

const schema = v.object(
  {
    userId: userIdField,
    loginId: userIdField,
    username: v.optional(usernameField),
    email: v.optional(emailField),
    password: v.optional(passwordField),
    currentPassword: v.optional(typedPasswordField),
    client: clientInfoField,
  },
  'must be an object',
);

export interface UpdateProfileInput {
  userId: string;
  /** The login making the change; it stays signed in when the password changes. */
  loginId: string;
  username?: string;
  email?: string;
  password?: string;
  currentPassword?: string;
  /** Where the request comes from: a wrong current password counts against its address too. */
  client?: ClientInfo;
}

/**
 * Changes username, email or password. A new password needs the current one, and ends every
 * other login: whoever learned the old password is signed out. Checks of the current password
 * are limited like logins, and share the account's count with them: a stolen access token must
 * not become a way to guess the password without limit.
 */
export class UpdateProfile {
  constructor(
    private readonly users: UserRepository,
    private readonly logins: LoginRepository,
    private readonly hasher: PasswordHasher,
    private readonly commonPasswords: CommonPasswordList,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: UpdateProfileInput): Promise<UserView> {
    const changes = validate(schema, input);
    if (changes.password !== undefined && changes.currentPassword === undefined) {
      throw new ValidationError(['current_password: is required to change the password']);
    }
    if (changes.password !== undefined) refuseCommonPassword(this.commonPasswords, changes.password);
    const user = await this.users.findById(changes.userId);
    if (!user) throw invalidToken();
    const now = this.clock.now();

    if (changes.username !== undefined && changes.username.toLowerCase() !== user.username.toLowerCase()) {
      if (await this.users.findByUsername(changes.username)) throw usernameTaken();
    }
    if (changes.email !== undefined && changes.email !== user.email) {
      if (await this.users.findByEmail(changes.email)) throw emailTaken();
    }
    if (changes.password !== undefined) {
      // Counted before the comparison, so guesses made at the same time cannot all get through.
      const attempt = passwordAttemptOf(user, changes.client.address, this.logins);
      const currentPassword = changes.currentPassword ?? '';
      if (!(await this.throttle.check(attempt, () => this.hasher.verify(currentPassword, user.passwordHash)))) throw wrongCurrentPassword();
      user.changePasswordHash(await this.hasher.hash(changes.password), now);
    }
    if (changes.username !== undefined) user.rename(changes.username, now);
    if (changes.email !== undefined) user.changeEmail(changes.email, now);

    const ended = await this.transactions.run(async () => {
      await this.users.save(user);
      return changes.password === undefined ? [] : this.logins.revokeAllOfUser(user.id, now, changes.loginId);
    });
    if (ended.length > 0) await this.events.publish({ type: 'logins.ended', userId: user.id, loginIds: ended });
    return toUserView(user);
  }
}
