import * as v from 'valibot';
import { SENDERS } from '../../domain/message.entity.js';
import { characterCount, sanitizeText, utf8ByteLength } from './sanitize.js';

/** The API's field rules, written once and shared by every use case that takes the field. */

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 80;
export const EMAIL_MAX = 120;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX_BYTES = 72;
export const TITLE_MAX = 255;
export const TEXT_MAX = 5000;

const requiredString = () =>
  v.string((issue) => (issue.input === undefined ? 'is required' : 'must be a string'));

const withinCharacters = (min: number, max: number) =>
  v.check<string, string>((value) => {
    const count = characterCount(value);
    return count >= min && count <= max;
  }, `must be ${min}-${max} characters`);

export const usernameField = v.pipe(
  requiredString(),
  v.transform(sanitizeText),
  withinCharacters(USERNAME_MIN, USERNAME_MAX),
  v.regex(/^[A-Za-z0-9_]*$/, 'may contain only letters, digits and underscores'),
);

export const emailField = v.pipe(
  requiredString(),
  v.transform((value) => sanitizeText(value).toLowerCase()),
  v.maxLength(EMAIL_MAX, `must be at most ${EMAIL_MAX} characters`),
  v.email('must be a valid email address'),
);

export const passwordField = v.pipe(
  requiredString(),
  v.check((value) => characterCount(value) >= PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`),
  // bcrypt reads 72 bytes and ignores the rest; refusing is honest, truncating silently is not.
  v.check((value) => utf8ByteLength(value) <= PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`),
  v.regex(/\p{Lu}/u, 'must contain an uppercase letter'),
  v.regex(/\p{Ll}/u, 'must contain a lowercase letter'),
  v.regex(/\p{Nd}/u, 'must contain a digit'),
);

/** A password as typed at login or to confirm an action: only its presence is checked. */
export const presentPasswordField = v.pipe(requiredString(), v.minLength(1, 'is required'), v.maxLength(1024, 'is too long'));

export const titleField = v.pipe(
  requiredString(),
  v.transform(sanitizeText),
  withinCharacters(1, TITLE_MAX),
);

export const textField = v.pipe(requiredString(), v.transform(sanitizeText), withinCharacters(1, TEXT_MAX));

export const senderField = v.picklist(SENDERS, `must be one of ${SENDERS.join(', ')}`);

/** The authenticated caller's id, supplied by a driving adapter or an in-process caller. */
export const userIdField = v.pipe(requiredString(), v.minLength(1, 'is required'));

/** An integer given as a number or as the digits of a query string. */
export const integerField = (min: number, max: number, message: string, tooLargeMessage = message) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*\d{1,15}\s*$/), v.transform(Number))], message),
    v.number(),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max, tooLargeMessage),
  );

/** Pages past the end are empty; past a million the offset stops being a sensible number. */
export const PAGE_MAX = 1_000_000;
export const pageField = integerField(1, PAGE_MAX, 'must be a positive integer', `must be at most ${PAGE_MAX}`);
