import type * as v from 'valibot';
import { responseBodies } from '../presenters/response-bodies.js';
import { validate } from '../../../application/validation/validate.js';
import { ValidationError } from '../../../domain/domain-error.js';
import { type MessageRequests, registerRequest, requestBodies as requestBodySchemas } from '../request-schemas.js';
import { jsonSchemaOf, jsonSchemasOf } from './json-schema-of.js';
import type { JsonObject } from './json-value.js';
import { realtimeSchemas } from './realtime-schemas.js';

export type { JsonObject, JsonValue } from './json-value.js';

export type ComponentKind = 'schemas' | 'requestBodies' | 'responses' | 'parameters' | 'headers' | 'securitySchemes';

export const componentRef = (kind: ComponentKind, name: string): JsonObject => ({ $ref: `#/components/${kind}/${name}` });

const schemaRef = (name: string): JsonObject => componentRef('schemas', name);

// Generated from the declarations the server parses and answers with (request-schemas.ts,
// presenters/); only the real-time frames add hand-written prose around generated parts.
const schemasFor = (messages: MessageRequests): Readonly<Record<string, JsonObject>> => ({
  ...realtimeSchemas,
  ...jsonSchemasOf({ ...responseBodies, ...requestBodySchemas(messages) }),
});

// The example's details are what the server answers to this body, so their wording cannot drift.
const INVALID_REGISTRATION = { username: 'jd', email: 'john@example.com', password: 'SecurePass' };

const detailsOf = (schema: v.GenericSchema, input: unknown): readonly string[] => {
  try {
    validate(schema, input);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('the example input was meant to be invalid');
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
  AppendToMessageRequest: requestBody('AppendToMessageRequest', 'The text to add.'),
  CompleteMessageRequest: requestBody('CompleteMessageRequest', 'Optionally, the final metadata.'),
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
      validation_failed: error('Validation failed', 'validation_failed', detailsOf(registerRequest, INVALID_REGISTRATION)),
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
    'A rate limit is reached: too many failed password checks (logins, or `current_password` on the profile) for this account or from this address, too many registrations from this address, or too many messages written by this user; on `/events`, too many open real-time connections for this user.',
    {
      rate_limited: error('Too many attempts, try again later', 'rate_limited'),
      too_many_registrations: error('Too many registrations, try again later', 'rate_limited'),
      too_many_messages: error('Too many messages, try again later', 'rate_limited'),
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
    'The database does not answer (or, on `/events`, Redis when the event streams live there; where a password is checked or an account registered, Redis when the rate-limit counters live there), or password hashing is at capacity (`server_busy`).',
    {
      unavailable: error('Database unavailable', 'unavailable'),
      realtime_unavailable: error('Real-time updates are unavailable', 'unavailable'),
      throttling_unavailable: error('Rate limiting is unavailable', 'unavailable'),
      server_busy: error('Server busy, try again later', 'server_busy'),
    },
    { 'Retry-After': componentRef('headers', 'RetryAfter') },
  ),
};

/**
 * The query parameters of an operation, one per key of the query schema the router parses with:
 * its description lifted to the parameter, the rest of the generated schema as the parameter's.
 */
export const queryParameters = (query: v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>): JsonObject[] =>
  Object.entries(query.entries).map(([name, entry]) => {
    const { description, ...schema } = jsonSchemaOf(entry);
    return { name, in: 'query', required: false, ...(description === undefined ? {} : { description }), schema };
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

/** Everything the paths refer to by `$ref`, with the bodies that carry text under the configured limit. */
export const openApiComponents = (messages: MessageRequests) =>
  ({ schemas: schemasFor(messages), requestBodies, responses, parameters, headers, securitySchemes }) as const;

export type OpenApiComponents = ReturnType<typeof openApiComponents>;
