import { MESSAGES_PER_PAGE_DEFAULT, MESSAGES_PER_PAGE_MAX } from '../../../application/chat/message-page.js';
import { SESSIONS_PER_PAGE_MAX } from '../../../application/chat/list-sessions.use-case.js';
import {
  EMAIL_MAX,
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN,
  TEXT_MAX,
  TITLE_MAX,
  USERNAME_MAX,
  USERNAME_MIN,
  PAGE_MAX,
} from '../../../application/validation/fields.js';
import { DEFAULT_SESSION_TITLE } from '../../../domain/chat-session.entity.js';
import { SENDERS } from '../../../domain/message.entity.js';
import { timestampShape } from '../presenters/resource.presenter.js';
import { jsonSchemaOf } from './json-schema-of.js';
import { realtimeSchemas } from './realtime-schemas.js';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export type JsonObject = { readonly [key: string]: JsonValue };

export type ComponentKind = 'schemas' | 'requestBodies' | 'responses' | 'parameters' | 'headers' | 'securitySchemes';

export const componentRef = (kind: ComponentKind, name: string): JsonObject => ({ $ref: `#/components/${kind}/${name}` });

const schemaRef = (name: string): JsonObject => componentRef('schemas', name);

// The limits come from the constants the use cases validate with, so the document cannot drift
// from the server. The session list's default is the one number ListSessions does not export.
const SESSIONS_PER_PAGE_DEFAULT = 20;

// The presenters' shape: UTC with milliseconds. `date-time` alone would also allow offsets and
// other precisions.
const TIMESTAMP = jsonSchemaOf(timestampShape);

const timestamp = (description: string): JsonObject => ({
  ...TIMESTAMP,
  format: 'date-time',
  description: `${description} ISO 8601 UTC with milliseconds.`,
  examples: ['2026-01-31T12:00:00.000Z'],
});

const SANITIZED =
  'Unicode-normalized (NFC), stripped of control characters other than newline and tab, and trimmed before the length rule applies; lengths count Unicode code points.';

const usernameSchema: JsonObject = {
  type: 'string',
  minLength: USERNAME_MIN,
  maxLength: USERNAME_MAX,
  pattern: '^[A-Za-z0-9_]+$',
  description: `${USERNAME_MIN}-${USERNAME_MAX} letters, digits and underscores; unique, compared case-insensitively. Trimmed before the rules apply.`,
  examples: ['john_doe'],
};

const emailSchema: JsonObject = {
  type: 'string',
  format: 'email',
  maxLength: EMAIL_MAX,
  description: `A valid address of at most ${EMAIL_MAX} characters; stored lower-cased, unique.`,
  examples: ['john@example.com'],
};

// JSON Schema cannot count UTF-8 bytes; maxLength in characters is the nearest bound it can state
// (a string longer than 72 characters is always longer than 72 bytes), the description says the rest.
const newPasswordSchema: JsonObject = {
  type: 'string',
  format: 'password',
  minLength: PASSWORD_MIN,
  maxLength: PASSWORD_MAX_BYTES,
  pattern: '^(?=[\\s\\S]*\\p{Lu})(?=[\\s\\S]*\\p{Ll})(?=[\\s\\S]*\\p{Nd})',
  description: `At least ${PASSWORD_MIN} characters with an uppercase letter, a lowercase letter and a digit, and at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no further, so a longer one is refused rather than silently cut).`,
  examples: ['SecurePass123'],
};

const presentPasswordSchema = (description: string): JsonObject => ({
  type: 'string',
  format: 'password',
  minLength: 1,
  maxLength: 1024,
  description,
  examples: ['SecurePass123'],
});

const titleSchema: JsonObject = {
  type: 'string',
  minLength: 1,
  maxLength: TITLE_MAX,
  description: `1-${TITLE_MAX} characters, ${SANITIZED}`,
  examples: ['My Chat Session'],
};

const textSchema: JsonObject = {
  type: 'string',
  minLength: 1,
  maxLength: TEXT_MAX,
  description: `1-${TEXT_MAX} characters, ${SANITIZED} HTML is stored as written and only ever served as JSON.`,
  examples: ['Hello!'],
};

const paginationExample: JsonObject = { page: 1, per_page: 20, total: 57, pages: 3, has_next: true, has_prev: false };

