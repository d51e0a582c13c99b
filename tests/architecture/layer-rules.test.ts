import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

const restrictedImportErrors = async (source: string, filePath: string): Promise<string[]> => {
  const [result] = await eslint.lintText(source, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));

describe('the layer rule (dependencies point inward)', () => {
  it.each([
    ["import Koa from 'koa';", 'src/application/chat/send-message.use-case.ts'],
    ["import { MikroORM } from '@mikro-orm/core';", 'src/application/chat/send-message.use-case.ts'],
    ["import jwt from 'jsonwebtoken';", 'src/application/auth/log-in.use-case.ts'],
    ["import bcrypt from 'bcrypt';", 'src/domain/user.entity.ts'],
    ["import { Container } from 'inversify';", 'src/application/use-cases.ts'],
    ["import { createServer } from 'node:http';", 'src/domain/message.entity.ts'],
    ["import { JwtTokenIssuer } from '../../adapters/security/jwt.token-issuer.js';", 'src/application/auth/log-in.use-case.ts'],
    ["import { loadConfig } from '../config.js';", 'src/application/use-cases.ts'],
    ["import * as v from 'valibot';", 'src/domain/chat-session.entity.ts'],
    ["import { validate } from '../application/validation/validate.js';", 'src/domain/user.entity.ts'],
  ])('when an inner file adds `%s`, lint fails (%s)', async (source, filePath) => {
    expect(await restrictedImportErrors(source, filePath)).not.toEqual([]);
  });

  it('when a use case imports valibot and the domain, lint allows it', async () => {
    const source = "import * as v from 'valibot';\nimport { User } from '../../domain/user.entity.js';\nexport const x = [v, User];\n";
    expect(await restrictedImportErrors(source, 'src/application/auth/example.use-case.ts')).toEqual([]);
  });

  it('when an adapter imports a framework, lint allows it', async () => {
    expect(await restrictedImportErrors("import Koa from 'koa';\nexport const k = Koa;\n", 'src/adapters/http/example.ts')).toEqual([]);
  });

  it.each([
    ["import { presentMessage } from '../../src/adapters/http/presenters/resource.presenter.js';", 'web/src/views/example-view.ts'],
    ["import { readFileSync } from 'node:fs';", 'web/src/example.ts'],
    ["import * as v from 'valibot';", 'web/src/example.ts'],
  ])('when the web client adds `%s`, lint fails (%s)', async (source, filePath) => {
    expect(await restrictedImportErrors(source, filePath)).not.toEqual([]);
  });

  it('every file of the web client imports only its own files, as committed', async () => {
    const files = filesUnder('web/src');
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    for (const file of files) {
      const errors = await restrictedImportErrors(readFileSync(join(root, file), 'utf8'), file);
      if (errors.length > 0) offending.push(`${file}: ${errors.join('; ')}`);
    }
    expect(offending).toEqual([]);
  });

  it('every file of the domain and the application passes the layer rule as committed', async () => {
    const files = [...filesUnder('src/domain'), ...filesUnder('src/application')];
    expect(files.length).toBeGreaterThan(20);
    const offending: string[] = [];
    for (const file of files) {
      const errors = await restrictedImportErrors(readFileSync(join(root, file), 'utf8'), file);
      if (errors.length > 0) offending.push(`${file}: ${errors.join('; ')}`);
    }
    expect(offending).toEqual([]);
  });
});
