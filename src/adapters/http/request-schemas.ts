import * as v from 'valibot';
import {
  clientIdField,
  cursorIdField,
  emailField,
  latestCursorField,
  loginNameField,
  messageIdField,
  metadataField,
  MESSAGES_PER_PAGE_DEFAULT,
  MESSAGES_PER_PAGE_MAX,
  messagesPerPageField,
  PAGE_DEFAULT,
  pageField,
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN,
  passwordField,
  senderField,
  SESSIONS_PER_PAGE_DEFAULT,
  SESSIONS_PER_PAGE_MAX,
  sendStatusField,
  sessionsPerPageField,
  sliceLimitField,
  type MessageTextFields,
  titleField,
  tokenField,
  typedPasswordField,
  usernameField,
} from '../../application/validation/fields.js';
import { DEFAULT_SESSION_TITLE } from '../../domain/chat-session.entity.js';
import { DEFAULT_MESSAGE_STATUS, DEFAULT_SENDER } from '../../domain/message.entity.js';

/**
 * What each request may carry, on the wire (snake_case), built from the field rules the use cases
 * validate with: the routers parse every body and query with these, and the OpenAPI document's
 * request schemas and query parameters are generated from them. Only the prose is written here.
 * Bodies are plain objects: unknown keys are dropped, never written.
 */

const SANITIZED =
  'Unicode-normalized (NFC), stripped of control characters other than newline and tab, and trimmed before the length rule applies; lengths count Unicode code points.';

const described = <S extends v.GenericSchema>(schema: S, description: string, examples?: readonly unknown[]) =>
  v.pipe(schema, v.description(description), v.metadata(examples === undefined ? {} : { examples }));

/** Absent is allowed; the use case supplies the default, which the document states. */
const optionalDefaulting = <S extends v.GenericSchema>(schema: S, fallback: v.InferOutput<S>) =>
  v.pipe(v.optional(schema), v.metadata({ default: fallback }));

const username = () =>
  described(usernameField, 'Letters, digits and underscores; unique, compared case-insensitively. Trimmed before the rules apply.', ['john_doe']);
const email = () => described(emailField, 'A valid address; stored lower-cased, unique.', ['john@example.com']);
/** `format: password` lets documentation tools mask what is typed into the field. */
const masked = <S extends v.GenericSchema>(schema: S) => v.pipe(schema, v.metadata({ format: 'password' }));

const newPassword = () =>
  masked(
    described(
      passwordField,
      `At least ${PASSWORD_MIN} characters with an uppercase letter, a lowercase letter and a digit, and at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no further, so a longer one is refused rather than silently cut). Not one of the common passwords of a kept list (about 49,000, compared without regard to case): those are refused with a detail saying so. Compared as text: Unicode-normalized (NFC) before it is hashed, as a typed password is before it is compared.`,
      ['SecurePass123'],
    ),
  );
const typedPassword = (description: string) => masked(described(typedPasswordField, description, ['SecurePass123']));
const title = () => described(titleField, SANITIZED, ['My Chat Session']);

export const registerRequest = v.object({ username: username(), email: email(), password: newPassword() });

export const loginRequest = v.object({
  username: described(loginNameField, 'The username or the email address.', ['john_doe']),
  password: typedPassword('The account password.'),
});

export const refreshRequest = v.pipe(
  v.object({ refresh_token: v.optional(described(tokenField, 'The refresh token of the pair.')) }),
  v.description('Needed only when the refresh token is not sent as `Authorization: Bearer`.'),
);

export const updateProfileRequest = v.pipe(
  v.object({
    username: v.optional(username()),
    email: v.optional(email()),
    password: v.optional(newPassword()),
    current_password: v.optional(typedPassword('Required with `password`; a wrong one is 401 `invalid_current_password`.')),
  }),
  v.description('Every field is optional; only those given change. A new password ends every other login of the account.'),
  // UpdateProfile checks this rule for every caller; JSON Schema states it for the document's readers.
  v.metadata({ dependentRequired: { password: ['current_password'] } }),
);

export const deleteAccountRequest = v.object({
  current_password: typedPassword('Confirms the deletion; a wrong one is 401 `invalid_current_password`.'),
});

export const createSessionRequest = v.object({
  title: v.pipe(v.nullish(title()), v.description(`Absent or null gives \`${DEFAULT_SESSION_TITLE}\`. ${SANITIZED}`), v.metadata({ default: DEFAULT_SESSION_TITLE })),
});

export const renameSessionRequest = v.object({ title: title() });

