import * as v from 'valibot';
import { emailTaken, usernameTaken } from '../../domain/domain-error.js';
import { User } from '../../domain/user.entity.js';
import type { Clock } from '../ports/clock.port.js';
import type { CommonPasswordList } from '../ports/common-password-list.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { CountLimit } from '../throttling/count-limit.service.js';
import { emailField, passwordField, usernameField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { toUserView, type UserView } from '../views/user.view.js';
import { clientInfoField, type ClientInfo } from './client-info.js';
import { refuseCommonPassword } from './common-password.js';
import type { LoginOpener } from './login-opener.service.js';
import type { TokenPair } from './token-pair.js';

const schema = v.object(
  { username: usernameField, email: emailField, password: passwordField, client: clientInfoField },
  'must be an object',
);

export interface RegisterUserInput {
  username: string;
  email: string;
  password: string;
  client?: ClientInfo;
}

export interface RegisterUserOutput {
  user: UserView;
  tokens: TokenPair;
}

/**
 * Creates an account and signs it in on the device that created it. Registrations are limited per
 * client address: each costs a password hash, and each answer tells whether a name is taken.
 */
export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly commonPasswords: CommonPasswordList,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly loginOpener: LoginOpener,
    private readonly registrationsPerAddress: CountLimit,
  ) {}

  async execute(input: RegisterUserInput): Promise<RegisterUserOutput> {
    const { username, email, password, client } = validate(schema, input);
    refuseCommonPassword(this.commonPasswords, password);
    // Counted before anything is looked up, so that a taken name costs an attempt too; an
    // in-process caller that names no address is not limited.
    if (client.address !== null) await this.registrationsPerAddress.take(client.address);
    // Checked first for a friendly answer; the repository's unique keys still settle races.
    if (await this.users.findByUsername(username)) throw usernameTaken();
    if (await this.users.findByEmail(email)) throw emailTaken();

    const passwordHash = await this.hasher.hash(password);
    const user = User.register({ id: this.ids.uuid(), username, email, passwordHash, now: this.clock.now() });
    const tokens = await this.transactions.run(async () => {
      await this.users.add(user);
      return this.loginOpener.open(user.id, { address: client.address, userAgent: client.userAgent });
    });
    return { user: toUserView(user), tokens };
  }
}
