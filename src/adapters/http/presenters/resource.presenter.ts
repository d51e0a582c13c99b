import * as v from 'valibot';
import { isoTimestamp } from './iso-timestamp.js';
import type { TokenPair } from '../../../application/auth/token-pair.js';
import {
  clientIdField,
  emailField,
  METADATA_MAX_BYTES,
  senderField,
  titleField,
  usernameField,
} from '../../../application/validation/fields.js';
import { MESSAGE_STATUSES, type MessageRevision } from '../../../domain/message.entity.js';
import type { MessageView } from '../../../application/views/message.view.js';
import type { Pagination } from '../../../application/views/pagination.js';
import type { SessionView } from '../../../application/views/session.view.js';
import type { UserView } from '../../../application/views/user.view.js';

/**
 * The API's JSON resources: each one's shape, declared once in valibot (the OpenAPI document's
 * schemas are generated from it), and the presenter that builds it field by field from a view,
 * typed by that shape: snake_case keys, ISO timestamps, and nothing a shape does not list (so no
 * hash can leak through a new field by accident). Stored values meet the same field rules as the
 * requests that wrote them, so the shapes reuse those rules for their limits.
 */

/** Every timestamp the API answers with, as `Date.toISOString()` writes it: UTC with milliseconds (API.md). */
export const timestampShape = v.pipe(
  v.string(),
  v.isoTimestamp(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  v.examples(['2026-01-31T12:00:00.000Z']),
);

const timestamp = (description: string) => v.pipe(timestampShape, v.description(`${description} ISO 8601 UTC with milliseconds.`));
/** How many of something there are. */
export const countShape = v.pipe(v.number(), v.integer(), v.minValue(0));
const count = (description: string) => v.pipe(countShape, v.description(description));
/** A session or message id: database keys start at 1. */
export const resourceIdShape = v.pipe(v.number(), v.integer(), v.minValue(1));

export const userShape = v.pipe(
  v.strictObject({
    id: v.pipe(v.string(), v.uuid(), v.examples(['6f1c2b9e-8a51-4c1e-9d1a-2f4b7c3e5a10'])),
    username: v.pipe(usernameField, v.examples(['john_doe'])),
    email: v.pipe(emailField, v.examples(['john@example.com'])),
    is_active: v.pipe(v.boolean(), v.description('A disabled account cannot log in (403 `account_disabled`).')),
    is_verified: v.boolean(),
    created_at: timestamp('When the account was created.'),
    updated_at: timestamp('When the account last changed.'),
  }),
  v.description('An account as anyone may see it: never a password or its hash.'),
);

export const sessionShape = v.strictObject({
  id: v.pipe(resourceIdShape, v.examples([12])),
  title: v.pipe(titleField, v.examples(['My Chat Session'])),
  message_count: v.pipe(count('Messages not deleted.'), v.examples([3])),
  last_message_at: v.pipe(
    v.nullable(timestampShape),
    v.description('When the latest message was sent; null before the first. ISO 8601 UTC with milliseconds.'),
  ),
  created_at: timestamp('When the session was created.'),
  updated_at: timestamp('When the session was last active (renamed or sent a message); lists sort by it.'),
});

/** Any JSON object, as sent; the byte limit is the send's to check (the document says it in words). */
export const metadataShape = v.pipe(
  v.record(v.string(), v.unknown()),
  v.description(`Any JSON object of at most ${METADATA_MAX_BYTES} bytes as JSON (model, token counts, citations, tool calls), stored and returned as sent.`),
  v.examples([{ model: 'gpt-x', usage: { prompt_tokens: 12, completion_tokens: 40 } }]),
);

export const messageShape = v.strictObject({
  id: v.pipe(resourceIdShape, v.description('Increases within a session.'), v.examples([345])),
  session_id: v.pipe(resourceIdShape, v.examples([12])),
  parent_id: v.pipe(
    v.nullable(resourceIdShape),
    v.description('The message this one answers, in the same session; null for the first of a branch. Siblings (regenerated answers) share it.'),
  ),
  client_id: v.pipe(v.nullable(clientIdField), v.description('The id the sender gave the message, if any: a retried send with it stores nothing new.')),
  // No length is stated: the limit is configured (MESSAGE_MAX_CHARS), and a text stored under a
  // higher one stays as it was when the limit is lowered.
  text: v.pipe(
    v.string(),
    v.description('As stored: cleaned, and within the limit on message length when it was written. A streamed message may still be empty.'),
    v.examples(['Hello!']),
  ),
  sender: senderField,
  status: v.pipe(
    v.picklist(MESSAGE_STATUSES),
    v.description('`streaming` while appends write it, `complete` once done (every message sent whole), `incomplete` once a streaming message has had no append for `STREAM_IDLE_TIMEOUT` (5 minutes by default): its writer stopped before completing it, and it takes no more appends.'),
  ),
  metadata: v.nullable(metadataShape),
  edited_at: v.pipe(v.nullable(timestampShape), v.description('When the text was last edited; null if never. ISO 8601 UTC with milliseconds.')),
  created_at: timestamp('When the message was sent.'),
  updated_at: timestamp('When the message last changed (edited, appended to, completed).'),
});

export const revisionShape = v.strictObject({
  text: v.pipe(v.string(), v.description('The text an edit replaced.')),
  created_at: timestamp('When the edit that replaced it was made.'),
});

export const paginationShape = v.pipe(
  v.strictObject({
    page: v.pipe(v.number(), v.integer(), v.minValue(1), v.description('The page shown, starting at 1.')),
    per_page: v.pipe(v.number(), v.integer(), v.minValue(1)),
    total: count('Items in the whole list.'),
    pages: count('Pages in the whole list.'),
    has_next: v.boolean(),
    has_prev: v.boolean(),
  }),
  v.examples([{ page: 1, per_page: 20, total: 57, pages: 3, has_next: true, has_prev: false }]),
);

export const tokenPairShape = v.strictObject({
  access_token: v.pipe(v.string(), v.description('JWT for `Authorization: Bearer`; lives 15 minutes by default.')),
  refresh_token: v.pipe(
    v.string(),
    v.description('JWT for `POST /auth/refresh` only; lives 30 days by default and can be used once.'),
  ),
  token_type: v.literal('Bearer'),
  expires_in: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(1),
    v.description(
      'Seconds the access token has left to live: its whole lifetime in a new pair, less in one handed out again inside the refresh grace window.',
    ),
    v.examples([900]),
  ),
});

