import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as publicSurface from '../../src/index.js';
import * as testing from '../../src/testing.js';
import { APP_VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, { default: string; types: string }>;
};

describe('the package as others import it', () => {
  it('reports the version package.json declares', () => {
    expect(APP_VERSION).toBe(manifest.version);
  });

  it('exports the use cases, the wiring, the errors and the port tokens from its main entry', () => {
    for (const name of ['createChatBackend', 'createUseCases', 'SendMessage', 'RegisterUser', 'DomainError', 'ValidationError', 'UserRepository', 'TokenIssuer']) {
      expect(publicSurface).toHaveProperty(name);
    }
  });

  it('exports the in-memory harness as <package>/testing, pointing at the compiled files', () => {
    expect(testing).toHaveProperty('createInMemoryChatBackend');
    expect(manifest.exports['./testing']?.default).toBe('./dist/src/testing.js');
    expect(manifest.exports['.']?.default).toBe('./dist/src/index.js');
  });
});
