/**
 * One run of the benchmark: build, a fresh database, the built server started as its own process
 * with production settings (its migrations make the schema), the seed, the floor, real logins,
 * then every scenario in order, and the table.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchContext } from './bench-context.js';
import { openBenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { type ChildServer, freePort, startChildServer } from './child-server.js';
import { logInAll } from './log-in.js';
import { formatReport, formatTable, type MachineHeader, type ScenarioRow } from './report.js';
import { SCENARIOS, type ScenarioName, type ScenarioOutcome } from './scenarios/registry.js';
import { FULL_SEED, seed } from './seed.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const JWT_ISSUER = 'chat-backend';
const JWT_AUDIENCE = 'chat-backend';

/**
 * The server as production runs it, with every limit that would answer 429 or 503 to a load
 * generator on one address raised, so the run measures speed, not throttling. Nothing else differs
 * from the defaults (bcrypt cost 12, info logs, pool of 10, in-process real time).
 */
const serverEnv = (port: number, secrets: { jwt: string; seal: string }): Record<string, string> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  JWT_SECRET_KEY: secrets.jwt,
  SECRET_KEY: secrets.seal,
  JWT_ISSUER,
  JWT_AUDIENCE,
  // Longer than a full run, so no token expires mid-scenario.
  ACCESS_TOKEN_TTL: '2h',
  BCRYPT_ROUNDS: '12',
  LOG_LEVEL: 'info',
  MESSAGE_WRITES_PER_MINUTE: '10000000',
  REGISTRATIONS_PER_ADDRESS: '1000000',
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: '1000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
  PASSWORD_HASH_QUEUE: '100000',
  REALTIME_MAX_CONNECTIONS_PER_USER: '5000',
  // The streaming scenario's answer (250 stamped deltas) is longer than the default 5,000 characters.
  MESSAGE_MAX_CHARS: '100000',
});

const RAISED = 'MESSAGE_WRITES_PER_MINUTE, REGISTRATIONS_PER_ADDRESS, LOGIN_MAX_FAILURES_*, PASSWORD_HASH_QUEUE, REALTIME_MAX_CONNECTIONS_PER_USER and MESSAGE_MAX_CHARS raised';

export interface BenchOutcome {
  readonly rows: readonly ScenarioRow[];
  readonly report: string;
  readonly resultsFile: string | null;
  readonly profileDir: string | null;
}

