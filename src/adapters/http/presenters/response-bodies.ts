import * as v from 'valibot';
import { countShape, messageShape, paginationShape, revisionShape, sessionShape, tokenPairShape, userShape } from './resource.presenter.js';

/**
 * The body of every JSON answer, declared once: routers type what they answer with these
 * (`satisfies ResponseBody<...>`), and the OpenAPI document's response schemas are generated from
 * them under the names below. They are strict objects, so the document says no other key appears,
 * and the HTTP tests, which check every answer against the document, hold the server to it.
 */

const message = (description: string) => v.pipe(v.string(), v.description(description));

export const errorBody = v.strictObject({
  error: v.pipe(message('For people; may change wording.'), v.examples(['Validation failed'])),
  code: v.pipe(
    v.string(),
    v.description('For programs; stable (`validation_failed`, `missing_token`, `invalid_token`, `session_not_found`, ...).'),
    v.examples(['validation_failed']),
  ),
  details: v.pipe(
    v.optional(v.array(v.string())),
    v.description('On validation errors only: one line per problem, each naming its field.'),
  ),
});

const noticeBody = v.strictObject({ message: message('What was done, for people.') });

const authResultBody = v.pipe(
  v.strictObject({ user: userShape, ...tokenPairShape.entries }),
  v.description('The account and a fresh token pair, as register and login answer.'),
);

const logoutAllBody = v.strictObject({
  message: v.string(),
  revoked: v.pipe(countShape, v.description('How many logins were still live and are now ended.')),
});

const messagesOldestFirst = v.array(messageShape);

const messagePageBody = v.pipe(
  v.strictObject({ messages: messagesOldestFirst, pagination: paginationShape }),
  v.description('A page of messages found by position, oldest first.'),
);

const messageSliceBody = v.pipe(
  v.strictObject({
    messages: messagesOldestFirst,
    has_more: v.pipe(
      v.boolean(),
      v.description('Whether more messages lie beyond this slice in the direction asked (older for `before_id`, newer for `after_id`).'),
    ),
  }),
  v.description('A keyset slice of messages, oldest first within the slice.'),
);

/** The shapes the document names, by the name it gives them. */
export const responseBodies = {
  User: userShape,
  Session: sessionShape,
  Message: messageShape,
  Pagination: paginationShape,
  TokenPair: tokenPairShape,
  Error: errorBody,
  Notice: noticeBody,
  AuthResult: authResultBody,
  LogoutAllResult: logoutAllBody,
  UserResult: v.strictObject({ user: userShape }),
  SessionResult: v.strictObject({ session: sessionShape }),
  SessionList: v.strictObject({ sessions: v.array(sessionShape), pagination: paginationShape }),
  SessionDetail: v.pipe(
    v.strictObject({ session: sessionShape, messages: messagesOldestFirst, pagination: paginationShape }),
    v.description('A session with a page of its messages, oldest first.'),
  ),
  MessageResult: v.strictObject({ message: messageShape }),
  MessagePage: messagePageBody,
  MessageSlice: messageSliceBody,
  Thread: v.pipe(
    v.strictObject({
      messages: messagesOldestFirst,
      has_more: v.pipe(v.boolean(), v.description('Whether older messages of the path lie above this page: read them with `before_id` set to the first id here.')),
    }),
    v.description('The path from the first message of a branch down to the message asked for, oldest first; a long one in pages, the nearest first.'),
  ),
  RevisionList: v.pipe(
    v.strictObject({ revisions: v.array(revisionShape) }),
    v.description('The texts the edits of a message replaced, oldest first.'),
  ),
  ClearMessagesResult: v.strictObject({ message: v.string(), deleted_count: countShape }),
  Status: v.strictObject({ status: v.pipe(v.literal('ok'), v.description('The process runs.')) }),
  Readiness: v.pipe(
    v.strictObject({
      status: v.literal('ready'),
      database: v.literal('up'),
      redis: v.pipe(v.optional(v.picklist(['up', 'down'])), v.description('Only when `REDIS_URL` is set.')),
    }),
    v.examples([{ status: 'ready', database: 'up', redis: 'up' }]),
  ),
} as const;

export type ResponseName = keyof typeof responseBodies;
export type ResponseBody<N extends ResponseName> = v.InferOutput<(typeof responseBodies)[N]>;
