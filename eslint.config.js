// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The hexagon's layer rule, enforced at lint time: the domain and the use cases must stay
// free of frameworks, drivers and adapters so they can run anywhere (tests, scripts, servers).
const frameworks = [
  'koa', 'koa-*', '@koa/*', '@mikro-orm/*', 'mysql2', 'mysql2/*', 'jsonwebtoken', 'bcrypt',
  'inversify', 'reflect-metadata', 'pino', 'ws', 'ioredis', 'dotenv', 'rate-limiter-flexible',
  'node:http', 'node:https', 'http', 'https', 'node:net', 'net', 'node:fs', 'fs', 'node:fs/*', 'fs/*',
];
const adapterPaths = ['**/adapters/**', '**/adapters', '**/container*', '**/config*', '**/main*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: frameworks, message: 'The domain imports nothing but the domain.' },
          { group: [...adapterPaths, '**/application/**', '**/application', 'valibot'], message: 'The domain imports nothing but the domain.' },
        ],
      }],
    },
  },
  {
    // The browser client speaks to the server only over HTTP and the WebSocket, as any client
    // would: it shares no code with the server, and nothing of Node exists where it runs.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src/**', '../../src', '**/tests/**'], message: 'The web client imports only its own files (web/src).' },
          { group: ['node:*', ...frameworks, 'valibot'], message: 'The web client runs in a browser and bundles nothing: only its own files.' },
        ],
      }],
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: frameworks, message: 'Use cases talk to the world through ports, never through a framework or driver.' },
          { group: adapterPaths, message: 'Use cases must not import adapters; the container wires them.' },
        ],
      }],
    },
  },
);
