import * as v from 'valibot';
import { ForbiddenError, invalidCredentials } from '../../domain/domain-error.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { LoginThrottle } from '../throttling/login-throttle.service.js';
import { loginNameField, PASSWORD_MAX_BYTES, typedPasswordField } from '../validation/fields.js';
import { utf8ByteLength } from '../validation/sanitize.js';
import { validate } from '../validation/validate.js';
import { toUserView, type UserView } from '../views/user.view.js';
import { clientInfoField, type ClientInfo } from './client-info.js';
import type { LoginOpener } from './login-opener.service.js';
import type { TokenPair } from './token-pair.js';
import { passwordAttemptOf, unknownAccountKey } from './account-key.js';

const schema = v.object(
  {
    username: loginNameField,
    password: typedPasswordField,
    client: clientInfoField,
  },
  'must be an object',
);

export interface LogInInput {
  /** The username or the email address. */
  username: string;
  password: string;
  client?: ClientInfo;
}

export interface LogInOutput {
  user: UserView;
  tokens: TokenPair;
}

/**
 * Signs a user in with username (or email) and password. An unknown name and a wrong password
 * fail the same way and take about the same time, so neither reveals whether an account exists.
 */
export class LogIn {
  /** A real hash of the configured cost, so a miss costs one comparison like a hit. */
  private readonly timingDecoy: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly logins: LoginRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly transactions: TransactionRunner,
    private readonly loginOpener: LoginOpener,
  ) {
    // Made at once, so not even the first miss pays for making it; a failure surfaces on use.
    this.timingDecoy = hasher.hash('timing-decoy-Password-1');
    this.timingDecoy.catch(() => undefined);
  }

  async execute(input: LogInInput): Promise<LogInOutput> {
    const { username, password, client } = validate(schema, input);
    const user = username.includes('@')
      ? await this.users.findByEmail(username.toLowerCase())
      : await this.users.findByUsername(username);
    // Attempts count against the account however it was named (see `accountKeyOf`); an unknown
    // name is counted the same way, so it fails like a wrong password.
    const attempt = user ? passwordAttemptOf(user, client.address, this.logins) : { account: unknownAccountKey(username), address: client.address };
    // No stored password is longer than bcrypt reads, and comparing a longer one would let its
    // first 72 bytes stand for the whole.
    // Both branches make exactly one comparison, so the answer takes as long for a miss.
    const comparable = utf8ByteLength(password) <= PASSWORD_MAX_BYTES;
    const matches = await this.throttle.check(attempt, async () => {
      const verified = await this.hasher.verify(password, user ? user.passwordHash : await this.timingDecoy);
      return user !== null && comparable && verified;
    });

    if (!user || !matches) throw invalidCredentials();
    // The right password was no guess, even for a disabled account: it counted as a success.
    if (!user.isActive) throw new ForbiddenError('Account is disabled', 'account_disabled');

    const tokens = await this.transactions.run(() =>
      this.loginOpener.open(user.id, { address: client.address, userAgent: client.userAgent }),
    );
    return { user: toUserView(user), tokens };
  }
}
