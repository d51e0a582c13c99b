/**
 * What the configuration's sources promise about themselves: it owns the database options (the
 * persistence adapter imports them, never the reverse), and the README's table states the
 * defaults the schema really has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '..', '..');
const configurationFiles = [
  'src/config.ts',
  ...readdirSync(join(root, 'src/configuration'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `src/configuration/${name}`),
];
const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((match) => match[1]!);

describe('the configuration', () => {
  it('imports nothing from an adapter, the container or the entry points', () => {
    const offending = configurationFiles.flatMap((file) =>
      importsOf(file)
        .filter((source) => /\/(adapters|application|domain)\/|\/(container|main|chat-backend)\.js$/.test(source))
        .map((source) => `${file}: ${source}`),
    );

    expect(configurationFiles.length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });

  it('is the only place that reads process.env', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
    const code = (file: string) =>
      readFileSync(join(root, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
    const readers = files.filter((file) => /\bprocess\.env\b/.test(code(file)));

    expect(readers).toEqual(['src/config.ts']);
  });
});

describe("the README's configuration table", () => {
  /** `variable → default` for every row whose variables and defaults are all literal (`A` / `B` | `1` / `2`). */
  const documentedDefaults = (): Map<string, string> => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const defaults = new Map<string, string>();
    for (const [, names, values] of readme.matchAll(/^\| ((?:`[A-Z_]+`(?: \/ )?)+) \| ((?:`[^`]+`(?: \/ )?)+) \|/gm)) {
      const variables = [...names!.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!);
      const literals = [...values!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      if (variables.length === literals.length) variables.forEach((variable, i) => defaults.set(variable, literals[i]!));
    }
    return defaults;
  };

  it.each([
    'ACCESS_TOKEN_TTL',
    'REFRESH_TOKEN_TTL',
    'REFRESH_REUSE_GRACE',
    'LOGIN_FAILURE_WINDOW',
    'LOGIN_ACCOUNT_FAILURE_WINDOW',
    'REGISTRATION_WINDOW',
    'EVENT_HISTORY_TTL',
    'WS_PING_INTERVAL',
    'SSE_KEEPALIVE_INTERVAL',
    'BODY_LIMIT',
    'EVENT_HISTORY_MAX_BYTES',
    'PORT',
    'BCRYPT_ROUNDS',
    'DB_POOL_MIN',
    'DB_POOL_MAX',
    'DB_ACQUIRE_TIMEOUT_MS',
    'DB_CONNECT_TIMEOUT_MS',
    'DB_STATEMENT_TIMEOUT_MS',
    'SQLITE_PATH',
    'MIGRATE_ON_START',
    'LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS',
    'LOGIN_MAX_FAILURES_PER_ACCOUNT',
    'LOGIN_MAX_FAILURES_PER_ADDRESS',
    'REGISTRATIONS_PER_ADDRESS',
    'MESSAGE_WRITES_PER_MINUTE',
    'PASSWORD_HASH_CONCURRENCY',
    'PASSWORD_HASH_QUEUE',
    'EVENT_HISTORY_SIZE',
    'REALTIME_MAX_CONNECTIONS_PER_USER',
    'TRUST_PROXY',
  ])('documents the default of %s that the schema has', (variable) => {
    const documented = documentedDefaults().get(variable);
    // The pool shows in the configuration only when MySQL is chosen.
    const base = { JWT_SECRET_KEY: 'k'.repeat(48), ...(variable.startsWith('DB_') ? { MYSQL_HOST: 'db' } : {}) };

    expect(documented, `no literal default for ${variable} in the README`).toBeDefined();
    expect(parseConfig({ ...base, [variable]: documented })).toEqual(parseConfig(base));
  });
});
