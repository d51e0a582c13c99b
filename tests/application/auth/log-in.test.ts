import { describe, expect, it, vi } from 'vitest';
import type { WindowCounters } from '../../../src/application/ports/window-counters.port.js';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import { MemoryWindowCounters } from '../../../src/adapters/throttling/memory.window-counters.js';
import {
  ForbiddenError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../src/domain/domain-error.js';
import type { InMemoryChatBackend } from '../../../src/testing.js';
import {
  ACCOUNT_DISABLED,
  ALICE,
  INVALID_CREDENTIALS,
  RATE_LIMITED,
  USER_VIEW_KEYS,
  disableUser,
  newBackend,
  outcomesOf,
  passwordOfBytes,
  register,
  registerAlice,
  registerBob,
  validationFailure,
} from '../../support/auth-fixtures.js';

/** `times` copies of one attempt, all started at once. */
const atOnce = <T>(times: number, attempt: () => Promise<T>): Promise<T>[] => Array.from({ length: times }, attempt);

/** Fails `times` logins with a wrong password, each with the expected invalid-credentials answer. */
const failLogins = async (
  backend: InMemoryChatBackend,
  times: number,
  username: string,
  address: string | null = null,
): Promise<void> => {
  for (let attempt = 0; attempt < times; attempt += 1) {
    await expect(
      backend.logIn.execute({ username, password: 'Wrong-password-1', client: { address } }),
    ).rejects.toMatchObject(INVALID_CREDENTIALS);
  }
};

describe('LogIn', () => {
  describe('when the credentials are right', () => {
    it('answers with the user and a new token pair for a new login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const { user, tokens } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      expect(user).toEqual(alice.user);
      expect(Object.keys(user).sort()).toEqual(USER_VIEW_KEYS);
      expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      const principal = await backend.authenticate.execute({ accessToken: tokens.accessToken });
      expect(principal.userId).toBe(alice.user.id);
      expect(principal.loginId).not.toBe(alice.principal.loginId);
    });

    it.each(['alice', 'ALICE', 'aLiCe', '  alice  '])('finds the account by the username written as %j', async (username) => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const { user } = await backend.logIn.execute({ username, password: ALICE.password });

      expect(user.id).toBe(alice.user.id);
    });

    it.each(['alice@example.com', 'ALICE@EXAMPLE.COM', 'Alice@Example.com', ' alice@example.com '])(
      'finds the account by the email written as %j',
      async (username) => {
        const backend = newBackend();
        const alice = await registerAlice(backend);

        const { user } = await backend.logIn.execute({ username, password: ALICE.password });

        expect(user.id).toBe(alice.user.id);
      },
    );

    it('keeps where the login came from on the login', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const { tokens } = await backend.logIn.execute({
        username: 'alice',
        password: ALICE.password,
        client: { address: '203.0.113.9', userAgent: 'test-agent/1.0' },
      });

      const { loginId } = await backend.authenticate.execute({ accessToken: tokens.accessToken });
      expect(await backend.ports.logins.findById(loginId)).toMatchObject({
        address: '203.0.113.9',
        userAgent: 'test-agent/1.0',
      });
    });

    it('accepts a password of exactly 72 bytes', async () => {
      const backend = newBackend();
      await register(backend, { password: passwordOfBytes(72) });

      await expect(backend.logIn.execute({ username: 'alice', password: passwordOfBytes(72) })).resolves.toBeDefined();
    });
  });

  describe('when the credentials are wrong', () => {
    it('refuses a wrong password with "Invalid username or password"', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const attempt = backend.logIn.execute({ username: 'alice', password: 'Wonderland2' });

      await expect(attempt).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(attempt).rejects.toMatchObject(INVALID_CREDENTIALS);
    });

    it('refuses an unknown user exactly as it refuses a wrong password', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const wrongPassword = await backend.logIn.execute({ username: 'alice', password: 'Wonderland2' }).catch((e: unknown) => e);
      const unknownUser = await backend.logIn
        .execute({ username: 'nobody', password: ALICE.password })
        .catch((e: unknown) => e);
      const unknownEmail = await backend.logIn
        .execute({ username: 'nobody@example.com', password: ALICE.password })
        .catch((e: unknown) => e);

      const shape = (error: unknown) => {
        const { constructor, name, message, code, kind } = error as UnauthenticatedError;
        return { constructor, name, message, code, kind, keys: Object.keys(error as object).sort() };
      };
      expect(shape(wrongPassword)).toEqual(shape(unknownUser));
      expect(shape(unknownEmail)).toEqual(shape(unknownUser));
      expect(unknownUser).toMatchObject(INVALID_CREDENTIALS);
    });

    it('refuses a password that differs only in case', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(backend.logIn.execute({ username: 'alice', password: 'wONDERLAND1' })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });

    it('refuses a password longer than 72 bytes even when its first 72 bytes are the password', async () => {
      const backend = newBackend();
      const password = passwordOfBytes(72);
      await register(backend, { password });

      await expect(backend.logIn.execute({ username: 'alice', password: `${password}!` })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
      await expect(
        backend.logIn.execute({ username: 'alice', password: `${password}${'é'.repeat(10)}` }),
      ).rejects.toMatchObject(INVALID_CREDENTIALS);
    });

    it('refuses a password with the right prefix cut short', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(backend.logIn.execute({ username: 'alice', password: 'Wonderland' })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });

    it('does not reveal that a disabled account exists when the password is wrong', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await disableUser(backend, alice.user.id);

      await expect(backend.logIn.execute({ username: 'alice', password: 'Wonderland2' })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });
  });

  describe('when the account is disabled', () => {
    it('refuses the right password with ForbiddenError "Account is disabled"', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await disableUser(backend, alice.user.id);

      const attempt = backend.logIn.execute({ username: 'alice', password: ALICE.password });

      await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
      await expect(attempt).rejects.toMatchObject(ACCOUNT_DISABLED);
    });
  });

  describe('when logins fail again and again', () => {
    it('refuses the sixth attempt on an account after five failures, even with the right password', async () => {
      const backend = newBackend();
      await registerAlice(backend);
      await failLogins(backend, 5, 'alice');

      const attempt = backend.logIn.execute({ username: 'alice', password: ALICE.password });

      await expect(attempt).rejects.toBeInstanceOf(RateLimitedError);
      await expect(attempt).rejects.toMatchObject(RATE_LIMITED);
    });

    it('says how long to wait: at least one whole second', async () => {
      const backend = newBackend();
      await registerAlice(backend);
      await failLogins(backend, 5, 'alice');

      const error = await backend.logIn.execute({ username: 'alice', password: ALICE.password }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimitedError);
      const { retryAfterSeconds } = error as RateLimitedError;
      expect(Number.isInteger(retryAfterSeconds)).toBe(true);
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });

    it('when the harness clock moves past the lock, then the right password logs in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await failLogins(backend, 5, 'alice');
      const locked = await backend.logIn.execute({ username: 'alice', password: ALICE.password }).catch((e: unknown) => e);
      expect(locked).toBeInstanceOf(RateLimitedError);
      const { retryAfterSeconds } = locked as RateLimitedError;

      // A second short of what Retry-After said, the account is still locked; once past it, it is not.
      backend.clock.advance((retryAfterSeconds - 1) * 1000);
      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
      backend.clock.advance(1000);
      const { user } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      expect(user.id).toBe(alice.user.id);
    });

    it('counts the failures of an account however its username is cased', async () => {
      const backend = newBackend();
      await registerAlice(backend);
      await failLogins(backend, 2, 'alice');
      await failLogins(backend, 2, 'ALICE');
      await failLogins(backend, 1, 'Alice');

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
    });

    it('counts failures by username and by email against the same account', async () => {
      const backend = newBackend();
      await registerAlice(backend);
      await failLogins(backend, 3, 'alice');
      await failLogins(backend, 2, 'Alice@Example.com');

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
      await expect(
        backend.logIn.execute({ username: 'alice@example.com', password: ALICE.password }),
      ).rejects.toMatchObject(RATE_LIMITED);
    });

    it('limits guesses at an unknown account like a known one', async () => {
      const backend = newBackend();
      await failLogins(backend, 5, 'nobody');

      await expect(backend.logIn.execute({ username: 'nobody', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
    });

    it('leaves other accounts alone when one is locked', async () => {
      const backend = newBackend();
      await registerAlice(backend);
      const bob = await registerBob(backend);
      await failLogins(backend, 5, 'alice');

      const { user } = await backend.logIn.execute({ username: 'bob', password: bob.password });

      expect(user.id).toBe(bob.user.id);
    });

    it('allows four failures without locking the account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await failLogins(backend, 4, 'alice');

      const { user } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      expect(user.id).toBe(alice.user.id);
    });

    it('starts the account count over after a successful login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await failLogins(backend, 4, 'alice');
      await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      // Four more failures would have locked the account had the first four still counted.
      await failLogins(backend, 4, 'alice');
      const { user } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      expect(user.id).toBe(alice.user.id);
    });

    it('locks an address that fails across many accounts, whichever account it tries next', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let account = 0; account < 20; account += 1) {
        await failLogins(backend, 1, `guess_${account}`, '198.51.100.7');
      }

      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '198.51.100.7' } }),
      ).rejects.toMatchObject(RATE_LIMITED);
      const fromElsewhere = await backend.logIn.execute({
        username: 'alice',
        password: ALICE.password,
        client: { address: '198.51.100.8' },
      });
      expect(fromElsewhere.user.id).toBe(alice.user.id);
    });

    it('does not clear an address count when one of its logins succeeds', async () => {
      const backend = newBackend({ loginAttempts: { perAddress: 3 } });
      await registerAlice(backend);
      await failLogins(backend, 2, 'guess_1', '198.51.100.7');
      await backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '198.51.100.7' } });
      await failLogins(backend, 1, 'guess_2', '198.51.100.7');

      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '198.51.100.7' } }),
      ).rejects.toMatchObject(RATE_LIMITED);
    });
  });

  describe('when guesses come all at once', () => {
    it('compares no more than five of twenty wrong passwords sent at once; the rest are rate limited', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const outcomes = await outcomesOf(
        atOnce(20, () => backend.logIn.execute({ username: 'alice', password: 'Wrong-password-1' })),
      );

      expect(Object.keys(outcomes).sort()).toEqual(['invalid_credentials', 'rate_limited']);
      expect(outcomes.invalid_credentials).toBeLessThanOrEqual(5);
      expect((outcomes.invalid_credentials ?? 0) + (outcomes.rate_limited ?? 0)).toBe(20);
      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
    });

    it('counts guesses at once by username and by email against the same account', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const outcomes = await outcomesOf([
        ...atOnce(10, () => backend.logIn.execute({ username: 'ALICE', password: 'Wrong-password-1' })),
        ...atOnce(10, () => backend.logIn.execute({ username: 'alice@example.com', password: 'Wrong-password-1' })),
      ]);

      expect(outcomes.invalid_credentials).toBeLessThanOrEqual(5);
      expect((outcomes.invalid_credentials ?? 0) + (outcomes.rate_limited ?? 0)).toBe(20);
    });

    it('limits twenty guesses at once at an unknown name the same way', async () => {
      const backend = newBackend();

      const outcomes = await outcomesOf(
        atOnce(20, () => backend.logIn.execute({ username: 'nobody', password: 'Wrong-password-1' })),
      );

      expect(Object.keys(outcomes).sort()).toEqual(['invalid_credentials', 'rate_limited']);
      expect(outcomes.invalid_credentials).toBeLessThanOrEqual(5);
      expect((outcomes.invalid_credentials ?? 0) + (outcomes.rate_limited ?? 0)).toBe(20);
    });

    it('compares no more than the address allowance of guesses sent at once across many accounts', async () => {
      const backend = newBackend({ loginAttempts: { perAddress: 20 } });

      const outcomes = await outcomesOf(
        Array.from({ length: 30 }, (_, account) =>
          backend.logIn.execute({
            username: `guess_${account}`,
            password: 'Wrong-password-1',
            client: { address: '198.51.100.7' },
          }),
        ),
      );

      expect(Object.keys(outcomes).sort()).toEqual(['invalid_credentials', 'rate_limited']);
      expect(outcomes.invalid_credentials).toBeLessThanOrEqual(20);
      expect((outcomes.invalid_credentials ?? 0) + (outcomes.rate_limited ?? 0)).toBe(30);
    });

    // Which failures the success clears depends on which comparisons finish before it, so "starts
    // over" is shown one login after another ("starts the account count over ...") rather than here.
    it('when the right password is among guesses sent at once, then it logs in and each guess is told it is wrong', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const outcomes = await outcomesOf([
        ...atOnce(4, () => backend.logIn.execute({ username: 'alice', password: 'Wrong-password-1' })),
        backend.logIn.execute({ username: 'alice', password: ALICE.password }),
      ]);

      expect(outcomes).toEqual({ invalid_credentials: 4, succeeded: 1 });
    });
  });

  describe('when the right password comes many times at once', () => {
    it('logs in all twelve of twelve logins with the right password sent at once, from one address or none', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const outcomes = await outcomesOf([
        ...atOnce(12, () => backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '192.0.2.8' } })),
        ...atOnce(12, () => backend.logIn.execute({ username: 'alice', password: ALICE.password })),
      ]);

      expect(outcomes).toEqual({ succeeded: 24 });
    });
  });

  describe('when strangers guess from elsewhere', () => {
    it('never locks the owner out of an address the owner has signed in from, though a new address is refused', async () => {
      const backend = newBackend({ loginAttempts: { perAccount: 3 } });
      const alice = await register(backend, { client: { address: '192.0.2.20' } });
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) await failLogins(backend, 1, 'alice', address);
      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '198.51.100.4' } }),
      ).rejects.toMatchObject(RATE_LIMITED);

      const fromHome = await backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '192.0.2.20' } });

      expect(fromHome.user.id).toBe(alice.user.id);
    });

    it('counts an address as known once the owner has logged in from it, not only registered', async () => {
      const backend = newBackend({ loginAttempts: { perAccount: 2 } });
      await registerAlice(backend);
      await backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '192.0.2.30' } });
      await failLogins(backend, 1, 'alice', '198.51.100.5');
      await failLogins(backend, 1, 'alice', '198.51.100.6');

      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '198.51.100.7' } }),
      ).rejects.toMatchObject(RATE_LIMITED);
      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: { address: '192.0.2.30' } }),
      ).resolves.toMatchObject({ user: { username: 'alice' } });
    });
  });

  describe('when logins succeed', () => {
    it('does not count them against the account', async () => {
      const backend = newBackend({ loginAttempts: { perAccount: 2 } });
      const alice = await registerAlice(backend);

      for (let login = 0; login < 6; login += 1) {
        const { user } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });
        expect(user.id).toBe(alice.user.id);
      }
      await failLogins(backend, 2, 'alice');
    });

    it('does not use up the allowance of the address they come from', async () => {
      const backend = newBackend({ loginAttempts: { perAddress: 3 } });
      await registerAlice(backend);
      const office = { address: '203.0.113.50' };

      for (let login = 0; login < 6; login += 1) {
        await backend.logIn.execute({ username: 'alice', password: ALICE.password, client: office });
      }

      // Its whole allowance of failures is still there: three, then the lock.
      await failLogins(backend, 3, 'guess_1', office.address);
      await expect(
        backend.logIn.execute({ username: 'alice', password: ALICE.password, client: office }),
      ).rejects.toMatchObject(RATE_LIMITED);
    });

    it('does not count the right password of a disabled account as a guess', async () => {
      const backend = newBackend({ loginAttempts: { perAccount: 2 } });
      const alice = await registerAlice(backend);
      await disableUser(backend, alice.user.id);

      for (let attempt = 0; attempt < 4; attempt += 1) {
        await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
          ACCOUNT_DISABLED,
        );
      }
    });
  });

  describe('when an attempt is counted', () => {
    type Step = { step: string; counter?: string; key?: string };
    /** Counters in memory, recording every operation made on them in `steps`. */
    const recordingCounters = (steps: Step[] = []) => {
      const inner = new MemoryWindowCounters(new ManualClock());
      const counters: WindowCounters = {
        counter: (name, options) => {
          const counter = inner.counter(name, options);
          const recorded = <A extends unknown[], R>(step: string, run: (key: string, ...rest: A) => Promise<R>) =>
            (key: string, ...rest: A): Promise<R> => {
              steps.push({ step, counter: name, key });
              return run(key, ...rest);
            };
          return {
            add: recorded('add', (key, points?: number) => counter.add(key, points)),
            subtract: recorded('subtract', (key, points?: number) => counter.subtract(key, points)),
            get: recorded('get', (key) => counter.get(key)),
            hold: recorded('hold', (key, count: number, ms: number) => counter.hold(key, count, ms)),
            delete: recorded('delete', (key) => counter.delete(key)),
          };
        },
      };
      return { counters, steps };
    };
    const verifyRecordedIn = (backend: InMemoryChatBackend, steps: Step[]) => {
      const { hasher } = backend.ports;
      const verify = hasher.verify.bind(hasher);
      return vi.spyOn(hasher, 'verify').mockImplementation((password, hash) => {
        steps.push({ step: 'verify' });
        return verify(password, hash);
      });
    };
    const inFlight = 'password-checks-in-flight';

    it('counts the attempt as in flight before comparing the password, and once it matches starts its account-and-address count over', async () => {
      const { counters, steps } = recordingCounters();
      const backend = newBackend({ counters });
      const alice = await registerAlice(backend);
      steps.splice(0);
      verifyRecordedIn(backend, steps);
      const account = `user:${alice.user.id}`;

      await backend.logIn.execute({ username: 'Alice', password: ALICE.password, client: { address: '192.0.2.4' } });

      const compared = steps.findIndex((step) => step.step === 'verify');
      const sorted = (list: Step[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sorted(steps.slice(0, compared))).toEqual(
        sorted([
          { step: 'add', counter: inFlight, key: `account-address|192.0.2.4|${account}` },
          { step: 'add', counter: inFlight, key: `account|${account}` },
          { step: 'add', counter: inFlight, key: 'address|192.0.2.4' },
          { step: 'get', counter: 'password-failures:account-address', key: `192.0.2.4|${account}` },
          { step: 'get', counter: 'password-failures:account', key: account },
          { step: 'get', counter: 'password-failures:address', key: '192.0.2.4' },
        ]),
      );
      expect(sorted(steps.slice(compared + 1))).toEqual(
        sorted([
          { step: 'delete', counter: 'password-failures:account-address', key: `192.0.2.4|${account}` },
          { step: 'subtract', counter: inFlight, key: `account-address|192.0.2.4|${account}` },
          { step: 'subtract', counter: inFlight, key: `account|${account}` },
          { step: 'subtract', counter: inFlight, key: 'address|192.0.2.4' },
        ]),
      );
    });

    it('counts a known account by its id however it was named, and an unknown name as typed, in lower case', async () => {
      const { counters, steps } = recordingCounters();
      const backend = newBackend({ counters });
      const alice = await registerAlice(backend);
      steps.splice(0);

      await backend.logIn.execute({ username: 'ALICE@example.com', password: 'Wrong-password-1' }).catch(() => undefined);
      await backend.logIn.execute({ username: 'NoBody', password: 'Wrong-password-1' }).catch(() => undefined);

      expect(steps.filter((step) => step.step === 'add' && step.counter === 'password-failures:account')).toEqual([
        { step: 'add', counter: 'password-failures:account', key: `user:${alice.user.id}` },
        { step: 'add', counter: 'password-failures:account', key: 'name:nobody' },
      ]);
    });

    it('does the same work for an unknown name as for a wrong password: the same counting, one comparison', async () => {
      const { counters, steps } = recordingCounters();
      const backend = newBackend({ counters });
      await registerAlice(backend);
      steps.splice(0);
      const verify = vi.spyOn(backend.ports.hasher, 'verify');
      const work = () => ({ counting: steps.splice(0).map(({ step, counter }) => `${step} ${counter}`), comparisons: verify.mock.calls.length });

      await backend.logIn.execute({ username: 'alice', password: 'Wrong-password-1' }).catch(() => undefined);
      const forWrongPassword = work();
      verify.mockClear();
      await backend.logIn.execute({ username: 'nobody', password: 'Wrong-password-1' }).catch(() => undefined);
      const forUnknownName = work();

      expect(forWrongPassword.comparisons).toBe(1);
      expect(forWrongPassword.counting.length).toBeGreaterThan(0);
      expect(forUnknownName).toEqual(forWrongPassword);
    });

    it('when the counters cannot count, then it refuses as unavailable without comparing the password', async () => {
      const down = new UnavailableError('Rate limiting is unavailable');
      const failing = () => Promise.reject(down);
      const backend = newBackend({
        counters: { counter: () => ({ add: failing, subtract: failing, get: failing, hold: failing, delete: failing }) },
      });
      // Registering without an address counts nothing: the account exists, the counters stay down.
      await registerAlice(backend);
      const verify = vi.spyOn(backend.ports.hasher, 'verify');

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toBe(down);
      expect(verify).not.toHaveBeenCalled();
    });
  });

  describe('when the input breaks a rule', () => {
    it.each([
      [{ password: ALICE.password }, ['username: is required']],
      [{ username: '', password: ALICE.password }, ['username: is required']],
      [{ username: '   ', password: ALICE.password }, ['username: is required']],
      [{ username: 7, password: ALICE.password }, ['username: must be a string']],
      [{ username: `${'a'.repeat(255)}`, password: ALICE.password }, ['username: is too long']],
      [{ username: 'alice' }, ['password: is required']],
      [{ username: 'alice', password: '' }, ['password: is required']],
      [{ username: 'alice', password: null }, ['password: must be a string']],
      [{ username: 'alice', password: 'A'.repeat(1025) }, ['password: is too long']],
      [{}, ['username: is required', 'password: is required']],
    ])('refuses %j with the details %j', async (input, details) => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(backend.logIn.execute(input as never)).rejects.toMatchObject(validationFailure(...details));
    });

    it.each([null, 'alice', 42, undefined])('answers "input: must be an object" for %j', async (input) => {
      const backend = newBackend();

      await expect(backend.logIn.execute(input as never)).rejects.toMatchObject(validationFailure('input: must be an object'));
    });

    it('does not count a refused input as a failed login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let attempt = 0; attempt < 6; attempt += 1) {
        await expect(backend.logIn.execute({ username: 'alice', password: '' })).rejects.toMatchObject({ kind: 'validation' });
      }

      const { user } = await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      expect(user.id).toBe(alice.user.id);
    });
  });

  describe('when the input carries keys it does not take', () => {
    it('ignores them and changes nothing on the account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const input = { username: 'alice', password: ALICE.password, isActive: false, is_active: false, id: 'other', userId: 'other' };

      const { user } = await backend.logIn.execute(input);

      expect(user).toEqual(alice.user);
      expect(await backend.ports.users.findById(alice.user.id)).toMatchObject({ isActive: true });
    });
  });
});
