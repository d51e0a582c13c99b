import * as v from 'valibot';
import { type MessageMetadata, SENDERS } from '../../domain/message.entity.js';
import { isJsonObject } from './json-object.js';
import { sanitizeStreamedText, sanitizeText, utf8ByteLength } from './sanitize.js';

/**
 * The API's field rules, written once: every use case that takes a field validates it with the
 * rule here, the HTTP adapter parses requests with the same rules, and the OpenAPI document is
 * generated from them. So each limit is stated by the constant and the action that checks it, and
 * only in valibot actions a JSON Schema converter can read (code points, bytes, patterns, ranges).
 */

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 80;
export const EMAIL_MAX = 120;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX_BYTES = 72;
/** A password as typed at login: long enough for any real one, short enough to refuse a flood. */
export const TYPED_PASSWORD_MAX = 1024;
/** A username or an email address, as a login form takes either (254: the longest address SMTP carries). */
export const LOGIN_NAME_MAX = 254;
/** The longest token a request may carry; an access or refresh token is a few hundred bytes. */
export const TOKEN_MAX = 4096;
export const TITLE_MAX = 255;
export const CLIENT_ID_MAX = 64;
/** Metadata as JSON, in UTF-8 bytes: room for usage, citations and tool calls, not for documents. */
export const METADATA_MAX_BYTES = 16 * 1024;

/** Pages past the end are empty; past a million the offset stops being a sensible number. */
export const PAGE_MAX = 1_000_000;
export const PAGE_DEFAULT = 1;
export const SESSIONS_PER_PAGE_MAX = 100;
export const SESSIONS_PER_PAGE_DEFAULT = 20;
export const MESSAGES_PER_PAGE_MAX = 200;
export const MESSAGES_PER_PAGE_DEFAULT = 50;

const requiredString = () => v.string((issue) => (issue.input === undefined ? 'is required' : 'must be a string'));

/** A length as a person counts it: code points, not UTF-16 units (an emoji is one), as JSON Schema counts. */
const withinCharacters = (min: number, max: number) => {
  const message = `must be ${min}-${max} characters`;
  return v.pipe(v.string(), v.minCodePoints(min, message), v.maxCodePoints(max, message));
};

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

// A password is text: "ä" typed as one code point or as "a" with a combining mark is the same
// password, so both the one being set and the one typed are compared in NFC.
const asTypedText = () => v.transform((value: string) => value.normalize('NFC'));

export const passwordField = v.pipe(
  requiredString(),
  asTypedText(),
  v.minCodePoints(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`),
  // bcrypt reads 72 bytes and ignores the rest; refusing is honest, truncating silently is not.
  v.maxBytes(PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`),
  v.regex(/\p{Lu}/u, 'must contain an uppercase letter'),
  v.regex(/\p{Ll}/u, 'must contain a lowercase letter'),
  v.regex(/\p{Nd}/u, 'must contain a digit'),
);

/** A password as typed at login or to confirm an action: only its presence is checked. */
export const typedPasswordField = v.pipe(
  requiredString(),
  asTypedText(),
  v.nonEmpty('is required'),
  v.maxCodePoints(TYPED_PASSWORD_MAX, 'is too long'),
);

/** The username or the email address a login names its account by. */
export const loginNameField = v.pipe(
  requiredString(),
  v.transform(sanitizeText),
  v.nonEmpty('is required'),
  v.maxCodePoints(LOGIN_NAME_MAX, 'is too long'),
);

/** An access or refresh token as presented: its signature and claims are the token issuer's to check. */
export const tokenField = v.pipe(requiredString(), v.nonEmpty('is required'), v.maxLength(TOKEN_MAX, 'is too long'));

export const titleField = v.pipe(requiredString(), v.transform(sanitizeText), withinCharacters(1, TITLE_MAX));

/**
 * The rules for a message's text under the limit the configuration sets (`MESSAGE_MAX_CHARS`), in
 * characters: the use cases validate with them, and the HTTP adapter parses and documents with the
 * same ones.
 */
export const messageTextFields = (maxChars: number) => ({
  /** A message sent whole, or an edit: trimmed, at least one character. */
  text: v.pipe(requiredString(), v.transform(sanitizeText), withinCharacters(1, maxChars)),
  /**
   * Text streamed into a message: cleaned like any text but not trimmed, since what comes next
   * continues it ("Hello" then " world"); a message about to be streamed may start empty.
   */
  streamedText: v.pipe(requiredString(), v.transform(sanitizeStreamedText), withinCharacters(0, maxChars)),
  /** What one append adds to a streamed message, cleaned like `streamedText`. */
  appendedText: v.pipe(requiredString(), v.transform(sanitizeStreamedText), withinCharacters(1, maxChars)),
});

export type MessageTextFields = ReturnType<typeof messageTextFields>;

export const senderField = v.picklist(SENDERS, `must be one of ${SENDERS.join(', ')}`);

/** A sender's own id for a message (a UUID fits): a retried send carries the same one. */
export const clientIdField = v.pipe(
  requiredString(),
  v.regex(new RegExp(`^[A-Za-z0-9_-]{1,${CLIENT_ID_MAX}}$`), `must be 1-${CLIENT_ID_MAX} of A-Z a-z 0-9 _ -`),
);

/** How a message is sent: whole, or to be streamed by appends. */
export const sendStatusField = v.picklist(['complete', 'streaming'], 'must be complete or streaming');

/** Any JSON object, measured as the JSON it is stored as. */
export const metadataField = v.pipe(
  // For the API document, which can say "an object" but not how many bytes it takes.
  Object.assign(v.custom<MessageMetadata>(isJsonObject, 'must be a JSON object'), { jsonSchema: { type: 'object' } as const }),
  v.check(
    (metadata) => utf8ByteLength(JSON.stringify(metadata)) <= METADATA_MAX_BYTES,
    `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  ),
  v.description(`Any JSON object of at most ${METADATA_MAX_BYTES} bytes as JSON (model, token counts, citations, tool calls), stored and returned as sent.`),
);

/** The authenticated caller's id, supplied by a driving adapter or an in-process caller. */
export const userIdField = v.pipe(requiredString(), v.nonEmpty('is required'));

/** An integer given as a number or as the digits of a query string. */
export const integerField = (min: number, max: number, message: string, tooLargeMessage = message) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*\d{1,15}\s*$/), v.transform(Number))], message),
    v.number(),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max, tooLargeMessage),
  );

const perPageField = (max: number) => integerField(1, max, `must be an integer from 1 to ${max}`);

export const pageField = integerField(1, PAGE_MAX, 'must be a positive integer', `must be at most ${PAGE_MAX}`);
export const sessionsPerPageField = perPageField(SESSIONS_PER_PAGE_MAX);
export const messagesPerPageField = perPageField(MESSAGES_PER_PAGE_MAX);
/** How many messages a keyset slice holds. */
export const sliceLimitField = perPageField(MESSAGES_PER_PAGE_MAX);
/** A message's id, as a body or a query names one. */
export const messageIdField = integerField(1, Number.MAX_SAFE_INTEGER, 'must be a positive integer');
/** A message id a keyset slice starts from. */
export const cursorIdField = messageIdField;
/** "The latest messages": an empty `before_id`, as a query string gives it. */
export const latestCursorField = v.literal('', 'must be a positive integer');
