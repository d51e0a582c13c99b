import Router from '@koa/router';
import type { Sender } from '../../../domain/message.entity.js';
import type { UseCases } from '../../../application/use-cases.js';
import type { HttpState } from '../http-state.js';
import { requirePrincipal } from '../middleware/require-principal.middleware.js';
import { presentMessage, presentPagination, presentSession } from '../presenters/resource.presenter.js';
import { bodyObject, principalOf, queryParam } from '../request-input.js';

// Marks a value passed on exactly as the client sent it, wrong type included: the use case validates.
type Unchecked<T> = T;

export const createChatRouter = (useCases: UseCases): Router<HttpState> => {
  const router = new Router<HttpState>({ prefix: '/chat' });
  router.use(requirePrincipal(useCases.authenticate));

  router.post('/sessions', async (ctx) => {
    const body = bodyObject(ctx);
    const session = await useCases.createSession.execute({
      userId: principalOf(ctx).userId,
      title: body.title as Unchecked<string | null | undefined>,
    });
    ctx.status = 201;
    ctx.body = { session: presentSession(session) };
  });

  router.get('/sessions', async (ctx) => {
    const { items, pagination } = await useCases.listSessions.execute({
      userId: principalOf(ctx).userId,
      page: queryParam(ctx, 'page') as Unchecked<string | undefined>,
      perPage: queryParam(ctx, 'per_page') as Unchecked<string | undefined>,
    });
    ctx.body = { sessions: items.map(presentSession), pagination: presentPagination(pagination) };
  });

  router.get('/sessions/:id', async (ctx) => {
    const { session, messages } = await useCases.getSession.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      page: queryParam(ctx, 'page') as Unchecked<string | undefined>,
      perPage: queryParam(ctx, 'per_page') as Unchecked<string | undefined>,
    });
    ctx.body = {
      session: presentSession(session),
      messages: messages.items.map(presentMessage),
      pagination: presentPagination(messages.pagination),
    };
  });

  router.put('/sessions/:id', async (ctx) => {
    const session = await useCases.renameSession.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      title: bodyObject(ctx).title as Unchecked<string>,
    });
    ctx.body = { session: presentSession(session) };
  });

  router.delete('/sessions/:id', async (ctx) => {
    await useCases.deleteSession.execute({ userId: principalOf(ctx).userId, sessionId: ctx.params.id ?? '' });
    ctx.body = { message: 'Session deleted' };
  });

  router.post('/sessions/:id/messages', async (ctx) => {
    const body = bodyObject(ctx);
    const message = await useCases.sendMessage.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      text: body.text as Unchecked<string>,
      sender: body.sender as Unchecked<Sender | undefined>,
    });
    ctx.status = 201;
    ctx.body = { message: presentMessage(message) };
  });

  router.get('/sessions/:id/messages', async (ctx) => {
    const read = await useCases.readMessages.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      page: queryParam(ctx, 'page') as Unchecked<string | undefined>,
      perPage: queryParam(ctx, 'per_page') as Unchecked<string | undefined>,
      beforeId: queryParam(ctx, 'before_id') as Unchecked<string | undefined>,
      afterId: queryParam(ctx, 'after_id') as Unchecked<string | undefined>,
      limit: queryParam(ctx, 'limit') as Unchecked<string | undefined>,
    });
    ctx.body =
      read.mode === 'keyset'
        ? { messages: read.slice.items.map(presentMessage), has_more: read.slice.hasMore }
        : { messages: read.page.items.map(presentMessage), pagination: presentPagination(read.page.pagination) };
  });

  router.put('/sessions/:id/messages/:message_id', async (ctx) => {
    const message = await useCases.editMessage.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      messageId: ctx.params.message_id ?? '',
      text: bodyObject(ctx).text as Unchecked<string>,
    });
    ctx.body = { message: presentMessage(message) };
  });

  router.delete('/sessions/:id/messages/:message_id', async (ctx) => {
    await useCases.deleteMessage.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
      messageId: ctx.params.message_id ?? '',
    });
    ctx.body = { message: 'Message deleted' };
  });

  router.delete('/sessions/:id/messages', async (ctx) => {
    const { deletedCount } = await useCases.clearMessages.execute({
      userId: principalOf(ctx).userId,
      sessionId: ctx.params.id ?? '',
    });
    ctx.body = { message: 'Messages cleared', deleted_count: deletedCount };
  });

  return router;
};
