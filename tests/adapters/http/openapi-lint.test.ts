/**
 * The OpenAPI document as a linter sees it: `redocly lint` with its recommended rules must find no
 * error in the document the server serves (warnings are printed, for whoever improves it next).
 */
import { MESSAGE_MAX_CHARS_DEFAULT } from '../../../src/configuration/app-config.schema.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../src/adapters/http/openapi/openapi-document.js';
import { APP_VERSION } from '../../../src/version.js';

const REDOCLY = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

interface LintReport {
  readonly totals: { readonly errors: number; readonly warnings: number };
  readonly problems: ReadonlyArray<{ readonly ruleId: string; readonly severity: string; readonly message: string }>;
}

describe('the OpenAPI document under redocly lint', () => {
  const directory = mkdtempSync(join(tmpdir(), 'chat-openapi-lint-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('has no error', async () => {
    const file = join(directory, 'openapi.json');
    writeFileSync(file, JSON.stringify(buildOpenApiDocument({ version: APP_VERSION, serverUrl: 'http://localhost:8000', messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT }), null, 2));
    // redocly exits non-zero when it finds an error; the report on stdout says which.
    const { stdout } = await promisify(execFile)(REDOCLY, ['lint', file, '--format=json'], { maxBuffer: 16 * 1024 * 1024 }).catch(
      (failure: { stdout?: string }) => ({ stdout: failure.stdout ?? '' }),
    );
    const report = JSON.parse(stdout) as LintReport;
    const errors = report.problems.filter((problem) => problem.severity === 'error');
    expect(errors.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);
});
