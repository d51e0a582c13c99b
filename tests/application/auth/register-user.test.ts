import { describe, expect, it } from 'vitest';
import { ConflictError, RateLimitedError, ValidationError } from '../../../src/domain/domain-error.js';
import {
  ALICE,
  EMAIL_TAKEN,
  USER_VIEW_KEYS,
  USERNAME_TAKEN,
  newBackend,
  passwordOfBytes,
  register,
  registerAlice,
  registration,
  validationFailure,
} from '../../support/auth-fixtures.js';

describe('RegisterUser', () => {
  describe('when the input is valid', () => {
    it('creates an active, unverified account stamped with the current time', async () => {
      const backend = newBackend({ now: '2026-03-04T05:06:07.000Z' });

      const { user } = await backend.registerUser.execute(registration());

      expect(user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: 'alice',
        email: 'alice@example.com',
        isActive: true,
        isVerified: false,
        createdAt: new Date('2026-03-04T05:06:07.000Z'),
        updatedAt: new Date('2026-03-04T05:06:07.000Z'),
      });
      expect(await backend.ports.users.findById(user.id)).toMatchObject({ username: 'alice', email: 'alice@example.com' });
    });

    it('signs the new account in with a bearer token pair whose access token lives 15 minutes', async () => {
      const backend = newBackend();

      const { user, tokens } = await backend.registerUser.execute(registration());

      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(tokens.accessToken).not.toBe(tokens.refreshToken);
      const principal = await backend.authenticate.execute({ accessToken: tokens.accessToken });
      expect(principal.userId).toBe(user.id);
      expect(await backend.ports.logins.findById(principal.loginId)).toMatchObject({ userId: user.id, revokedAt: null });
    });

    it('remembers where the login came from, clipped to the stored lengths', async () => {
      const backend = newBackend();

      const { tokens } = await backend.registerUser.execute(
        registration({ client: { address: `10.0.0.1${'9'.repeat(100)}`, userAgent: 'u'.repeat(300) } }),
      );

      const { loginId } = await backend.authenticate.execute({ accessToken: tokens.accessToken });
      const login = await backend.ports.logins.findById(loginId);
      expect(login?.address).toBe(`10.0.0.1${'9'.repeat(56)}`);
      expect(login?.userAgent).toBe('u'.repeat(255));
    });

    it('stores a bcrypt hash of the password, never the password itself', async () => {
      const backend = newBackend();

      const { user } = await registerAlice(backend);

      const stored = await backend.ports.users.findById(user.id);
      expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/);
      expect(stored?.passwordHash).not.toContain(ALICE.password);
      expect(await backend.ports.hasher.verify(ALICE.password, stored?.passwordHash ?? '')).toBe(true);
    });

    it('returns a user view that holds no password and no hash', async () => {
      const backend = newBackend();

      const { user } = await backend.registerUser.execute(registration());

      expect(Object.keys(user).sort()).toEqual(USER_VIEW_KEYS);
      const serialized = JSON.stringify(user);
      expect(serialized).not.toContain(ALICE.password);
      expect(serialized).not.toContain('$2');
    });

    it('trims the username and the email, and stores the email in lower case', async () => {
      const backend = newBackend();

      const { user } = await backend.registerUser.execute(
        registration({ username: '  alice\t', email: ' Alice@Example.COM\n' }),
      );

      expect(user.username).toBe('alice');
      expect(user.email).toBe('alice@example.com');
    });

    it('strips control characters from the username before the rules apply', async () => {
      const backend = newBackend();

      const { user } = await backend.registerUser.execute(registration({ username: 'ali\u0000ce\u007f' }));

      expect(user.username).toBe('alice');
    });

    it('keeps the username as typed in case', async () => {
      const backend = newBackend();

      const { user } = await backend.registerUser.execute(registration({ username: 'Alice_Liddell' }));

      expect(user.username).toBe('Alice_Liddell');
    });

    it('accepts a username of exactly 3 and of exactly 80 characters', async () => {
      const backend = newBackend();

      await expect(backend.registerUser.execute(registration({ username: 'abc', email: 'a@example.com' }))).resolves.toBeDefined();
      await expect(
        backend.registerUser.execute(registration({ username: 'a'.repeat(80), email: 'b@example.com' })),
      ).resolves.toBeDefined();
    });

    it('accepts an email of exactly 120 characters', async () => {
      const backend = newBackend();
      const email = `${'a'.repeat(108)}@example.com`;

      const { user } = await backend.registerUser.execute(registration({ email }));

      expect(user.email).toBe(email);
    });

    it('accepts a password of exactly 8 characters and one of exactly 72 bytes', async () => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute(registration({ username: 'eight', email: 'e@example.com', password: 'Abcdxf12' })),
      ).resolves.toBeDefined();
      const longest = await register(backend, { username: 'longest', email: 'l@example.com', password: passwordOfBytes(72) });
      await expect(backend.logIn.execute({ username: 'longest', password: passwordOfBytes(72) })).resolves.toMatchObject({
        user: { id: longest.user.id },
      });
    });

    it('counts password length in characters, so eight accented letters are enough', async () => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute(registration({ password: `Aa1${'é'.repeat(5)}` })),
      ).resolves.toBeDefined();
    });
  });

  describe('when the username or email is taken', () => {
    it('refuses a username that exists in another case with "Username already exists"', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const attempt = backend.registerUser.execute(registration({ username: 'ALICE', email: 'other@example.com' }));

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject(USERNAME_TAKEN);
    });

    it('refuses an email that exists in another case with "Email already exists"', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      const attempt = backend.registerUser.execute(registration({ username: 'alice2', email: 'ALICE@example.com' }));

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject(EMAIL_TAKEN);
    });

    it('names the username first when both are taken', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(backend.registerUser.execute(registration())).rejects.toMatchObject(USERNAME_TAKEN);
    });

    it('stores nothing and opens no login for the refused registration', async () => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(
        backend.registerUser.execute(registration({ username: 'newcomer', email: 'alice@example.com' })),
      ).rejects.toMatchObject(EMAIL_TAKEN);

      expect(await backend.ports.users.findByUsername('newcomer')).toBeNull();
    });

    it('lets exactly one of two concurrent registrations of one name win', async () => {
      const backend = newBackend();

      const results = await Promise.allSettled([
        backend.registerUser.execute(registration({ email: 'first@example.com' })),
        backend.registerUser.execute(registration({ username: 'ALICE', email: 'second@example.com' })),
      ]);

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((result) => result.status === 'rejected');
      expect(refused?.reason).toMatchObject(USERNAME_TAKEN);
    });
  });

  describe('when the input breaks a rule', () => {
    it.each([
      ['is missing', undefined, 'username: is required'],
      ['is not a string', 42, 'username: must be a string'],
      ['has 2 characters', 'ab', 'username: must be 3-80 characters'],
      ['has 81 characters', 'a'.repeat(81), 'username: must be 3-80 characters'],
      ['is only spaces', '      ', 'username: must be 3-80 characters'],
      ['has 2 characters once trimmed', '  ab  ', 'username: must be 3-80 characters'],
      ['holds a punctuation mark', 'alice!', 'username: may contain only letters, digits and underscores'],
      ['holds an inner space', 'ali ce', 'username: may contain only letters, digits and underscores'],
      ['holds a hyphen', 'alice-l', 'username: may contain only letters, digits and underscores'],
      ['holds a letter outside ASCII', 'älice', 'username: may contain only letters, digits and underscores'],
      ['holds an at sign', 'alice@home', 'username: may contain only letters, digits and underscores'],
    ])('refuses a username that %s', async (_case, username, detail) => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute({ ...registration(), username } as never),
      ).rejects.toMatchObject(validationFailure(detail));
    });

    it('reports both rules a short username with a bad character breaks', async () => {
      const backend = newBackend();

      await expect(backend.registerUser.execute(registration({ username: 'a!' }))).rejects.toMatchObject(
        validationFailure('username: must be 3-80 characters', 'username: may contain only letters, digits and underscores'),
      );
    });

    it.each([
      ['is missing', undefined, 'email: is required'],
      ['is not a string', ['alice@example.com'], 'email: must be a string'],
      ['has no at sign', 'alice.example.com', 'email: must be a valid email address'],
      ['has no domain', 'alice@', 'email: must be a valid email address'],
      ['has no top-level domain', 'alice@example', 'email: must be a valid email address'],
      ['holds a space', 'ali ce@example.com', 'email: must be a valid email address'],
      ['is empty', '', 'email: must be a valid email address'],
      ['has 121 characters', `${'a'.repeat(109)}@example.com`, 'email: must be at most 120 characters'],
    ])('refuses an email that %s', async (_case, email, detail) => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute({ ...registration(), email } as never),
      ).rejects.toMatchObject(validationFailure(detail));
    });

    it.each([
      ['is missing', undefined, ['password: is required']],
      ['is not a string', 12345678, ['password: must be a string']],
      ['has 7 characters', 'Abcde12', ['password: must be at least 8 characters']],
      ['has no uppercase letter', 'wonderland1', ['password: must contain an uppercase letter']],
      ['has no lowercase letter', 'WONDERLAND1', ['password: must contain a lowercase letter']],
      ['has no digit', 'Wonderland', ['password: must contain a digit']],
      ['is 73 bytes in UTF-8 though 38 characters', `Aa1${'é'.repeat(35)}`, ['password: must be at most 72 bytes in UTF-8']],
      ['is 73 ASCII bytes', passwordOfBytes(73), ['password: must be at most 72 bytes in UTF-8']],
      [
        'is empty',
        '',
        [
          'password: must be at least 8 characters',
          'password: must contain an uppercase letter',
          'password: must contain a lowercase letter',
          'password: must contain a digit',
        ],
      ],
    ])('refuses a password that %s', async (_case, password, details) => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute({ ...registration(), password } as never),
      ).rejects.toMatchObject(validationFailure(...details));
    });

    it('refuses an over-long password rather than storing a truncated one', async () => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute(registration({ password: `Aa1${'é'.repeat(35)}` })),
      ).rejects.toBeInstanceOf(ValidationError);

      expect(await backend.ports.users.findByUsername('alice')).toBeNull();
    });

    it.each([
      ['null', null],
      ['a string', 'alice'],
      ['a number', 7],
      ['undefined', undefined],
    ])('answers "input: must be an object" when the input is %s', async (_case, input) => {
      const backend = newBackend();

      await expect(backend.registerUser.execute(input as never)).rejects.toMatchObject(
        validationFailure('input: must be an object'),
      );
    });

    it('lists every missing field at once', async () => {
      const backend = newBackend();

      await expect(backend.registerUser.execute({} as never)).rejects.toMatchObject(
        validationFailure('username: is required', 'email: is required', 'password: is required'),
      );
    });

    it('lists every broken rule of every field at once', async () => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute({ username: 'a b', email: 'nope', password: 'short' }),
      ).rejects.toMatchObject(
        validationFailure(
          'username: may contain only letters, digits and underscores',
          'email: must be a valid email address',
          'password: must be at least 8 characters',
          'password: must contain an uppercase letter',
          'password: must contain a digit',
        ),
      );
    });

    it('refuses client information of the wrong shape', async () => {
      const backend = newBackend();

      await expect(
        backend.registerUser.execute({ ...registration(), client: { address: 42 } } as never),
      ).rejects.toMatchObject(validationFailure('client.address: must be a string'));
    });

    it('stores nothing when the input is refused', async () => {
      const backend = newBackend();

      await expect(backend.registerUser.execute(registration({ email: 'nope' }))).rejects.toBeInstanceOf(ValidationError);

      expect(await backend.ports.users.findByUsername('alice')).toBeNull();
    });
  });

  describe('when the input carries keys it does not take', () => {
    it('ignores id, isActive, isVerified, passwordHash, is_active and timestamps', async () => {
      const backend = newBackend({ now: '2026-02-02T00:00:00.000Z' });
      const input = {
        ...registration(),
        id: 'chosen-id',
        isActive: false,
        is_active: false,
        isVerified: true,
        is_verified: true,
        passwordHash: 'not-a-hash',
        password_hash: 'not-a-hash',
        createdAt: new Date('2000-01-01T00:00:00.000Z'),
      };

      const { user } = await backend.registerUser.execute(input);

      expect(user.id).not.toBe('chosen-id');
      expect(user).toMatchObject({
        isActive: true,
        isVerified: false,
        createdAt: new Date('2026-02-02T00:00:00.000Z'),
      });
      const stored = await backend.ports.users.findById(user.id);
      expect(stored?.passwordHash).not.toBe('not-a-hash');
      expect(await backend.ports.hasher.verify(ALICE.password, stored?.passwordHash ?? '')).toBe(true);
      expect(await backend.ports.users.findById('chosen-id')).toBeNull();
    });
  });
  describe('when one address registers again and again', () => {
    const from = (address: string, n: number) =>
      registration({ username: `user_${address.replaceAll('.', '_')}_${n}`, email: `user${n}@${address}.example.com`, client: { address } });
    const TOO_MANY = { kind: 'rate_limited', code: 'rate_limited', message: 'Too many registrations, try again later' };

    it('refuses the registration past the allowance of an hour with how long to wait, and counts a taken name too', async () => {
      const backend = newBackend({ registrationsPerAddress: 3 });
      await backend.registerUser.execute(from('203.0.113.1', 1));
      await expect(backend.registerUser.execute(from('203.0.113.1', 1))).rejects.toMatchObject(USERNAME_TAKEN);
      await backend.registerUser.execute(from('203.0.113.1', 2));

      const refusal = await backend.registerUser.execute(from('203.0.113.1', 3)).catch((error: unknown) => error);

      expect(refusal).toBeInstanceOf(RateLimitedError);
      expect(refusal).toMatchObject(TOO_MANY);
      expect((refusal as RateLimitedError).retryAfterSeconds).toBe(3600);
      expect(await backend.ports.users.findByUsername('user_203_0_113_1_3')).toBeNull();
    });

    it('when the clock passes the hour, the address may register again; another address could all along', async () => {
      const backend = newBackend({ registrationsPerAddress: 1 });
      await backend.registerUser.execute(from('203.0.113.2', 1));
      await expect(backend.registerUser.execute(from('203.0.113.2', 2))).rejects.toMatchObject(TOO_MANY);
      await backend.registerUser.execute(from('203.0.113.3', 3));

      backend.clock.advance(3600 * 1000);

      await expect(backend.registerUser.execute(from('203.0.113.2', 2))).resolves.toMatchObject({ user: { username: 'user_203_0_113_2_2' } });
    });

    it('when registrations from one address arrive at once, creates no more than the allowance', async () => {
      const backend = newBackend({ registrationsPerAddress: 4 });

      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, n) => backend.registerUser.execute(from('203.0.113.4', n))));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject(TOO_MANY);
    });

    it('does not limit an in-process caller that names no address, nor count a refused input', async () => {
      const backend = newBackend({ registrationsPerAddress: 1 });
      await expect(backend.registerUser.execute({ ...from('203.0.113.5', 0), password: 'short' })).rejects.toBeInstanceOf(ValidationError);
      await backend.registerUser.execute(from('203.0.113.5', 1));

      for (let n = 0; n < 3; n += 1) {
        await backend.registerUser.execute(registration({ username: `nowhere_${n}`, email: `nowhere${n}@example.com` }));
      }
    });
  });
});