const schemas: Readonly<Record<string, JsonObject>> = {
  ...realtimeSchemas,
  User: {
    type: 'object',
    description: 'An account as anyone may see it: never a password or its hash.',
    required: ['id', 'username', 'email', 'is_active', 'is_verified', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string', format: 'uuid', examples: ['6f1c2b9e-8a51-4c1e-9d1a-2f4b7c3e5a10'] },
      username: { type: 'string', examples: ['john_doe'] },
      email: { type: 'string', format: 'email', examples: ['john@example.com'] },
      is_active: { type: 'boolean', description: 'A disabled account cannot log in (403 `account_disabled`).' },
      is_verified: { type: 'boolean' },
      created_at: timestamp('When the account was created.'),
      updated_at: timestamp('When the account last changed.'),
    },
  },
  Session: {
    type: 'object',
    required: ['id', 'title', 'message_count', 'last_message_at', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'integer', minimum: 1, examples: [12] },
      title: { type: 'string', examples: ['My Chat Session'] },
      message_count: { type: 'integer', minimum: 0, description: 'Messages not deleted.', examples: [3] },
      last_message_at: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: TIMESTAMP['pattern'] ?? null,
        description: 'When the latest message was sent; null before the first. ISO 8601 UTC with milliseconds.',
      },
      created_at: timestamp('When the session was created.'),
      updated_at: timestamp('When the session was last active (renamed or sent a message); lists sort by it.'),
    },
  },
  Message: {
    type: 'object',
    required: ['id', 'session_id', 'text', 'sender', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'integer', format: 'int64', minimum: 1, description: 'Increases within a session.', examples: [345] },
      session_id: { type: 'integer', minimum: 1, examples: [12] },
      text: { type: 'string', examples: ['Hello!'] },
      sender: { type: 'string', enum: [...SENDERS] },
      created_at: timestamp('When the message was sent.'),
      updated_at: timestamp('When the message was last edited.'),
    },
  },
  TokenPair: {
    type: 'object',
    required: ['access_token', 'refresh_token', 'token_type', 'expires_in'],
    properties: {
      access_token: { type: 'string', description: 'JWT for `Authorization: Bearer`; lives 15 minutes by default.' },
      refresh_token: {
        type: 'string',
        description: 'JWT for `POST /auth/refresh` only; lives 30 days by default and can be used once.',
      },
      token_type: { type: 'string', const: 'Bearer' },
      expires_in: { type: 'integer', minimum: 1, description: 'Seconds the access token lives.', examples: [900] },
    },
  },
  AuthResult: {
    description: 'The account and a fresh token pair, as register and login answer.',
    allOf: [
      schemaRef('TokenPair'),
      { type: 'object', required: ['user'], properties: { user: schemaRef('User') } },
    ],
  },
  Pagination: {
    type: 'object',
    required: ['page', 'per_page', 'total', 'pages', 'has_next', 'has_prev'],
    properties: {
      page: { type: 'integer', minimum: 1, description: 'The page shown, starting at 1.' },
      per_page: { type: 'integer', minimum: 1 },
      total: { type: 'integer', minimum: 0, description: 'Items in the whole list.' },
      pages: { type: 'integer', minimum: 0 },
      has_next: { type: 'boolean' },
      has_prev: { type: 'boolean' },
    },
    examples: [paginationExample],
  },
  Error: {
    type: 'object',
    required: ['error', 'code'],
    properties: {
      error: { type: 'string', description: 'For people; may change wording.', examples: ['Validation failed'] },
      code: {
        type: 'string',
        description: 'For programs; stable (`validation_failed`, `missing_token`, `invalid_token`, `session_not_found`, ...).',
        examples: ['validation_failed'],
      },
      details: {
        type: 'array',
        items: { type: 'string' },
        description: 'On validation errors only: one line per problem, each naming its field.',
        examples: [['username: must be 3-80 characters']],
      },
    },
  },
  Notice: {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string', description: 'What was done, for people.' } },
  },
  LogoutAllResult: {
    type: 'object',
    required: ['message', 'revoked'],
    properties: {
      message: { type: 'string' },
      revoked: { type: 'integer', minimum: 0, description: 'How many logins were still live and are now ended.' },
    },
  },
  UserResult: {
    type: 'object',
    required: ['user'],
    properties: { user: schemaRef('User') },
  },
  SessionResult: {
    type: 'object',
    required: ['session'],
    properties: { session: schemaRef('Session') },
  },
  SessionList: {
    type: 'object',
    required: ['sessions', 'pagination'],
    properties: {
      sessions: { type: 'array', items: schemaRef('Session') },
      pagination: schemaRef('Pagination'),
    },
  },
  SessionDetail: {
    type: 'object',
    description: 'A session with a page of its messages, oldest first.',
    required: ['session', 'messages', 'pagination'],
    properties: {
      session: schemaRef('Session'),
      messages: { type: 'array', items: schemaRef('Message') },
      pagination: schemaRef('Pagination'),
    },
  },
  MessageResult: {
    type: 'object',
    required: ['message'],
    properties: { message: schemaRef('Message') },
  },
  MessagePage: {
    type: 'object',
    description: 'A page of messages found by position, oldest first.',
    required: ['messages', 'pagination'],
    properties: {
      messages: { type: 'array', items: schemaRef('Message') },
      pagination: schemaRef('Pagination'),
    },
  },
  MessageSlice: {
    type: 'object',
    description: 'A keyset slice of messages, oldest first within the slice.',
    required: ['messages', 'has_more'],
    properties: {
      messages: { type: 'array', items: schemaRef('Message') },
      has_more: {
        type: 'boolean',
        description: 'Whether more messages lie beyond this slice in the direction asked (older for `before_id`, newer for `after_id`).',
      },
    },
  },
  ClearMessagesResult: {
    type: 'object',
    required: ['message', 'deleted_count'],
    properties: {
      message: { type: 'string' },
      deleted_count: { type: 'integer', minimum: 0 },
    },
  },
  Status: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', examples: ['ok', 'ready'] } },
  },
  Readiness: {
    type: 'object',
    required: ['status', 'database'],
    properties: {
      status: { const: 'ready' },
      database: { const: 'up' },
      redis: { enum: ['up', 'down'], description: 'Only when `REDIS_URL` is set.' },
    },
    examples: [{ status: 'ready', database: 'up', redis: 'up' }],
  },
  RegisterRequest: {
    type: 'object',
    required: ['username', 'email', 'password'],
    properties: { username: usernameSchema, email: emailSchema, password: newPasswordSchema },
  },
  LoginRequest: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      username: {
        type: 'string',
        minLength: 1,
        maxLength: 254,
        description: 'The username or the email address.',
        examples: ['john_doe'],
      },
      password: presentPasswordSchema('The account password.'),
    },
  },
  RefreshRequest: {
    type: 'object',
    description: 'Needed only when the refresh token is not sent as `Authorization: Bearer`.',
    properties: {
      refresh_token: { type: 'string', minLength: 1, maxLength: 4096, description: 'The refresh token of the pair.' },
    },
  },
  UpdateProfileRequest: {
    type: 'object',
    description: 'Every field is optional; only those given change. A new password ends every other login of the account.',
    properties: {
      username: usernameSchema,
      email: emailSchema,
      password: newPasswordSchema,
      current_password: presentPasswordSchema('Required with `password`; a wrong one is 401 `invalid_current_password`.'),
    },
    dependentRequired: { password: ['current_password'] },
  },
  DeleteAccountRequest: {
    type: 'object',
    required: ['current_password'],
    properties: { current_password: presentPasswordSchema('Confirms the deletion; a wrong one is 401 `invalid_current_password`.') },
  },
  CreateSessionRequest: {
    type: 'object',
    properties: {
      title: {
        ...titleSchema,
        type: ['string', 'null'],
        default: DEFAULT_SESSION_TITLE,
        description: `${String(titleSchema.description)} Absent or null gives \`${DEFAULT_SESSION_TITLE}\`.`,
      },
    },
  },
  RenameSessionRequest: {
    type: 'object',
    required: ['title'],
    properties: { title: titleSchema },
  },
  SendMessageRequest: {
    type: 'object',
    required: ['text'],
    properties: {
      text: textSchema,
      sender: { type: 'string', enum: [...SENDERS], default: 'user' },
    },
  },
  EditMessageRequest: {
    type: 'object',
    required: ['text'],
    properties: { text: textSchema },
  },
};