export const runBench = async (options: BenchOptions, progress: (line: string) => void): Promise<BenchOutcome> => {
  const started = performance.now();
  const only = options.profile === null ? null : (options.profile as ScenarioName);
  const chosen = (options.only ?? (only === null ? null : [only])) as ScenarioName[] | null;
  for (const name of chosen ?? []) if (!(name in SCENARIOS)) throw new Error(`"${name}" is not a scenario; they are: ${Object.keys(SCENARIOS).join(', ')}`);
  if (options.build) {
    progress('building (npm run build)');
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const servers: ChildServer[] = [];
  try {
    const database = await openBenchDatabase({ sqlite: options.sqlite, mysqlUrl: options.mysqlUrl, dir });
    const secrets = { jwt: randomBytes(48).toString('base64url'), seal: randomBytes(48).toString('base64url') };
    const profileDir = only === null ? null : join(ROOT, 'bench', 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
    if (profileDir !== null) mkdirSync(profileDir, { recursive: true });
    // The floor is profiled beside the server: what the server spends that the floor does not is the
    // gap. A folder each, as Node names the files by process and thread (tsx's loader is a thread).
    const profileArgs = (name: string): string[] => (profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)]);

    progress(`starting the server on ${database.label}`);
    const serverPort = await freePort();
    const server = await startChildServer({
      name: 'server',
      args: [...profileArgs('server'), MAIN],
      // On loopback, for the memory scenario's full collections; idle otherwise (no debugger attaches).
      inspectPort: await freePort(),
      env: { ...serverEnv(serverPort, secrets), ...database.serverEnv },
      port: serverPort,
      cwd: dir,
      logFile: join(dir, 'server.log'),
    });
    servers.push(server);

    const plan = FULL_SEED;
    progress(`seeding ${plan.users} users, ${plan.users * plan.sessionsPerUser} sessions, ${plan.longMessages} + ${plan.shortMessages} messages`);
    const seedClient = database.connect();
    const seeded = await seed(seedClient, plan).finally(() => seedClient.close());
    progress(`seeded in ${(seeded.ms / 1000).toFixed(1)} s`);

    const floorPort = await freePort();
    // BENCH_BASELINE_MAIN (another build's dist/src/main.js) takes the floor's place: the change
    // and the code before it, alternating in one run on one database, so that their ratio is not
    // the machine's drift between two runs.
    const baseline = process.env['BENCH_BASELINE_MAIN']?.trim() || null;
    const floor = await startChildServer(
      baseline !== null
        ? {
            name: 'baseline',
            args: [...profileArgs('baseline'), baseline],
            env: { ...serverEnv(floorPort, secrets), ...database.serverEnv },
            port: floorPort,
            cwd: dir,
            logFile: join(dir, 'baseline.log'),
          }
        : {
            name: 'floor',
            args: [...profileArgs('floor'), '--import', 'tsx', join(ROOT, 'bench', 'floor.ts')],
            env: {
              FLOOR_PORT: String(floorPort),
              FLOOR_DATABASE: database.floorTarget,
              JWT_SECRET_KEY: secrets.jwt,
              JWT_ISSUER,
              JWT_AUDIENCE,
              MESSAGE_MAX_CHARS: serverEnv(0, secrets)['MESSAGE_MAX_CHARS']!,
            },
            port: floorPort,
            cwd: ROOT,
            logFile: join(dir, 'floor.log'),
          },
    );
    servers.push(floor);

    const tokens = await logInAll(server.baseUrl, seeded, progress);
    const ctx: BenchContext = {
      server,
      floor,
      seeded,
      tokenOf: (index) => {
        const token = tokens.get(index);
        if (token === undefined) throw new Error(`no token for user ${index}: add it to the users logged in`);
        return token;
      },
      quick: options.quick,
      durationS: options.quick ? 1.5 : 10,
      warmupS: options.quick ? 0.5 : 3,
      rounds: options.quick ? 1 : 2,
      connections: 20,
      cores: cpus().length,
      runId: randomBytes(4).toString('hex'),
      progress,
    };

    const rows: ScenarioRow[] = [];
    const notes: string[] = [];
    // The machine may be shared: what else ran is part of what the figures mean.
    const loads: number[] = [loadavg()[0]!];
    const names = chosen ?? (Object.keys(SCENARIOS) as ScenarioName[]);
    for (const [index, name] of names.entries()) {
      loads.push(loadavg()[0]!);
      progress(`[${index + 1}/${names.length}] ${name} (load average ${loads.at(-1)!.toFixed(2)} on ${cpus().length} cores)`);
      const outcome: ScenarioOutcome = await SCENARIOS[name](ctx);
      rows.push(...outcome.rows);
      notes.push(...(outcome.notes ?? []));
      progress(formatTable(outcome.rows).split('\n').slice(2).join('\n'));
    }

    for (const running of servers.splice(0).reverse()) await running.stop();
    loads.push(loadavg()[0]!);
    notes.push(
      `1-minute load average at the start of each scenario: ${loads.map((load) => load.toFixed(1)).join(', ')} (on ${cpus().length} cores; ` +
        // Read off a run with the machine to itself (2026-12-02, 02:30): it went from 1.4 to 5.1.
        'the run itself, harness, servers and database, keeps it near 1.5-5; well above that, something else was running, and every figure is lower and noisier for it).',
    );
    const date = new Date().toISOString();
    const header: MachineHeader = {
      date: date.slice(0, 16).replace('T', ' ') + ' UTC',
      mode: `${options.quick ? 'quick' : 'full'}${only === null ? '' : `, profile of ${only}`}${options.only === null ? '' : `, only ${options.only.join(', ')}`}`,
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      database: database.label,
      settings: [
        `Server: the built server (\`node dist/src/main.js\`), NODE_ENV=production, bcrypt cost 12, info logs to a file, DB pool 10, no Redis, its inspector on loopback for the memory scenario's full collections; ${RAISED}`,
        `Load: autocannon in the harness's process, ${ctx.connections} connections, ${ctx.warmupS} s warm-up, ${ctx.rounds} × ${ctx.durationS} s per server, alternating server and floor; figures are the means of the rounds`,
        `Seed: ${plan.users} users, ${plan.users * plan.sessionsPerUser} sessions, ${plan.longMessages} + ${plan.shortMessages} messages, in ${(seeded.ms / 1000).toFixed(1)} s; the 900 login-storm accounts hash at cost 12, the 100 scenario actors (logged in only for tokens) at cost 4; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`,
      ],
    };
    const report = formatReport(header, rows, notes);
    let resultsFile: string | null = null;
    if (chosen === null && baseline === null) {
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      resultsFile = join(ROOT, 'bench', 'results', `${date.slice(0, 10)}${options.quick ? '-quick' : ''}${options.sqlite ? '-sqlite' : ''}.md`);
      writeFileSync(resultsFile, report);
    }
    return { rows, report, resultsFile, profileDir };
  } finally {
    for (const running of servers.reverse()) await running.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
};
