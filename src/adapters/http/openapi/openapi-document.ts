import { EPOCH_PATTERN } from '../../realtime/stream-position.schema.js';
import { messageListQuery, messageRequests, sessionDetailQuery, sessionListQuery, threadQuery } from '../request-schemas.js';
import { messageTextFields } from '../../../application/validation/fields.js';
import { componentRef, openApiComponents, type OpenApiComponents, queryParameters, type JsonObject } from './openapi-components.js';

export { documentedRoutes } from './documented-routes.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options' | 'trace';

export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface OpenApiOperation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly security: readonly SecurityRequirement[];
  readonly parameters?: readonly JsonObject[];
  readonly requestBody?: JsonObject;
  readonly responses: Readonly<Record<string, JsonObject>>;
}

export type OpenApiPathItem = Readonly<Partial<Record<HttpMethod, OpenApiOperation>>>;

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: JsonObject;
  readonly servers?: readonly JsonObject[];
  readonly tags: readonly JsonObject[];
  readonly paths: Readonly<Record<string, OpenApiPathItem>>;
  readonly components: OpenApiComponents;
  /** How requests no operation describes are answered (see `unmatchedRequests`). */
  readonly 'x-unmatched-requests': JsonObject;
}

export interface OpenApiDocumentOptions {
  /** Where the API is served; left out, clients resolve paths against the document's own origin. */
  readonly serverUrl?: string;
  readonly version: string;
  /** The longest a message's text may be, in characters, as the server is configured (`MESSAGE_MAX_CHARS`). */
  readonly messageMaxChars: number;
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 426 | 429 | 500 | 503;

const ERROR_RESPONSES: Readonly<Record<ErrorStatus, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  426: 'UpgradeRequired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'Unavailable',
};

const ACCESS_TOKEN: readonly SecurityRequirement[] = [{ bearerAuth: [] }];
const PUBLIC: readonly SecurityRequirement[] = [];

const json = (description: string, schema: string): JsonObject => ({
  description,
  content: { 'application/json': { schema: componentRef('schemas', schema) } },
});

const errors = (...statuses: readonly ErrorStatus[]): Record<string, JsonObject> =>
  Object.fromEntries(
    [...new Set<ErrorStatus>([...statuses, 500])]
      .sort((a, b) => a - b)
      .map((status) => [String(status), componentRef('responses', ERROR_RESPONSES[status])]),
  );

// Every request that may carry a body goes through the JSON body parser, so each can meet its
// three refusals even when the operation itself reads no body.
const BODY_ERRORS: readonly ErrorStatus[] = [400, 413, 415];
// An authenticated call first checks the login in the database.
const AUTHENTICATED_ERRORS: readonly ErrorStatus[] = [401, 503];

const sessionId = componentRef('parameters', 'SessionId');
const messageId = componentRef('parameters', 'MessageId');
const body = (name: string): JsonObject => componentRef('requestBodies', name);

