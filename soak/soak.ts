/**
 * `npm run soak [-- --duration 60s --users 8 --pause 10 --mysql mysql://root@127.0.0.1:3306]`:
 * runs the built server under steady mixed load and prints whether its memory and handles level
 * off. Exit code 0 for PASS, 1 for FAIL, 2 when the soak itself could not run.
 */
import { formatSoakReport } from './soak-report.js';
import { parseSoakOptions } from './soak-options.js';
import { runSoak } from './soak-run.js';

const main = async (): Promise<number> => {
  const options = parseSoakOptions(process.argv.slice(2), process.env);
  const result = await runSoak(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${formatSoakReport(result)}\n`);
  return result.passed ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
