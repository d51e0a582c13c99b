import * as v from 'valibot';
import type { TokenPair } from '../../../application/auth/token-pair.js';
import type { MessageView } from '../../../application/views/message.view.js';
import type { Pagination } from '../../../application/views/pagination.js';
import type { SessionView } from '../../../application/views/session.view.js';
import type { UserView } from '../../../application/views/user.view.js';

/**
 * The API's JSON resources, built field by field from the views: snake_case keys, ISO timestamps,
 * and nothing a view does not list (so no hash can leak through a new field by accident).
 */

/**
 * Every timestamp the API answers with, as `Date.toISOString()` writes it: UTC with milliseconds
 * (API.md). The OpenAPI document's timestamps are generated from this shape.
 */
export const timestampShape = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));

export const presentUser = (user: UserView) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  is_active: user.isActive,
  is_verified: user.isVerified,
  created_at: user.createdAt.toISOString(),
  updated_at: user.updatedAt.toISOString(),
});

export const presentSession = (session: SessionView) => ({
  id: session.id,
  title: session.title,
  message_count: session.messageCount,
  last_message_at: session.lastMessageAt?.toISOString() ?? null,
  created_at: session.createdAt.toISOString(),
  updated_at: session.updatedAt.toISOString(),
});

export const presentMessage = (message: MessageView) => ({
  id: message.id,
  session_id: message.sessionId,
  text: message.text,
  sender: message.sender,
  created_at: message.createdAt.toISOString(),
  updated_at: message.updatedAt.toISOString(),
});

export const presentPagination = (pagination: Pagination) => ({
  page: pagination.page,
  per_page: pagination.perPage,
  total: pagination.total,
  pages: pagination.pages,
  has_next: pagination.hasNext,
  has_prev: pagination.hasPrev,
});

export const presentTokenPair = (tokens: TokenPair) => ({
  access_token: tokens.accessToken,
  refresh_token: tokens.refreshToken,
  token_type: tokens.tokenType,
  expires_in: tokens.expiresIn,
});
