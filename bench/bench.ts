/**
 * `npm run bench [-- --quick] [--sqlite] [--profile SCENARIO] [--no-build]`: the built server
 * against the floor on every scenario of QUALITY.md ("Performance"), one table printed and
 * written to bench/results/. Exit code 0 when every bar is met, 1 when one is not, 2 when the
 * benchmark itself could not run. (MySQL: BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306.)
 */
import { parseBenchOptions } from './bench-options.js';
import { runBench } from './bench-run.js';

const main = async (): Promise<number> => {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const started = performance.now();
  const outcome = await runBench(options, (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`));
  process.stdout.write(`\n${outcome.report}\n`);
  if (outcome.resultsFile !== null) process.stdout.write(`written to ${outcome.resultsFile}\n`);
  if (outcome.profileDir !== null) process.stdout.write(`CPU profiles of the server and the floor in ${outcome.profileDir} (open them in Chrome DevTools or speedscope)\n`);
  process.stdout.write(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return outcome.rows.every((row) => row.met === true) ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
