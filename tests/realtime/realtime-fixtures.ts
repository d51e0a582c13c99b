import { createApi, registerAndLogin, type Api, type RegisteredUser } from '../support/api-client.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/http-test-server.js';

/** A test server with a client for it. */
export interface RealtimeServer {
  readonly server: TestServer;
  readonly api: Api;
  /** Registers and logs in a new user. */
  user(): Promise<RegisteredUser>;
  /** Creates a session for `user` and returns its id. */
  session(user: RegisteredUser, title?: string): Promise<number>;
  /** Sends a message to a session of `user` and returns the message. */
  send(user: RegisteredUser, sessionId: number, text: string): Promise<{ id: number; text: string }>;
}

export const startRealtimeServer = async (options: Partial<TestServerOptions> = {}): Promise<RealtimeServer> => {
  const server = await startTestServer({ database: 'memory', ...options });
  const api = createApi(server.baseUrl);
  return {
    server,
    api,
    user: () => registerAndLogin(api),
    session: async (user, title = 'Chat') => {
      const response = await api.post('/chat/sessions', { title }, user.accessToken);
      if (response.status !== 201) throw new Error(`create session: ${response.status} ${response.text}`);
      return response.body.session.id as number;
    },
    send: async (user, sessionId, text) => {
      const response = await api.post(`/chat/sessions/${sessionId}/messages`, { text }, user.accessToken);
      if (response.status !== 201) throw new Error(`send: ${response.status} ${response.text}`);
      return response.body.message as { id: number; text: string };
    },
  };
};
