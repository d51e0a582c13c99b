/** The command line of `npm run bench`. */
export interface BenchOptions {
  /** Each scenario briefly, once (CI's smoke test): checks the harness works, not the figures. */
  readonly quick: boolean;
  /** The embedded SQLite (a temporary file) instead of MySQL. */
  readonly sqlite: boolean;
  /** MySQL server to create the fresh `chat_bench` database on. */
  readonly mysqlUrl: string;
  /** Run only this scenario, with the server under `--cpu-prof`. */
  readonly profile: string | null;
  /** Run only these scenarios (`--only send-one,send-spread`), to measure a change; no results file. */
  readonly only: readonly string[] | null;
  /** Skip `npm run build` (the caller built `dist/` already, as the smoke test does). */
  readonly build: boolean;
}

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

export const parseBenchOptions = (argv: readonly string[], env: Record<string, string | undefined>): BenchOptions => {
  let quick = false;
  let sqlite = false;
  let build = true;
  let profile: string | null = null;
  let only: string[] | null = null;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--sqlite') sqlite = true;
    else if (arg === '--no-build') build = false;
    else if (arg === '--profile') {
      profile = argv[(index += 1)] ?? null;
      if (profile === null) throw new Error('--profile needs a scenario name');
    } else if (arg?.startsWith('--profile=')) profile = arg.slice('--profile='.length);
    else if (arg === '--only') {
      only = (argv[(index += 1)] ?? '').split(',').filter((name) => name !== '');
      if (only.length === 0) throw new Error('--only needs scenario names, comma-separated');
    }
    else throw new Error(`unknown argument "${arg}" (use --quick, --sqlite, --profile SCENARIO, --only A,B, --no-build)`);
  }
  return { quick, sqlite, build, profile, only, mysqlUrl: env['BENCH_MYSQL_URL']?.trim() || DEFAULT_MYSQL_URL };
};
