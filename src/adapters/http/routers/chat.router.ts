import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import type { UseCases } from '../../../application/use-cases.js';
import type { HttpState } from '../http-state.js';
import { requirePrincipal } from '../middleware/require-principal.middleware.js';
import { presentMessage, presentPagination, presentRevision, presentSession } from '../presenters/resource.presenter.js';
import type { ResponseBody } from '../presenters/response-bodies.js';
import { messageIdOf, parseBody, parseQuery, principalOf, sessionIdOf } from '../request-input.js';
import {
  completeMessageRequest,
  createSessionRequest,
  messageListQuery,
  type MessageRequests,
  renameSessionRequest,
  sessionDetailQuery,
  sessionListQuery,
  threadQuery,
} from '../request-schemas.js';

/** The chat routes; `messages` are the bodies that carry text, under the configured length limit. */
export const createChatRouter = (useCases: UseCases, messages: MessageRequests): Router<HttpState> => {
  const { appendToMessageRequest, editMessageRequest, sendMessageRequest, streamingSendMessageRequest } = messages;
  const router = createRouter('/chat');
  router.use(requirePrincipal(useCases.authenticate));

  router.post('/sessions', async (ctx) => {
    const { title } = parseBody(ctx, createSessionRequest);
    const session = await useCases.createSession.execute({ userId: principalOf(ctx).userId, title });
    ctx.status = 201;
    ctx.body = { session: presentSession(session) } satisfies ResponseBody<'SessionResult'>;
  });

  router.get('/sessions', async (ctx) => {
    const query = parseQuery(ctx, sessionListQuery);
    const { items, pagination } = await useCases.listSessions.execute({
      userId: principalOf(ctx).userId,
      page: query.page,
      perPage: query.per_page,
    });
    ctx.body = { sessions: items.map(presentSession), pagination: presentPagination(pagination) } satisfies ResponseBody<'SessionList'>;
  });

  router.get('/sessions/:id', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const query = parseQuery(ctx, sessionDetailQuery);
    const { session, messages } = await useCases.getSession.execute({
      userId: principalOf(ctx).userId,
      sessionId,
      page: query.page,
      perPage: query.per_page,
    });
    ctx.body = {
      session: presentSession(session),
      messages: messages.items.map(presentMessage),
      pagination: presentPagination(messages.pagination),
    } satisfies ResponseBody<'SessionDetail'>;
  });

  router.put('/sessions/:id', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const { title } = parseBody(ctx, renameSessionRequest);
    const session = await useCases.renameSession.execute({ userId: principalOf(ctx).userId, sessionId, title });
    ctx.body = { session: presentSession(session) } satisfies ResponseBody<'SessionResult'>;
  });

  router.delete('/sessions/:id', async (ctx) => {
    await useCases.deleteSession.execute({ userId: principalOf(ctx).userId, sessionId: sessionIdOf(ctx) });
    ctx.body = { message: 'Session deleted' } satisfies ResponseBody<'Notice'>;
  });

  router.post('/sessions/:id/messages', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const streaming = (ctx.request.body as { status?: unknown } | undefined)?.status === 'streaming';
    const body = parseBody(ctx, streaming ? streamingSendMessageRequest : sendMessageRequest);
    const message = await useCases.sendMessage.execute({
      userId: principalOf(ctx).userId,
      sessionId,
      text: body.text,
      sender: body.sender,
      clientId: body.client_id,
      parentId: body.parent_id,
      status: body.status,
      metadata: body.metadata,
    });
    // A retry of a send already stored created nothing.
    ctx.status = message.replayed ? 200 : 201;
    ctx.body = { message: presentMessage(message) } satisfies ResponseBody<'MessageResult'>;
  });

  router.get('/sessions/:id/messages', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const query = parseQuery(ctx, messageListQuery);
    const read = await useCases.readMessages.execute({
      userId: principalOf(ctx).userId,
      sessionId,
      page: query.page,
      perPage: query.per_page,
      beforeId: query.before_id,
      afterId: query.after_id,
      limit: query.limit,
    });
    ctx.body =
      read.mode === 'keyset'
        ? ({ messages: read.slice.items.map(presentMessage), has_more: read.slice.hasMore } satisfies ResponseBody<'MessageSlice'>)
        : ({
            messages: read.page.items.map(presentMessage),
            pagination: presentPagination(read.page.pagination),
          } satisfies ResponseBody<'MessagePage'>);
  });

  router.put('/sessions/:id/messages/:message_id', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const messageId = messageIdOf(ctx);
    const { text } = parseBody(ctx, editMessageRequest);
    const message = await useCases.editMessage.execute({ userId: principalOf(ctx).userId, sessionId, messageId, text });
    ctx.body = { message: presentMessage(message) } satisfies ResponseBody<'MessageResult'>;
  });

  router.post('/sessions/:id/messages/:message_id/append', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const messageId = messageIdOf(ctx);
    const { text } = parseBody(ctx, appendToMessageRequest);
    const message = await useCases.appendToMessage.execute({ userId: principalOf(ctx).userId, sessionId, messageId, text });
    ctx.body = { message: presentMessage(message) } satisfies ResponseBody<'MessageResult'>;
  });

  router.post('/sessions/:id/messages/:message_id/complete', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const messageId = messageIdOf(ctx);
    const { metadata } = parseBody(ctx, completeMessageRequest);
    const message = await useCases.completeMessage.execute({
      userId: principalOf(ctx).userId,
      sessionId,
      messageId,
      metadata: metadata,
    });
    ctx.body = { message: presentMessage(message) } satisfies ResponseBody<'MessageResult'>;
  });

  router.get('/sessions/:id/messages/:message_id/thread', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const messageId = messageIdOf(ctx);
    const query = parseQuery(ctx, threadQuery);
    const thread = await useCases.readThread.execute({
      userId: principalOf(ctx).userId,
      sessionId,
      messageId,
      beforeId: query.before_id,
      limit: query.limit,
    });
    ctx.body = { messages: thread.items.map(presentMessage), has_more: thread.hasMore } satisfies ResponseBody<'Thread'>;
  });

  router.get('/sessions/:id/messages/:message_id/revisions', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    const revisions = await useCases.listRevisions.execute({ userId: principalOf(ctx).userId, sessionId, messageId: messageIdOf(ctx) });
    ctx.body = { revisions: revisions.map(presentRevision) } satisfies ResponseBody<'RevisionList'>;
  });

  router.delete('/sessions/:id/messages/:message_id', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    await useCases.deleteMessage.execute({ userId: principalOf(ctx).userId, sessionId, messageId: messageIdOf(ctx) });
    ctx.body = { message: 'Message deleted' } satisfies ResponseBody<'Notice'>;
  });

  router.delete('/sessions/:id/messages', async (ctx) => {
    const { deletedCount } = await useCases.clearMessages.execute({ userId: principalOf(ctx).userId, sessionId: sessionIdOf(ctx) });
    ctx.body = { message: 'Messages cleared', deleted_count: deletedCount } satisfies ResponseBody<'ClearMessagesResult'>;
  });

  return router;
};
