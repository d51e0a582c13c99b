import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the client as it is served: its bytes and its media type. */
export interface WebClientFile {
  readonly body: Buffer;
  readonly type: string;
}

/** The client's files by the name they are served under (`index.html`, `main.js`, `views/login-view.js`). */
export type WebClientFiles = ReadonlyMap<string, WebClientFile>;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The package's root: the nearest folder above this module holding `package.json`. The module runs
 * from `src/` (tests, tsx) and from `dist/src/` (the built server); both find the same root.
 */
const packageRoot = (): string => {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('the web client cannot find its package (no package.json above it)');
    folder = parent;
  }
  return folder;
};

const collect = (folder: string, into: Map<string, WebClientFile>): void => {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (!entry.isFile() || type === undefined) continue;
    const path = join(entry.parentPath, entry.name);
    into.set(relative(folder, path).split(sep).join('/'), { body: readFileSync(path), type });
  }
};

/**
 * Every file of the client, read once at start (a few dozen kilobytes): the hand-written page and
 * styles in `web/static/`, and the scripts `npm run build` compiles from `web/src/` into `dist/web/`.
 * Only these names are ever served, so a request path is looked up, never joined to a folder.
 */
export const loadWebClientFiles = (root: string = packageRoot()): WebClientFiles => {
  const files = new Map<string, WebClientFile>();
  collect(join(root, 'web', 'static'), files);
  collect(join(root, 'dist', 'web'), files);
  return files;
};
