import { MIN_SAMPLES, type PlateauRule, type PlateauVerdict } from './plateau.js';
import type { SoakResult } from './soak-run.js';

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const percent = (growth: number): string => `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %`;
const verdictLine = (what: string, verdict: PlateauVerdict, rule: PlateauRule, unit: (value: number) => string): string => {
  if (verdict.samples < MIN_SAMPLES) return `${what.padEnd(8)} UNKNOWN  only ${verdict.samples} samples (at least ${MIN_SAMPLES} needed)`;
  const allowance = `middle-third peak + ${rule.tolerance * 100} %${rule.slack > 0 ? ` + ${rule.slack}` : ''}`;
  return (
    `${what.padEnd(8)} ${verdict.plateau ? 'PLATEAU' : 'GROWING'}  last-third peak ${unit(verdict.lastPeak)} ${verdict.plateau ? '≤' : '>'} ` +
    `${unit(verdict.allowed)} (${allowance}; middle-third peak ${unit(verdict.middlePeak)}, growth ${percent(verdict.growth)})`
  );
};

/** The soak's result as it prints: the samples, what the users did, and the verdict. */
export const formatSoakReport = (result: SoakResult): string => {
  const { tally, samples } = result;
  const requests = [...tally.requests.values()].reduce((sum, count) => sum + count, 0);
  const seconds = result.options.durationMs / 1000;
  const lines = [
    `soak: ${result.options.users} users, ${seconds} s, ${result.database}`,
    '',
    '     t (s)   RSS (MB)   heap (MB)   handles   fds',
    ...samples.map(
      (s) =>
        `${(s.atMs / 1000).toFixed(1).padStart(10)} ${mb(s.rssBytes).padStart(10)} ${mb(s.heapUsedBytes).padStart(11)} ${String(s.handles).padStart(9)} ${String(s.openFds).padStart(5)}`,
    ),
    '',
    `requests: ${requests} answered as expected (${(requests / seconds).toFixed(0)}/s): ${[...tally.requests].map(([what, count]) => `${what} ${count}`).join(', ')}`,
    `failures: ${tally.failureCount}${tally.failures.length > 0 ? `\n  ${tally.failures.join('\n  ')}` : ''}`,
    `real time: ${tally.eventsReceived} events received, ${tally.resumes} WebSocket resumes (each recovered)`,
    `server exit after SIGTERM: ${result.exit.code ?? result.exit.signal}`,
    `plateau: the first third is warm-up; the last third's peak may exceed the middle third's by the allowance`,
    verdictLine('RSS', result.rss, result.rules.rss, (value) => `${mb(value)} MB`),
    verdictLine('handles', result.handles, result.rules.handles, (value) => value.toFixed(1).replace(/\.0$/, '')),
    `verdict: ${result.passed ? 'PASS' : 'FAIL'} (RSS and handles level off, every request answered as expected, events delivered, exit 0)`,
  ];
  return lines.join('\n');
};
