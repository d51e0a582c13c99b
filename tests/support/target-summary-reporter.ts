import type { Reporter, TestCase, TestModule } from 'vitest/node';

type Target = 'memory' | 'sqlite' | 'mysql' | 'redis' | 'no database';
const TARGETS: readonly Target[] = ['memory', 'sqlite', 'mysql', 'redis', 'no database'];

/**
 * Which storage a test ran against, read from where the suites say it: MySQL-only files live under
 * a `mysql` folder or name, and suites run over several targets put the target in their title.
 * Only the titles of the enclosing suites count, not the test's own name, which may merely talk
 * about a database ("a mysql:// URL selects MySQL").
 */
const targetOf = (moduleId: string, fullName: string): Target => {
  if (/[/.]mysql[/.]/.test(moduleId)) return 'mysql';
  if (/[/.]redis[/.]/.test(moduleId)) return 'redis';
  const named = /\b(memory|sqlite|mysql|redis)\b/i.exec(fullName)?.[1]?.toLowerCase();
  if (named === 'memory' || named === 'sqlite' || named === 'mysql' || named === 'redis') return named;
  if (/[/.]sqlite[/.-]/.test(moduleId)) return 'sqlite';
  if (/[/.]memory[/.]/.test(moduleId)) return 'memory';
  return 'no database';
};

/** The titles of the suites around a test, outermost first. */
const suiteTitles = (test: TestCase): string => {
  const titles: string[] = [];
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) titles.unshift(parent.name);
  return titles.join(' > ');
};

/** Ends the run with how many tests ran against each storage, so a silently skipped MySQL or Redis suite shows. */
export default class TargetSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<Target, { passed: number; failed: number; skipped: number }>(
      TARGETS.map((target) => [target, { passed: 0, failed: 0, skipped: 0 }]),
    );
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const count = counts.get(targetOf(testModule.moduleId, suiteTitles(test)));
        if (!count) continue;
        const state = test.result().state;
        if (state === 'passed') count.passed += 1;
        else if (state === 'failed') count.failed += 1;
        else count.skipped += 1;
      }
    }
    const lines = TARGETS.map((target) => {
      const { passed, failed, skipped } = counts.get(target) ?? { passed: 0, failed: 0, skipped: 0 };
      return `  ${target.padEnd(12)} ${String(passed).padStart(5)} passed  ${failed} failed  ${skipped} skipped`;
    });
    const total = [...counts.values()].reduce(
      (sum, count) => ({ passed: sum.passed + count.passed, failed: sum.failed + count.failed, skipped: sum.skipped + count.skipped }),
      { passed: 0, failed: 0, skipped: 0 },
    );
    // The last line is the plain closing line CI reads: "total: N passed, N failed, N skipped".
    process.stdout.write(
      `\nTests per storage target:\n${lines.join('\n')}\ntotal: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`,
    );
  }
}