const requestBody = (schema: string, description: string, required = true): JsonObject => ({
  description: `${description} Unknown keys are ignored, never written.`,
  required,
  content: { 'application/json': { schema: schemaRef(schema) } },
});

const requestBodies: Readonly<Record<string, JsonObject>> = {
  RegisterRequest: requestBody('RegisterRequest', 'The new account.'),
  LoginRequest: requestBody('LoginRequest', 'The credentials.'),
  RefreshRequest: requestBody('RefreshRequest', 'The refresh token, when it is not sent as a bearer token.', false),
  UpdateProfileRequest: requestBody('UpdateProfileRequest', 'The fields to change.'),
  DeleteAccountRequest: requestBody('DeleteAccountRequest', 'The current password, to confirm.'),
  CreateSessionRequest: requestBody('CreateSessionRequest', 'The session; the body may be left out.', false),
  RenameSessionRequest: requestBody('RenameSessionRequest', 'The new title.'),
  SendMessageRequest: requestBody('SendMessageRequest', 'The message.'),
  EditMessageRequest: requestBody('EditMessageRequest', 'The new text.'),
};

const error = (error: string, code: string, details?: readonly string[]): JsonObject =>
  details === undefined ? { error, code } : { error, code, details };

const errorResponse = (
  description: string,
  examples: Readonly<Record<string, JsonObject>>,
  headers?: JsonObject,
  schema: JsonObject = schemaRef('Error'),
): JsonObject => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: {
    'application/json': {
      schema,
      examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])),
    },
  },
});