const authPaths: Record<string, OpenApiPathItem> = {
  '/auth/register': {
    post: {
      operationId: 'register',
      tags: ['Auth'],
      summary: 'Create an account and log it in',
      description:
        'Registrations are limited per client address (10 an hour by default; 429 with `Retry-After`), whether they succeed or not. When password hashing is at capacity the answer is 503 `server_busy` with `Retry-After`.',
      security: PUBLIC,
      requestBody: body('RegisterRequest'),
      responses: {
        '201': json('The new account and its first token pair.', 'AuthResult'),
        ...errors(...BODY_ERRORS, 409, 429, 503),
      },
    },
  },
  '/auth/login': {
    post: {
      operationId: 'logIn',
      tags: ['Auth'],
      summary: 'Log in with username (or email) and password',
      description:
        'An unknown user and a wrong password give the same 401 in about the same time. Failed attempts are limited per account and client address, per client address, and per account from addresses it has never signed in from (429 with `Retry-After`); a success starts the count of its account and address over, and correct logins made at the same time are never refused for each other. When password hashing is at capacity the answer is 503 `server_busy` with `Retry-After`.',
      security: PUBLIC,
      requestBody: body('LoginRequest'),
      responses: {
        '200': json('The account and a new token pair.', 'AuthResult'),
        ...errors(...BODY_ERRORS, 401, 403, 429, 503),
      },
    },
  },
  '/auth/refresh': {
    post: {
      operationId: 'refreshLogin',
      tags: ['Auth'],
      summary: 'Trade a refresh token for a new pair',
      description:
        'Send the refresh token as `Authorization: Bearer <refresh_token>` or in the body as `refresh_token`. The token is spent, and the answer is a new pair. Presented again within the grace window (`REFRESH_REUSE_GRACE`, a few seconds) it gets that same pair once more, the same tokens with `expires_in` counting down, so tabs that refresh at once all stay signed in. Presented after the window, or when it is older than the token spent last, it counts as stolen: the whole login ends (every token descended from it) and the answer is 401 `token_reused`.',
      // The empty requirement says the bearer header is optional: the body may carry the token.
      security: [{ refreshToken: [] }, {}],
      requestBody: body('RefreshRequest'),
      responses: {
        '200': json(
          'The new token pair (inside the grace window, the pair the token was already traded for); the presented refresh token is spent.',
          'TokenPair',
        ),
        ...errors(...BODY_ERRORS, 401, 503),
      },
    },
  },
  '/auth/logout': {
    post: {
      operationId: 'logOut',
      tags: ['Auth'],
      summary: 'End this login',
      description: "The login's refresh token and its access tokens stop working at once.",
      security: ACCESS_TOKEN,
      responses: {
        '200': json('The login has ended.', 'Notice'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS),
      },
    },
  },
  '/auth/logout-all': {
    post: {
      operationId: 'logOutEverywhere',
      tags: ['Auth'],
      summary: 'End every login of the account',
      security: ACCESS_TOKEN,
      responses: {
        '200': json('Every login has ended, this one included.', 'LogoutAllResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS),
      },
    },
  },
  '/auth/profile': {
    get: {
      operationId: 'getProfile',
      tags: ['Auth'],
      summary: "The caller's account",
      security: ACCESS_TOKEN,
      responses: {
        '200': json('The account.', 'UserResult'),
        ...errors(...AUTHENTICATED_ERRORS),
      },
    },
    put: {
      operationId: 'updateProfile',
      tags: ['Auth'],
      summary: 'Change username, email or password',
      description:
        'A new `password` needs `current_password` (400 without it, 401 `invalid_current_password` when wrong) and ends every other login of the account. Wrong current passwords count against the same limits as failed logins (429 with `Retry-After`); when password hashing is at capacity, 503 `server_busy`.',
      security: ACCESS_TOKEN,
      requestBody: body('UpdateProfileRequest'),
      responses: {
        '200': json('The account as changed.', 'UserResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 409, 429),
      },
    },
    delete: {
      operationId: 'deleteAccount',
      tags: ['Auth'],
      summary: 'Delete the account',
      description:
        'Deletes the account with its logins, sessions and messages, for good. Wrong current passwords count against the same limits as failed logins (429 with `Retry-After`); when password hashing is at capacity, 503 `server_busy`.',
      security: ACCESS_TOKEN,
      requestBody: body('DeleteAccountRequest'),
      responses: {
        '200': json('The account is gone.', 'Notice'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 429),
      },
    },
  },
};

const chatPaths: Record<string, OpenApiPathItem> = {
  '/chat/sessions': {
    post: {
      operationId: 'createSession',
      tags: ['Chat'],
      summary: 'Start a session',
      security: ACCESS_TOKEN,
      requestBody: body('CreateSessionRequest'),
      responses: {
        '201': json('The new session.', 'SessionResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS),
      },
    },
    get: {
      operationId: 'listSessions',
      tags: ['Chat'],
      summary: "The caller's sessions",
      description: 'Most recently active first (`updated_at` descending, then `id` descending); deleted sessions are left out.',
      security: ACCESS_TOKEN,
      parameters: queryParameters(sessionListQuery),
      responses: {
        '200': json('A page of sessions.', 'SessionList'),
        ...errors(400, ...AUTHENTICATED_ERRORS),
      },
    },
  },
  '/chat/sessions/{id}': {
    get: {
      operationId: 'getSession',
      tags: ['Chat'],
      summary: 'A session with a page of its messages',
      security: ACCESS_TOKEN,
      parameters: [sessionId, ...queryParameters(sessionDetailQuery)],
      responses: {
        '200': json('The session and a page (the first by default) of its messages, oldest first.', 'SessionDetail'),
        ...errors(400, ...AUTHENTICATED_ERRORS, 404),
      },
    },
    put: {
      operationId: 'renameSession',
      tags: ['Chat'],
      summary: 'Rename a session',
      security: ACCESS_TOKEN,
      parameters: [sessionId],
      requestBody: body('RenameSessionRequest'),
      responses: {
        '200': json('The session as renamed.', 'SessionResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404),
      },
    },
    delete: {
      operationId: 'deleteSession',
      tags: ['Chat'],
      summary: 'Delete a session',
      description: 'A soft delete: afterwards the session is 404 everywhere.',
      security: ACCESS_TOKEN,
      parameters: [sessionId],
      responses: {
        '200': json('The session is gone.', 'Notice'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404),
      },
    },
  },
  '/chat/sessions/{id}/messages': {
    post: {
      operationId: 'sendMessage',
      tags: ['Chat'],
      summary: 'Send a message',
      description:
        "Makes the session the caller's most recently active one. With `client_id`, a retry is safe: sending again with an id already stored in the session creates nothing and answers 200 with the stored message (409 `client_id_conflict` with another `text` or `sender`). With `status: streaming`, the message is written by appends and ended by complete. Each user may write 3,000 messages a minute by default, appends included (429 with `Retry-After` past that).",
      security: ACCESS_TOKEN,
      parameters: [sessionId],
      requestBody: body('SendMessageRequest'),
      responses: {
        '200': json('The message stored earlier with this `client_id`: nothing new was created.', 'MessageResult'),
        '201': json('The new message.', 'MessageResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404, 409, 429),
      },
    },
    get: {
      operationId: 'listMessages',
      tags: ['Chat'],
      summary: 'The messages of a session',
      description:
        'By position with `page` and `per_page`: `{messages, pagination}`, oldest first. With `before_id` (which may be empty: the latest messages) or `after_id`, by keyset with `limit`: `{messages, has_more}`, oldest first within the slice; its cost does not grow with the session and new messages do not shift it.',
      security: ACCESS_TOKEN,
      parameters: [sessionId, ...queryParameters(messageListQuery)],
      responses: {
        '200': {
          description: 'A page or, in keyset mode, a slice of messages.',
          content: {
            'application/json': {
              schema: { oneOf: [componentRef('schemas', 'MessagePage'), componentRef('schemas', 'MessageSlice')] },
            },
          },
        },
        ...errors(400, ...AUTHENTICATED_ERRORS, 404),
      },
    },
    delete: {
      operationId: 'clearMessages',
      tags: ['Chat'],
      summary: 'Delete every message of a session',
      description: 'Soft-deletes them all; the session stays.',
      security: ACCESS_TOKEN,
      parameters: [sessionId],
      responses: {
        '200': json('The messages are gone.', 'ClearMessagesResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404),
      },
    },
  },
  '/chat/sessions/{id}/messages/{message_id}': {
    put: {
      operationId: 'editMessage',
      tags: ['Chat'],
      summary: 'Edit a message',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId],
      requestBody: body('EditMessageRequest'),
      responses: {
        '200': json('The message as edited.', 'MessageResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404),
      },
    },
    delete: {
      operationId: 'deleteMessage',
      tags: ['Chat'],
      summary: 'Delete a message',
      description: 'A soft delete: gone from every list and 404 afterwards.',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId],
      responses: {
        '200': json('The message is gone.', 'Notice'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404),
      },
    },
  },
  '/chat/sessions/{id}/messages/{message_id}/append': {
    post: {
      operationId: 'appendToMessage',
      tags: ['Chat'],
      summary: 'Add text to the end of a streaming message',
      description:
        'The length rule applies to the whole text. Appends are stored as they come: nothing answered 200 is lost if the server stops. A message that is not streaming is 409 `not_streaming`. Appends count against the same per-user limit as sends (429 with `Retry-After`).',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId],
      requestBody: body('AppendToMessageRequest'),
      responses: {
        '200': json('The message with the text added.', 'MessageResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404, 409, 429),
      },
    },
  },
  '/chat/sessions/{id}/messages/{message_id}/complete': {
    post: {
      operationId: 'completeMessage',
      tags: ['Chat'],
      summary: 'End a streaming message',
      description: 'Its status becomes `complete`; a message that is not streaming is 409 `not_streaming`.',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId],
      requestBody: body('CompleteMessageRequest'),
      responses: {
        '200': json('The completed message.', 'MessageResult'),
        ...errors(...BODY_ERRORS, ...AUTHENTICATED_ERRORS, 404, 409),
      },
    },
  },
  '/chat/sessions/{id}/messages/{message_id}/thread': {
    get: {
      operationId: 'readThread',
      tags: ['Chat'],
      summary: 'The branch a message is on',
      description:
        'The path from the first message down to this one, oldest first: the context for that branch. A long path comes in pages, the nearest messages first; `has_more` says older ones lie above, read them with `before_id`.',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId, ...queryParameters(threadQuery)],
      responses: {
        '200': json('A page of the path, oldest first.', 'Thread'),
        ...errors(400, ...AUTHENTICATED_ERRORS, 404),
      },
    },
  },
  '/chat/sessions/{id}/messages/{message_id}/revisions': {
    get: {
      operationId: 'listRevisions',
      tags: ['Chat'],
      summary: 'The texts the edits of a message replaced',
      security: ACCESS_TOKEN,
      parameters: [sessionId, messageId],
      responses: {
        '200': json('Oldest first; empty if never edited.', 'RevisionList'),
        ...errors(400, ...AUTHENTICATED_ERRORS, 404),
      },
    },
  },
};

const realtimePaths: Record<string, OpenApiPathItem> = {
  '/events': {
    get: {
      operationId: 'streamEvents',
      tags: ['Real time'],
      summary: "The caller's changes as Server-Sent Events",
      description: [
        "Streams every change to the caller's data, from every server instance, as `text/event-stream`:",
        'each event is `id: <epoch>:<offset>`, `event: <type>`, `data: <the event as JSON>` (schema `RealtimeEvent`).',
        'The stream opens with `event: ready` (schema `ReadyFrame`), after replaying what came after `Last-Event-ID`',
        'when the history still holds all of it; `event: degraded` and `event: resync` (schema `ControlFrame`) report',
        'a Redis outage and its end. Text appended to a streaming message arrives as `event: message.delta`',
        '(schema `DeltaFrame`), with no `id`: it is never replayed. A comment line (`: keep-alive`) goes out every 15 s. The stream ends when its',
        'login ends (logout, password change, ...) or the server shuts down; a client that does not read is cut off.',
        'Open streams and WebSockets of one user count against one cap (20 by default): over it, 429.',
      ].join(' '),
      security: ACCESS_TOKEN,
      parameters: [
        {
          name: 'Last-Event-ID',
          in: 'header',
          required: false,
          description:
            'The `id` of the last event this client handled (`<epoch>:<offset>`); `EventSource` sends it by itself on reconnect. Any other value is 400.',
          schema: { type: 'string', pattern: `^${EPOCH_PATTERN.source.slice(1, -1)}:\\d+$`, examples: ['k3x9Qw_a:41'] },
        },
      ],
      responses: {
        '200': {
          description: 'The stream, until the client leaves, the login ends or the server stops.',
          content: {
            'text/event-stream': {
              schema: { type: 'string' },
              examples: {
                stream: {
                  value:
                    'retry: 2000\n\nid: k3x9Qw_a:42\nevent: ready\ndata: {"type":"ready","epoch":"k3x9Qw_a","offset":42,"recovered":false}\n\n' +
                    'id: k3x9Qw_a:43\nevent: message.created\ndata: {"type":"message.created","epoch":"k3x9Qw_a","offset":43,"session_id":12,"message":{…}}\n\n',
                },
              },
            },
          },
        },
        ...errors(400, ...AUTHENTICATED_ERRORS, 429),
      },
    },
  },
  '/ws': {
    get: {
      operationId: 'openWebSocket',
      tags: ['Real time'],
      summary: 'The WebSocket handshake',
      description: [
        'Upgrade to a WebSocket, then send `AuthFrame` within 5 seconds. The server replays what came after `since`,',
        'sends `ReadyFrame`, then every `RealtimeEvent` of the user as it is committed, a `DeltaFrame` for each append',
        'to a streaming message, and `ControlFrame`s. Send',
        '`{"type":"ping"}` at will (answer `{"type":"pong"}`); anything else after `auth` is answered with an `ErrorFrame`.',
        'The server pings every 30 s and drops a peer that did not answer the previous ping. Close codes: 4401 no valid',
        '`auth` in time, or the login ended; 1001 server shutting down; 1008 too many connections for the user; 1009 a',
        'frame over 4 KiB; 1011 a server bug; 1013 the client does not read (over 1 MiB waiting) or a dependency is down (retry).',
      ].join(' '),
      security: PUBLIC,
      responses: {
        '101': { description: 'Switching to the WebSocket protocol.' },
        ...errors(426),
      },
    },
  },
};

const operationsPaths: Record<string, OpenApiPathItem> = {
  '/health': {
    get: {
      operationId: 'health',
      tags: ['Operations'],
      summary: 'Liveness',
      description: 'Answers while the process runs; it does not touch the database.',
      security: PUBLIC,
      responses: { '200': json('The process runs (`{"status":"ok"}`).', 'Status'), ...errors() },
    },
  },
  '/ready': {
    get: {
      operationId: 'ready',
      tags: ['Operations'],
      summary: 'Readiness',
      description:
        'Answers 200 when the database answers, 503 otherwise: take the instance out of rotation on 503. Redis, when the event streams live there, is reported (`"redis": "down"`) but does not make the instance unready: without it HTTP keeps working and real time degrades.',
      security: PUBLIC,
      responses: { '200': json('The database answers.', 'Readiness'), ...errors(503) },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openApiDocument',
      tags: ['Operations'],
      summary: 'This document',
      security: PUBLIC,
      responses: {
        '200': {
          description: 'The OpenAPI 3.1 description of the API.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        ...errors(),
      },
    },
  },
  '/docs': {
    get: {
      operationId: 'docsPage',
      tags: ['Operations'],
      summary: 'This document, rendered',
      description: 'An HTML page (Swagger UI) whose scripts and styles the server itself serves: it works offline.',
      security: PUBLIC,
      responses: {
        '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
        ...errors(),
      },
    },
  },
};

/**
 * The app answers on every path, not only on those of `paths`: an unknown path, a known path with
 * a method it lacks, and OPTIONS. OpenAPI has no place for answers that belong to no operation, so
 * they are stated once here, as responses like an operation's; the HTTP tests hold the server to
 * them like to any operation. The body parser runs before the routes, so a body is refused
 * (400, 413, 415) before the path is looked at.
 */
const unmatchedRequests: JsonObject = {
  description:
    'How the server answers a request that no operation of `paths` describes, on any path. `HEAD` is answered wherever `GET` is, as that `GET` without content.',
  'unknown-path': {
    description: 'A path that no path item matches, with any method: 404 `route_not_found`. A body is read, and may be refused, first.',
    responses: {
      ...errors(...BODY_ERRORS),
      '404': componentRef('responses', 'RouteNotFound'),
    },
  },
  'unknown-method': {
    description:
      'A path of `paths` with a method its path item does not have: 405 `method_not_allowed`, `Allow` listing the methods it has. A body is read, and may be refused, first.',
    responses: {
      ...errors(...BODY_ERRORS),
      '405': componentRef('responses', 'MethodNotAllowed'),
    },
  },
  options: {
    description:
      'OPTIONS on a path of `paths`, a CORS preflight included: 204 with no content and `Allow`. A preflight from an origin in `CORS_ORIGINS` also gets the `Access-Control-Allow-*` headers; from any other origin, none.',
    responses: {
      '204': {
        description: 'The methods the path has, or, to a preflight from an allowed origin, what the page may send.',
        headers: {
          Allow: {
            description: 'The methods the path has (HEAD wherever GET is); absent from the answer to an allowed preflight.',
            schema: { type: 'string', examples: ['POST, HEAD, GET'] },
          },
          'Access-Control-Allow-Origin': {
            description: 'Only to a preflight from an origin in `CORS_ORIGINS`: that origin, never `*`.',
            schema: { type: 'string', examples: ['https://app.example'] },
          },
          'Access-Control-Allow-Methods': {
            description: 'Only to a preflight from an origin in `CORS_ORIGINS`.',
            schema: { type: 'string', examples: ['GET,POST,PUT,DELETE'] },
          },
          'Access-Control-Allow-Headers': {
            description: 'Only to a preflight from an origin in `CORS_ORIGINS`.',
            schema: { type: 'string', examples: ['Authorization,Content-Type,X-Request-Id'] },
          },
          'Access-Control-Max-Age': {
            description: 'Only to a preflight from an origin in `CORS_ORIGINS`: seconds the browser may keep the answer.',
            schema: { type: 'integer', minimum: 0, examples: [600] },
          },
        },
      },
    },
  },
};

const DESCRIPTION = `
A chat backend: accounts with JWT logins, chat sessions and their messages, and real-time updates.

## Conventions
- JSON in, JSON out, \`snake_case\` keys, UTF-8; every response, errors included, is
  \`application/json; charset=utf-8\` (the docs page and the WebSocket upgrade aside).
- Timestamps are ISO 8601 UTC strings with milliseconds: \`2026-01-31T12:00:00.000Z\`.
- Errors are \`{"error", "code", "details"?}\`: \`error\` is for people, \`code\` a stable word for
  programs, \`details\` (validation only) one line per problem naming its field.
- Unknown keys in a body are ignored, never written (\`id\`, \`user_id\`, \`is_active\`, ... change nothing).
- Bodies are limited to 1 MiB (configurable): larger is 413, not JSON is 415, malformed JSON is 400.
- An unknown path is 404 \`route_not_found\`; a known path with a method it does not have is 405
  \`method_not_allowed\` with an \`Allow\` header; OPTIONS is 204 with \`Allow\`; HEAD is answered
  wherever GET is (the document's root \`x-unmatched-requests\` states these answers as responses).
- A request the HTTP parser cannot read is 400 \`bad_request\` (431 \`headers_too_large\` when its request
  line and headers pass 16 KB), still in this shape; one whose headers or body do not arrive within the
  server's configured time is 408 \`request_timeout\`, and its connection is closed.
- A resource the caller does not own is 404, exactly as if it did not exist.
- Every response carries \`X-Request-Id\` (the caller's own, echoed, or a new one) for tracing in the logs.

## Authentication
Register or log in for a token pair. Send the \`access_token\` as \`Authorization: Bearer <token>\`;
it lives 15 minutes. Trade the \`refresh_token\` (30 days, single use) at \`POST /auth/refresh\` for a
new pair. A refresh token spent twice ends the whole login. Failed password checks, registrations
and message writes are rate limited (429 with \`Retry-After\`); password hashing has a bounded
queue (503 \`server_busy\` with \`Retry-After\` when it is full).

## Security headers
Every API response has \`X-Content-Type-Options: nosniff\` and
\`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\`, and no \`X-Powered-By\`.
Everything under \`/auth\` also has \`Cache-Control: no-store\`. Chat text is stored as written (it may
hold code) and only ever served as JSON. The docs page has its own policy, allowing only its own
scripts and styles. CORS allows only the origins configured in \`CORS_ORIGINS\`.

## Real time: \`GET /ws\` (WebSocket) and \`GET /events\` (Server-Sent Events)
Every change to a user's data (\`session.created\`, \`session.updated\`, \`session.deleted\`,
\`message.created\`, \`message.updated\`, \`message.deleted\`, \`messages.cleared\`) becomes an event,
pushed once it is committed to every open connection of that user, on every server instance, and to
no one else. Each carries the user's stream position: \`offset\` grows by exactly one per event of
that user, \`epoch\` names the stream and changes when its history is lost (Redis flushed; without
Redis, a restart), so positions compare only within one epoch. A client that reconnects with its
last position (\`since\` on \`/ws\`, \`Last-Event-ID\` on \`/events\`) first receives exactly what it
missed, in order, if the history still holds all of it (by default the last 1,000 events of the last
24 hours), then \`ready\` with \`recovered: true\`; otherwise no replay and \`recovered: false\`: reload
through this API. \`degraded\` says Redis is unreachable (HTTP keeps working); \`resync\` that delivery
is back and events of the outage may be missing. Each append to a streaming message is pushed at once
as a \`message.delta\` with the text added; deltas have no position and are never replayed (a client
that reconnects reads the text so far). The frames are the schemas \`AuthFrame\`, \`RealtimeEvent\`,
\`DeltaFrame\`, \`ReadyFrame\`, \`ControlFrame\` and \`ErrorFrame\`; the close codes (4401, 1001, 1008,
1009, 1011, 1013) are listed under \`GET /ws\`.
`.trim();

/** The OpenAPI 3.1 description of the whole HTTP API, served at `/openapi.json`. */
export const buildOpenApiDocument = (options: OpenApiDocumentOptions): OpenApiDocument => ({
  openapi: '3.1.0',
  info: {
    title: 'Chat backend API',
    version: options.version,
    description: DESCRIPTION,
    license: { name: 'MIT', identifier: 'MIT' },
  },
  ...(options.serverUrl === undefined ? {} : { servers: [{ url: options.serverUrl }] }),
  tags: [
    { name: 'Auth', description: 'Accounts and logins.' },
    { name: 'Chat', description: "The caller's sessions and their messages; every call needs the access token." },
    { name: 'Real time', description: "Each user's changes, pushed as they are committed, resumable after a dropped connection." },
    { name: 'Operations', description: 'Probes and this documentation.' },
  ],
  paths: { ...authPaths, ...chatPaths, ...realtimePaths, ...operationsPaths },
  components: openApiComponents(messageRequests(messageTextFields(options.messageMaxChars))),
  'x-unmatched-requests': unmatchedRequests,
});
