/**
 * The soak, run short inside `npm test` (`npm run soak` runs it for 60 s): the built server under
 * steady mixed load with WebSockets and event streams, its RSS and handles read from its own
 * metrics. Fails when either keeps growing, when any request is answered otherwise than
 * expected, or when the server does not exit 0 afterwards. No speed bar: the load is paced, and
 * the verdict compares the server with itself later in the same run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSoakReport } from '../../soak/soak-report.js';
import { runSoak } from '../../soak/soak-run.js';
import { urlOf, MYSQL } from '../support/required-services.js';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../support/server-process.js';

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

/** Long enough for thirty samples and a warm-up; short enough for every run of the suite. */
const CI_SOAK_MS = 10_000;
/**
 * Paced at about 60 requests a second: so short a run ends before V8's first full collection,
 * while the heap is still growing into its working size (3-4 % from the middle third to the last
 * here, against 5-7 % at twice the pace), which keeps that well inside the 10 % the rule allows.
 * It still fails on a timer leaked per request (handles +50 %) and on 100 KB leaked per request
 * (RSS +11 %); slower leaks need the full `npm run soak`.
 */
const CI_USERS = 4;
const CI_PAUSE_MS = 50;
const mysqlUrl = urlOf(MYSQL) ?? null;

describe(`the soak, for ${CI_SOAK_MS / 1000} s (${mysqlUrl ? 'mysql' : 'sqlite'})`, () => {
  it('RSS and open handles level off under mixed requests and sockets, every request is answered as expected, and the server exits 0', async () => {
    const result = await runSoak({ durationMs: CI_SOAK_MS, users: CI_USERS, pauseMs: CI_PAUSE_MS, mysqlUrl });
    const report = formatSoakReport(result);
    console.log(report);

    // The load really ran: every kind of request, and events over the sockets.
    expect(result.tally.requests.get('message.send') ?? 0, report).toBeGreaterThan(0);
    expect(result.tally.requests.get('logout') ?? 0, report).toBeGreaterThan(0);
    expect(result.tally.eventsReceived, report).toBeGreaterThan(0);
    expect(result.tally.failures, report).toEqual([]);
    expect(result.rss.plateau, report).toBe(true);
    expect(result.handles.plateau, report).toBe(true);
    expect(result.exit, report).toEqual({ code: 0, signal: null });
    expect(result.passed, report).toBe(true);
  }, CI_SOAK_MS + 60_000);
});
