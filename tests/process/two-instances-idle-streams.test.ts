/**
 * Two built servers (`node dist/src/main.js`) on one MySQL database and one Redis, each running
 * its own idle-stream sweep over the same messages: every idle stream becomes `incomplete` once,
 * and its owner's connections hear one `message.updated` for it, whichever instance marked it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerAndLogin } from '../support/api-client.js';
import { createMySqlTestDatabase, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import { dropKeys, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/redis-test.js';
import { describeWithServices, MYSQL, REDIS } from '../support/required-services.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, mySqlEnv, randomSecret, type RunningServer, startServer } from '../support/server-process.js';
import { openEventStream, type TestEventStream } from '../support/test-socket.js';

const STREAMS = 6;
const MARKED_LINE = /^marked \d+ idle streams? incomplete$/;

describeWithServices('the idle-stream sweep of two server processes on one mysql database and one redis', [MYSQL, REDIS], () => {
  const redisUrl = TEST_REDIS_URL ?? '';
  let database: MySqlTestDatabase | undefined;
  const keyPrefix = uniqueKeyPrefix();
  let a: RunningServer;
  let b: RunningServer;
  let events: TestEventStream | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    database = await createMySqlTestDatabase();
    const env = baseEnv({
      ...mySqlEnv(database.options),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      JWT_SECRET_KEY: randomSecret(),
      // Both sweep every 250 ms.
      STREAM_IDLE_TIMEOUT: '1s',
    });
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    events?.close();
    await cleanUp();
    await database?.drop();
    if (redisUrl) await dropKeys(redisUrl, keyPrefix);
  });

  it('when streams created through A go idle, each becomes incomplete once, and a stream on B hears one message.updated for each', async () => {
    const token = (await registerAndLogin(a.api)).accessToken;
    events = await openEventStream(`${b.baseUrl}/events`, token);
    const session = await a.api.post('/chat/sessions', { title: 'assistant' }, token);
    const path = `/chat/sessions/${session.body.session.id}/messages`;
    const ids: number[] = [];
    for (let i = 0; i < STREAMS; i += 1) {
      const created = await a.api.post(path, { text: `answer ${i}`, sender: 'assistant', status: 'streaming' }, token);
      expect(created.status).toBe(201);
      ids.push(created.body.message.id as number);
    }

    const isUpdate = (item: { event: string }) => item.event === 'message.updated';
    await events.events.until((items) => items.filter(isUpdate).length >= STREAMS, 15_000, `${STREAMS} message.updated events`);
    // Several more sweeps of each instance pass: none may publish again.
    const settled = (await events.events.settle(1_500)).filter(isUpdate);

    expect(settled.map((item) => item.data.message.id).sort((x: number, y: number) => x - y)).toEqual(ids);
    expect(settled.every((item) => item.data.message.status === 'incomplete')).toBe(true);
    const listed = await b.api.get(path, token);
    expect(listed.body.messages.map((message: { status: string }) => message.status)).toEqual(Array(STREAMS).fill('incomplete'));
    // What the instances say they marked adds up to each stream once.
    const marked = [...a.logs, ...b.logs].filter((line) => MARKED_LINE.test(line.msg)).reduce((sum, line) => sum + Number(line['marked']), 0);
    expect(marked).toBe(STREAMS);
  });
});