/** The error shape with one code only: an answer that can mean one thing. */
const errorWithCode = (code: string): JsonObject => ({
  allOf: [schemaRef('Error'), { type: 'object', properties: { code: { const: code } } }],
});

const responses: Readonly<Record<string, JsonObject>> = {
  BadRequest: errorResponse(
    'The request is invalid: a field breaks its rule (`validation_failed`, with `details`) or the body is not well-formed JSON.',
    {
      validation_failed: error('Validation failed', 'validation_failed', [
        'username: must be 3-80 characters',
        'password: must contain a digit',
      ]),
      malformed_json: error('Malformed JSON body', 'malformed_json'),
    },
  ),
  Unauthorized: errorResponse(
    'The token is missing, invalid, expired, of the wrong kind or of an ended login; or the credentials are wrong.',
    {
      missing_token: error('Missing access token', 'missing_token'),
      invalid_token: error('Invalid or expired token', 'invalid_token'),
      invalid_credentials: error('Invalid username or password', 'invalid_credentials'),
      token_reused: error('Refresh token was already used; the login has been revoked', 'token_reused'),
      invalid_current_password: error('Current password is incorrect', 'invalid_current_password'),
    },
    { 'WWW-Authenticate': componentRef('headers', 'WwwAuthenticate') },
  ),
  Forbidden: errorResponse('The account is disabled.', {
    account_disabled: error('Account is disabled', 'account_disabled'),
  }),
  NotFound: errorResponse(
    "No such route, or the session or message does not exist, is deleted or is not the caller's (another user's is never revealed).",
    {
      session_not_found: error('Session not found', 'session_not_found'),
      message_not_found: error('Message not found', 'message_not_found'),
      route_not_found: error('Not found', 'route_not_found'),
    },
  ),
  RouteNotFound: errorResponse(
    'No path of this document matches the request, whatever its method.',
    { route_not_found: error('Not found', 'route_not_found') },
    undefined,
    errorWithCode('route_not_found'),
  ),
  MethodNotAllowed: errorResponse(
    'The path exists but not with this method; `Allow` lists the methods it has.',
    { method_not_allowed: error('Method not allowed', 'method_not_allowed') },
    { Allow: componentRef('headers', 'Allow') },
    errorWithCode('method_not_allowed'),
  ),
  Conflict: errorResponse('The username or the email is already taken (compared case-insensitively).', {
    username_taken: error('Username already exists', 'username_taken'),
    email_taken: error('Email already exists', 'email_taken'),
  }),
  PayloadTooLarge: errorResponse('The body is larger than the limit (1 MiB unless configured otherwise).', {
    payload_too_large: error('Request body too large', 'payload_too_large'),
  }),
  UnsupportedMediaType: errorResponse('The body is not `application/json`.', {
    unsupported_media_type: error('Request body must be JSON', 'unsupported_media_type'),
  }),
  TooManyRequests: errorResponse(
    'Too many failed password checks (logins, or `current_password` on the profile) for this account or from this address; on `/events`, too many open real-time connections for this user.',
    {
      rate_limited: error('Too many attempts, try again later', 'rate_limited'),
      too_many_connections: error('Too many connections for this user', 'rate_limited'),
    },
    { 'Retry-After': componentRef('headers', 'RetryAfter') },
  ),
  UpgradeRequired: errorResponse('`/ws` is a WebSocket endpoint: the request must ask for `Upgrade: websocket`.', {
    upgrade_required: error('This is a WebSocket endpoint: connect with Upgrade: websocket', 'upgrade_required'),
  }),
  InternalError: errorResponse('A bug; the body says nothing more and the server log holds the rest.', {
    internal: error('Internal server error', 'internal'),
  }),
  Unavailable: errorResponse(
    'The database does not answer (or, on `/events`, Redis when the event streams live there).',
    {
      unavailable: error('Database unavailable', 'unavailable'),
      realtime_unavailable: error('Real-time updates are unavailable', 'unavailable'),
    },
    { 'Retry-After': componentRef('headers', 'RetryAfter') },
  ),
};

