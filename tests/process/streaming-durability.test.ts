/**
 * "Appends are stored as they come: nothing a client was answered 200 for is lost if the server
 * stops" (API.md, streaming answers), shown the hard way: the built server is killed with SIGKILL
 * while four writers append to one streaming message, then started again on the same database.
 * Every append that was answered 200 is in the text, exactly once; nothing is there that was not
 * sent; and the answer can go on and be completed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, registerAndLogin } from '../support/api-client.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, type Env, killAll, mySqlEnv, startServer, within } from '../support/server-process.js';

const WRITERS = 4;
/** Answered appends to wait for before the kill: enough that the kill lands mid-stream. */
const ANSWERED_BEFORE_KILL = 120;

interface Answer {
  readonly token: string;
  readonly sessionId: number;
  readonly messageId: number;
}

const startAnswer = async (api: Api): Promise<Answer> => {
  const token = (await registerAndLogin(api)).accessToken;
  const session = await api.post('/chat/sessions', { title: 'Killed mid-stream' }, token);
  const message = await api.post(`/chat/sessions/${session.body.session.id}/messages`, { text: '', sender: 'assistant', status: 'streaming' }, token);
  expect(message.status).toBe(201);
  return { token, sessionId: session.body.session.id, messageId: message.body.message.id };
};

/**
 * Writers that append unique pieces until their server goes away; `answered` holds every piece
 * that got a 200, `sent` every piece that was sent at all.
 */
const appendUntilGone = (api: Api, answer: Answer) => {
  const answered: string[] = [];
  const sent: string[] = [];
  const writers = Array.from({ length: WRITERS }, async (_, writer) => {
    for (let index = 0; ; index += 1) {
      const piece = `[w${writer}-${index}]`;
      sent.push(piece);
      try {
        const response = await api.post(`/chat/sessions/${answer.sessionId}/messages/${answer.messageId}/append`, { text: piece }, answer.token);
        if (response.status !== 200) throw new Error(`append: ${response.status} ${response.text}`);
        answered.push(piece);
      } catch (error) {
        // The server was killed: the connection is refused or reset. Anything else is a failure.
        if (error instanceof Error && /append: /.test(error.message)) throw error;
        return;
      }
    }
  });
  return { answered, sent, done: Promise.all(writers) };
};

const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const describeKilledMidStream = (target: string, envOf: () => Env): void => {
  it(`on ${target}: when the server is killed with SIGKILL mid-stream and restarted, every append answered 200 is in the text, once`, async () => {
    const env = envOf();
    const first = await startServer(env);
    const answer = await startAnswer(first.api);
    const writers = appendUntilGone(first.api, answer);

    await waitFor(() => writers.answered.length >= ANSWERED_BEFORE_KILL, `${ANSWERED_BEFORE_KILL} answered appends`);
    first.child.kill('SIGKILL');
    expect((await within(first.exited, 10_000, 'exit after SIGKILL')).signal).toBe('SIGKILL');
    await writers.done;

    const second = await startServer(env);
    const read = await second.api.get(`/chat/sessions/${answer.sessionId}/messages?before_id=`, answer.token);
    expect(read.status).toBe(200);
    const stored = read.body.messages.find((message: { id: number }) => message.id === answer.messageId);
    expect(stored).toMatchObject({ status: 'streaming', sender: 'assistant' });
    const pieces: string[] = stored.text.match(/\[w\d+-\d+\]/g) ?? [];
    expect(pieces.join('')).toBe(stored.text);
    expect(new Set(pieces).size).toBe(pieces.length);
    // Every answered append is there; what else is there was sent, in flight when the kill came.
    expect(pieces).toEqual(expect.arrayContaining(writers.answered));
    expect(pieces.filter((piece) => !writers.answered.includes(piece)).every((piece) => writers.sent.includes(piece))).toBe(true);
    expect(pieces.length - writers.answered.length).toBeLessThanOrEqual(WRITERS);

    const more = await second.api.post(`/chat/sessions/${answer.sessionId}/messages/${answer.messageId}/append`, { text: ' (resumed)' }, answer.token);
    expect(more.status).toBe(200);
    const completed = await second.api.post(`/chat/sessions/${answer.sessionId}/messages/${answer.messageId}/complete`, {}, answer.token);
    expect(completed.body.message).toMatchObject({ status: 'complete', text: `${stored.text} (resumed)` });
  }, 60_000);
};

describe('a streamed answer survives a killed server (sqlite)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  afterEach(killAll);
  afterAll(cleanUp);

  // One environment per test, reused by its restart: the same database file and secret.
  describeKilledMidStream('the embedded SQLite file', () => baseEnv());
});

describeWithMySql('a streamed answer survives a killed server (mysql)', () => {
  let database: MySqlTestDatabase | undefined;
  beforeAll(async () => {
    await ensureBuilt();
    database = await createMySqlTestDatabase();
  }, BUILD_TIMEOUT_MS);
  afterEach(killAll);
  afterAll(async () => {
    await cleanUp();
    await database?.drop();
  });

  describeKilledMidStream('MySQL', () => baseEnv(mySqlEnv(database!.options)));
});