const nullableIso = (date: Date | null): string | null => (date === null ? null : isoTimestamp(date));

export const presentUser = (user: UserView): v.InferOutput<typeof userShape> => ({
  id: user.id,
  username: user.username,
  email: user.email,
  is_active: user.isActive,
  is_verified: user.isVerified,
  created_at: isoTimestamp(user.createdAt),
  updated_at: isoTimestamp(user.updatedAt),
});

export const presentSession = (session: SessionView): v.InferOutput<typeof sessionShape> => ({
  id: session.id,
  title: session.title,
  message_count: session.messageCount,
  last_message_at: nullableIso(session.lastMessageAt),
  created_at: isoTimestamp(session.createdAt),
  updated_at: isoTimestamp(session.updatedAt),
});

export const presentMessage = (message: MessageView): v.InferOutput<typeof messageShape> => ({
  id: message.id,
  session_id: message.sessionId,
  parent_id: message.parentId,
  client_id: message.clientId,
  text: message.text,
  sender: message.sender,
  status: message.status,
  metadata: message.metadata,
  edited_at: nullableIso(message.editedAt),
  created_at: isoTimestamp(message.createdAt),
  updated_at: isoTimestamp(message.updatedAt),
});

export const presentRevision = (revision: MessageRevision): v.InferOutput<typeof revisionShape> => ({
  text: revision.text,
  created_at: isoTimestamp(revision.createdAt),
});

export const presentPagination = (pagination: Pagination): v.InferOutput<typeof paginationShape> => ({
  page: pagination.page,
  per_page: pagination.perPage,
  total: pagination.total,
  pages: pagination.pages,
  has_next: pagination.hasNext,
  has_prev: pagination.hasPrev,
});

export const presentTokenPair = (tokens: TokenPair): v.InferOutput<typeof tokenPairShape> => ({
  access_token: tokens.accessToken,
  refresh_token: tokens.refreshToken,
  token_type: tokens.tokenType,
  expires_in: tokens.expiresIn,
});
