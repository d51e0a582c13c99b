/**
 * A process that logs through `createLogger` with its stdout on a file, for log-file.test.ts:
 * `node --import tsx log-to-file.fixture.ts MODE COUNT`. It logs COUNT lines, tells stderr how many
 * bytes the file held right after, then: `idle` stays alive for 1.5 s, `exit` calls
 * `process.exit(0)`, `crash` throws; `two` logs through two loggers in turn, then exits.
 */
import { fstatSync } from 'node:fs';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';

const [mode, count] = process.argv.slice(2);
// `two`: two loggers in one process (an app's and a library caller's, say), taking turns.
const loggers = mode === 'two' ? [createLogger('info'), createLogger('info')] : [createLogger('info')];
for (let line = 1; line <= Number(count); line += 1) loggers[line % loggers.length]!.info({ line }, 'a line');
process.stderr.write(`bytes after logging: ${fstatSync(1).size}\n`);
if (mode === 'idle') setTimeout(() => {}, 1_500);
else if (mode === 'exit' || mode === 'two') process.exit(0);
else if (mode === 'crash') throw new Error('the process fails');
