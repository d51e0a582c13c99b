/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [count]`: where a `--profile` run's time went,
 * without a browser: the functions with the most self time, and self time by package (or by
 * the project's own folder), as shares of the samples taken while the server was not idle.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  /** Microseconds before each sample. */
  readonly timeDeltas: readonly number[];
}

const [file, countArg] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** `node_modules/@mikro-orm/core/…` → `@mikro-orm/core`; the project's files by their folder. */
const ownerOf = (url: string): string => {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const own = /\/dist\/src\/((?:[^/]+\/){0,2})/.exec(url);
  if (own) return `src/${own[1]}`;
  if (url.startsWith('node:') || url === '') return 'node (built in)';
  return url;
};

const self = new Map<string, number>();
const owners = new Map<string, number>();
let busy = 0;
let gc = 0;
let busyUs = 0;
for (const [index, id] of profile.samples.entries()) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(garbage collector)') gc += 1;
  if (IDLE.has(functionName) && functionName !== '(garbage collector)') continue;
  busy += 1;
  busyUs += profile.timeDeltas[index] ?? 0;
  const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + 1);
  const owner = functionName === '(garbage collector)' ? '(garbage collector)' : ownerOf(url);
  owners.set(owner, (owners.get(owner) ?? 0) + 1);
}
const share = (n: number) => `${((n / Math.max(busy, 1)) * 100).toFixed(1).padStart(5)} %`;
const top = (entries: Map<string, number>, count: number) =>
  [...entries].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, n]) => `${share(n)}  ${name}`).join('\n');
const count = Number(countArg ?? 25);
process.stdout.write(`${busy} busy samples of ${profile.samples.length}, ${(busyUs / 1e6).toFixed(1)} s of CPU (${share(gc).trim()} in GC)\n\nBy package or folder:\n${top(owners, 20)}\n\nFunctions by self time:\n${top(self, count)}\n`);