const integerParameter = (name: string, description: string, schema: JsonObject): JsonObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'integer', ...schema },
});

const parameters: Readonly<Record<string, JsonObject>> = {
  SessionId: {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The session id; anything that is not a positive integer is 404 `session_not_found`.',
    schema: { type: 'integer', minimum: 1 },
  },
  MessageId: {
    name: 'message_id',
    in: 'path',
    required: true,
    description: 'The message id; anything that is not a positive integer is 404 `message_not_found`.',
    schema: { type: 'integer', format: 'int64', minimum: 1 },
  },
  Page: integerParameter('page', 'The page to show, starting at 1.', { minimum: 1, maximum: PAGE_MAX, default: 1 }),
  SessionsPerPage: integerParameter('per_page', `Sessions per page, 1-${SESSIONS_PER_PAGE_MAX}.`, {
    minimum: 1,
    maximum: SESSIONS_PER_PAGE_MAX,
    default: SESSIONS_PER_PAGE_DEFAULT,
  }),
  MessagesPerPage: integerParameter('per_page', `Messages per page, 1-${MESSAGES_PER_PAGE_MAX}.`, {
    minimum: 1,
    maximum: MESSAGES_PER_PAGE_MAX,
    default: MESSAGES_PER_PAGE_DEFAULT,
  }),
  BeforeId: {
    ...integerParameter(
      'before_id',
      'Keyset mode: the messages just before this id. Given with no value (`?before_id=`), the latest messages. Cannot be combined with `after_id`.',
      { minimum: 1 },
    ),
    allowEmptyValue: true,
  },
  AfterId: integerParameter('after_id', 'Keyset mode: the messages just after this id. Cannot be combined with `before_id`.', {
    minimum: 1,
  }),
  Limit: integerParameter('limit', `Keyset mode: at most this many messages, 1-${MESSAGES_PER_PAGE_MAX}.`, {
    minimum: 1,
    maximum: MESSAGES_PER_PAGE_MAX,
    default: MESSAGES_PER_PAGE_DEFAULT,
  }),
};

const headers: Readonly<Record<string, JsonObject>> = {
  WwwAuthenticate: {
    description: '`Bearer` when no token was sent at all.',
    schema: { type: 'string', examples: ['Bearer'] },
  },
  RetryAfter: {
    description: 'Whole seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
  Allow: {
    description: 'The methods the path has (HEAD wherever GET is).',
    required: true,
    schema: { type: 'string', examples: ['POST, HEAD, GET'] },
  },
};

const securitySchemes: Readonly<Record<string, JsonObject>> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The `access_token` of a token pair. A refresh token is refused here, as is the access token of a login that has ended or of an account that is gone or disabled.',
  },
  refreshToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `refresh_token` of a token pair, accepted only by `POST /auth/refresh` (which also takes it in the body).',
  },
};

/** Everything the paths refer to by `$ref`. */
export const openApiComponents = { schemas, requestBodies, responses, parameters, headers, securitySchemes } as const;
