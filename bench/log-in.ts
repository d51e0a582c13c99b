/** Real access tokens: each user the scenarios act as logs in through the API, as a client would. */
import type { Seeded } from './seed.js';

/** Users 0-10 read, send and list; 11 streams; 20-69 are the reconnect storm's. */
export const USERS_LOGGED_IN: readonly number[] = [...Array.from({ length: 12 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => 20 + i)];

export const logIn = async (baseUrl: string, username: string, password: string): Promise<string> => {
  const answer = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await answer.json()) as { access_token?: string };
  if (answer.status !== 200 || typeof body.access_token !== 'string') throw new Error(`login of ${username}: ${answer.status} ${JSON.stringify(body)}`);
  return body.access_token;
};

export const logInAll = async (baseUrl: string, seeded: Seeded, progress: (line: string) => void): Promise<Map<number, string>> => {
  progress(`logging in ${USERS_LOGGED_IN.length} users through the API`);
  const tokens = new Map<number, string>();
  const queue = [...USERS_LOGGED_IN];
  // As many at once as the server hashes at once (PASSWORD_HASH_CONCURRENCY's default).
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        tokens.set(index, await logIn(baseUrl, seeded.users[index]!.username, seeded.password));
      }
    }),
  );
  return tokens;
};