// The text rule differs by status (a streamed message may start empty and is not trimmed): the
// router parses with the body its status calls for, as SendMessage validates.
const sendFields = {
  sender: v.pipe(v.nullish(senderField), v.metadata({ default: DEFAULT_SENDER })),
  client_id: described(
    v.nullish(clientIdField),
    'Made by the client (a UUID fits). Sending again with one already stored in the session creates nothing and answers 200 with the stored message; with another `text` or `sender` it is 409 `client_id_conflict`.',
    ['7b0e3c1a-5d2f-4e8a-9b6c-1d2e3f4a5b6c'],
  ),
  parent_id: described(
    v.nullish(messageIdField),
    "The message this one answers; by default the session's latest live message. Not a live message of this session: 400.",
  ),
  status: v.pipe(v.nullish(sendStatusField), v.description('`streaming` stores a message to be written by appends and completed.'), v.metadata({ default: DEFAULT_MESSAGE_STATUS })),
  metadata: v.nullish(metadataField),
};

/**
 * The bodies that carry a message's text, under the configured limit on its length
 * (`MESSAGE_MAX_CHARS`): built once at startup, for the router and the document alike.
 */
export const messageRequests = (rules: MessageTextFields) => {
  const text = () => described(rules.text, `${SANITIZED} HTML is stored as written and only ever served as JSON.`, ['Hello!']);
  return {
    /** A message sent whole: its text is trimmed and has at least one character. */
    sendMessageRequest: v.object({ text: text(), ...sendFields }),
    /** A message to be streamed (`status: streaming`); the document shows this wider body, which both accept from. */
    streamingSendMessageRequest: v.object({
      text: described(
        rules.streamedText,
        `${SANITIZED} At least one character, unless \`status\` is \`streaming\`: then it may be empty and is not trimmed (appends continue it). HTML is stored as written and only ever served as JSON.`,
        ['Hello!'],
      ),
      ...sendFields,
    }),
    appendToMessageRequest: v.object({
      text: described(
        rules.appendedText,
        'Added to the end of the text as it is: Unicode-normalized (NFC) and stripped of control characters other than newline and tab, not trimmed. The length rule applies to the whole text.',
        [' world'],
      ),
    }),
    editMessageRequest: v.object({ text: text() }),
  };
};

export type MessageRequests = ReturnType<typeof messageRequests>;

export const completeMessageRequest = v.object({
  metadata: v.pipe(v.nullish(metadataField), v.description('Replaces the metadata the message was sent with; absent or null keeps it.')),
});


const page = () => described(optionalDefaulting(pageField, PAGE_DEFAULT), 'The page to show, starting at 1.');

export const sessionListQuery = v.object({
  page: page(),
  per_page: described(optionalDefaulting(sessionsPerPageField, SESSIONS_PER_PAGE_DEFAULT), `Sessions per page, 1-${SESSIONS_PER_PAGE_MAX}.`),
});

const messagesPerPage = () =>
  described(optionalDefaulting(messagesPerPageField, MESSAGES_PER_PAGE_DEFAULT), `Messages per page, 1-${MESSAGES_PER_PAGE_MAX}.`);

export const sessionDetailQuery = v.object({ page: page(), per_page: messagesPerPage() });

export const threadQuery = v.object({
  before_id: described(v.optional(cursorIdField), 'The first (oldest) id of the page read before: the page continues above it.'),
  limit: described(optionalDefaulting(sliceLimitField, MESSAGES_PER_PAGE_DEFAULT), `At most this many messages, 1-${MESSAGES_PER_PAGE_MAX}.`),
});

export const messageListQuery = v.object({
  page: page(),
  per_page: messagesPerPage(),
  before_id: described(
    v.optional(v.union([latestCursorField, cursorIdField], 'must be a positive integer')),
    'Keyset mode: the messages just before this id. Given with no value (`?before_id=`), the latest messages. Cannot be combined with `after_id`.',
  ),
  after_id: described(v.optional(cursorIdField), 'Keyset mode: the messages just after this id. Cannot be combined with `before_id`.'),
  limit: described(
    optionalDefaulting(sliceLimitField, MESSAGES_PER_PAGE_DEFAULT),
    `Keyset mode: at most this many messages, 1-${MESSAGES_PER_PAGE_MAX}.`,
  ),
});

/** The bodies the document names, by the name it gives them. */
export const requestBodies = (messages: MessageRequests) =>
  ({
    RegisterRequest: registerRequest,
    LoginRequest: loginRequest,
    RefreshRequest: refreshRequest,
    UpdateProfileRequest: updateProfileRequest,
    DeleteAccountRequest: deleteAccountRequest,
    CreateSessionRequest: createSessionRequest,
    RenameSessionRequest: renameSessionRequest,
    SendMessageRequest: messages.streamingSendMessageRequest,
    EditMessageRequest: messages.editMessageRequest,
    AppendToMessageRequest: messages.appendToMessageRequest,
    CompleteMessageRequest: completeMessageRequest,
  }) as const;
