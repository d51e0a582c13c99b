import { ApiError, callApi, NetworkError } from './api-request.js';
import type { AuthSession } from './auth-session.js';
import type { Message, Session, TokenPair, User } from './types.js';

export interface MessageSlice {
  readonly messages: Message[];
  readonly has_more: boolean;
}

/** How many messages a page of the conversation holds, scrolling up. */
export const MESSAGE_PAGE = 50;

/** Every call the client makes, signed with the login's access token (refreshed and retried once on a 401). */
export class ApiClient {
  constructor(private readonly auth: AuthSession) {}

  register = (username: string, email: string, password: string) =>
    callApi<{ user: User } & TokenPair>('POST', '/auth/register', { body: { username, email, password } });

  login = (username: string, password: string) => callApi<{ user: User } & TokenPair>('POST', '/auth/login', { body: { username, password } });

  logout = () => this.call('POST', '/auth/logout');
  logoutAll = () => this.call('POST', '/auth/logout-all');

  listSessions = (page: number) =>
    this.call<{ sessions: Session[]; pagination: { has_next: boolean } }>('GET', `/chat/sessions?page=${page}&per_page=50`);

  createSession = (title: string) => this.call<{ session: Session }>('POST', '/chat/sessions', title === '' ? {} : { title });
  renameSession = (id: number, title: string) => this.call<{ session: Session }>('PUT', `/chat/sessions/${id}`, { title });
  deleteSession = (id: number) => this.call('DELETE', `/chat/sessions/${id}`);

  /** The latest messages (`before_id` with no value), or those just before `beforeId`: oldest first. */
  messagesBefore = (sessionId: number, beforeId: number | null) =>
    this.call<MessageSlice>('GET', `/chat/sessions/${sessionId}/messages?before_id=${beforeId ?? ''}&limit=${MESSAGE_PAGE}`);

  /** One message as stored now (a streamed answer's text so far): the last step of its thread. */
  messageNow = async (sessionId: number, messageId: number): Promise<Message | null> => {
    try {
      const { messages } = await this.call<MessageSlice>('GET', `/chat/sessions/${sessionId}/messages/${messageId}/thread?limit=1`);
      return messages.at(-1) ?? null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  };

  send = (sessionId: number, body: { text: string; client_id: string; parent_id?: number }) =>
    this.call<{ message: Message }>('POST', `/chat/sessions/${sessionId}/messages`, body);

  edit = (sessionId: number, messageId: number, text: string) =>
    this.call<{ message: Message }>('PUT', `/chat/sessions/${sessionId}/messages/${messageId}`, { text });

  deleteMessage = (sessionId: number, messageId: number) => this.call('DELETE', `/chat/sessions/${sessionId}/messages/${messageId}`);
  clear = (sessionId: number) => this.call('DELETE', `/chat/sessions/${sessionId}/messages`);

  private async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.auth.accessToken();
    if (token === null) throw new ApiError(401, 'signed_out', 'Signed out');
    try {
      return await callApi<T>(method, path, { body, token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // Expired after all (a sleeping laptop), or the login ended: a refresh tells which.
      if (!(await this.auth.refresh())) throw error;
      const fresh = await this.auth.accessToken();
      if (fresh === null) throw error;
      return callApi<T>(method, path, { body, token: fresh });
    }
  }
}

/** Whether a failed call may succeed if sent again unchanged. */
export const isRetryable = (error: unknown): boolean =>
  error instanceof NetworkError || (error instanceof ApiError && (error.status === 429 || error.status === 503 || error.status >= 500));
