/**
 * The floor server: the least code that answers the benchmark's requests as the API contract
 * requires, on the same stack (node:http, jsonwebtoken with a KeyObject, the same SQL through a
 * mysql2 pool, JSON.stringify). What the project's layers cost is the gap between it and the server.
 *
 * It does what the contract requires of these requests and nothing more: the token's signature,
 * issuer, audience, expiry and type; the login still live and its user active (logout ends access
 * at once, so the server checks it per request: `Authenticate`); ownership of the session; for a
 * send, the session row locked before the insert (the insert's foreign-key check would otherwise
 * take a shared lock, and concurrent senders deadlock on the upgrade), the client id's idempotency
 * (the unique index: a retry answers the stored message), the default parent (the session's last
 * message) and the session's counters. No event is published: nobody listens during these scenarios.
 *
 * Run by the harness: `node --import tsx bench/floor.ts` with FLOOR_PORT, FLOOR_DATABASE
 * (`mysql://…` or a SQLite file path), JWT_SECRET_KEY, JWT_ISSUER, JWT_AUDIENCE, MESSAGE_MAX_CHARS.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import { sanitizeText } from '../src/application/validation/sanitize.js';
import { openMySqlClient, openSqliteClient, type Row, type SqlClient } from './sql-client.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`floor: ${name} is required`);
  return value;
};

const target = env('FLOOR_DATABASE');
const db: SqlClient = target.startsWith('mysql://') ? openMySqlClient(target, 10) : openSqliteClient(target);
const mysql = db.dialect === 'mysql';
const key = createSecretKey(Buffer.from(env('JWT_SECRET_KEY'), 'utf8'));
const maxChars = Number(process.env['MESSAGE_MAX_CHARS'] ?? 5000);
const verifyOptions = { algorithms: ['HS256' as const], issuer: env('JWT_ISSUER'), audience: env('JWT_AUDIENCE') };

/** `datetime(3)` text in UTC (mysql2 with dateStrings), or epoch ms on SQLite. */
const iso = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return `${value.replace(' ', 'T')}Z`;
  return new Date(Number(value)).toISOString();
};
const dateParam = (date: Date): string | number => (mysql ? date.toISOString().slice(0, 23).replace('T', ' ') : date.getTime());

const MESSAGE_COLUMNS = 'm.id, m.session_id, m.parent_id, m.client_id, m.text, m.sender, m.status, m.metadata, m.edited_at, m.created_at, m.updated_at';
const presentMessage = (row: Row) => ({
  id: Number(row['id']),
  session_id: Number(row['session_id']),
  parent_id: row['parent_id'] === null ? null : Number(row['parent_id']),
  client_id: row['client_id'] ?? null,
  text: row['text'],
  sender: row['sender'],
  status: row['status'],
  metadata: typeof row['metadata'] === 'string' ? JSON.parse(row['metadata']) : (row['metadata'] ?? null),
  edited_at: iso(row['edited_at']),
  created_at: iso(row['created_at']),
  updated_at: iso(row['updated_at']),
});

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

class Refusal extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(code);
  }
}

/** The caller's user id: a valid access token whose login is live and whose user is active. */
const authenticate = async (req: IncomingMessage): Promise<string> => {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) throw new Refusal(401, 'invalid_token');
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(header.slice(7), key, verifyOptions) as jwt.JwtPayload;
  } catch {
    throw new Refusal(401, 'invalid_token');
  }
  if (claims['typ'] !== 'access' || typeof claims.sub !== 'string' || typeof claims['sid'] !== 'string') throw new Refusal(401, 'invalid_token');
  const [owner] = await db.rows(
    'SELECT u.id, u.is_active FROM logins l JOIN users u ON u.id = l.user_id WHERE l.id = ? AND l.revoked_at IS NULL AND l.expires_at > ?',
    [claims['sid'], dateParam(new Date())],
  );
  if (!owner || owner['id'] !== claims.sub || Number(owner['is_active']) !== 1) throw new Refusal(401, 'invalid_token');
  return claims.sub;
};

const readJson = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
        resolve(body as Record<string, unknown>);
      } catch {
        reject(new Refusal(400, 'invalid_json'));
      }
    });
    req.on('error', reject);
  });

// Keyset read of the latest messages: the server's SQL (messages_session_live_index, hinted on MySQL).
const readLatest = async (userId: string, sessionId: number, limit: number) => {
  const hint = mysql ? ' FORCE INDEX (messages_session_live_index)' : '';
  const rows = await db.rows(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m${hint}
      WHERE m.session_id = ? AND m.is_deleted = 0
        AND EXISTS (SELECT 1 FROM chat_sessions s WHERE s.id = ? AND s.user_id = ? AND s.is_active = 1)
      ORDER BY m.id DESC LIMIT ?`,
    [sessionId, sessionId, userId, limit + 1],
  );
  if (rows.length === 0) {
    const [owned] = await db.rows('SELECT 1 AS owned FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1', [sessionId, userId]);
    if (!owned) throw new Refusal(404, 'session_not_found');
  }
  return { messages: rows.slice(0, limit).reverse().map(presentMessage), has_more: rows.length > limit };
};

const SENDERS = new Set(['user', 'assistant', 'system']);
const isDuplicate = (error: unknown): boolean => {
  const code = (error as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

const sendMessage = async (userId: string, sessionId: number, body: Record<string, unknown>) => {
  const { text, client_id: clientId = null, sender = 'user' } = body;
  // The contract's cleaning of free text (NFC, no control characters, trimmed), then its length.
  const stored = typeof text === 'string' ? sanitizeText(text) : '';
  if (stored === '' || [...stored].length > maxChars) throw new Refusal(422, 'validation_error');
  if (clientId !== null && (typeof clientId !== 'string' || clientId.length > 64)) throw new Refusal(422, 'validation_error');
  if (typeof sender !== 'string' || !SENDERS.has(sender)) throw new Refusal(422, 'validation_error');
  return db.transaction(async (tx) => {
    const [session] = await tx.rows(
      `SELECT last_message_id FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1${mysql ? ' FOR UPDATE' : ''}`,
      [sessionId, userId],
    );
    if (!session) throw new Refusal(404, 'session_not_found');
    const now = new Date();
    const at = dateParam(now);
    const parentId = session['last_message_id'] === null ? null : Number(session['last_message_id']);
    let id: number;
    try {
      ({ insertId: id } = await tx.execute(
        `INSERT INTO messages (text, sender, session_id, parent_id, client_id, status, created_at, updated_at, is_deleted)
         VALUES (?, ?, ?, ?, ?, 'complete', ?, ?, 0)`,
        [stored, sender, sessionId, parentId, clientId, at, at],
      ));
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const [replayed] = await tx.rows(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.session_id = ? AND m.client_id = ?`, [sessionId, clientId]);
      return { status: 200, message: presentMessage(replayed!) };
    }
    await tx.execute(
      'UPDATE chat_sessions SET message_count = message_count + 1, last_message_at = ?, last_message_id = ?, updated_at = ? WHERE id = ?',
      [at, id, at, sessionId],
    );
    const iso = now.toISOString();
    const message = { id, session_id: sessionId, parent_id: parentId, client_id: clientId, text: stored, sender, status: 'complete', metadata: null, edited_at: null, created_at: iso, updated_at: iso };
    return { status: 201, message };
  });
};

// The server's one-round-trip page of sessions (chat_sessions_owner_recent_index).
const listSessions = async (userId: string, page: number, perPage: number) => {
  const rows = await db.rows(
    `SELECT c.total, s.id, s.title, s.message_count, s.last_message_at, s.created_at, s.updated_at
       FROM (SELECT COUNT(*) AS total FROM chat_sessions WHERE user_id = ? AND is_active = 1) c
       LEFT JOIN (
         SELECT id, title, message_count, last_message_at, created_at, updated_at FROM chat_sessions
          WHERE user_id = ? AND is_active = 1 ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?
       ) s ON 1 = 1`,
    [userId, userId, perPage, (page - 1) * perPage],
  );
  const total = rows[0] ? Number(rows[0]['total']) : 0;
  const sessions = rows
    .filter((row) => row['id'] !== null)
    .map((row) => ({
      id: Number(row['id']),
      title: row['title'],
      message_count: Number(row['message_count']),
      last_message_at: iso(row['last_message_at']),
      created_at: iso(row['created_at']),
      updated_at: iso(row['updated_at']),
    }))
    .sort((a, b) => (b.updated_at! < a.updated_at! ? -1 : b.updated_at! > a.updated_at! ? 1 : b.id - a.id));
  const pages = Math.ceil(total / perPage);
  return { sessions, pagination: { page, per_page: perPage, total, pages, has_next: page < pages, has_prev: page > 1 } };
};

const MESSAGES_PATH = /^\/chat\/sessions\/(\d{1,10})\/messages$/;
const positive = (value: string | null, fallback: number, max: number): number => {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Refusal(422, 'validation_error');
  return n;
};

const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://floor');
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  const messages = MESSAGES_PATH.exec(url.pathname);
  if (messages) {
    const sessionId = Number(messages[1]);
    if (req.method === 'GET') {
      const userId = await authenticate(req);
      return send(res, 200, await readLatest(userId, sessionId, positive(url.searchParams.get('limit'), 50, 200)));
    }
    if (req.method === 'POST') {
      const userId = await authenticate(req);
      const sent = await sendMessage(userId, sessionId, await readJson(req));
      return send(res, sent.status, { message: sent.message });
    }
  }
  if (url.pathname === '/chat/sessions' && req.method === 'GET') {
    const userId = await authenticate(req);
    return send(res, 200, await listSessions(userId, positive(url.searchParams.get('page'), 1, 1_000_000), positive(url.searchParams.get('per_page'), 20, 100)));
  }
  send(res, 404, { error: 'not_found' });
};

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (error instanceof Refusal) send(res, error.status, { error: error.code });
    else {
      process.stderr.write(`floor: ${error instanceof Error ? error.stack : String(error)}\n`);
      send(res, 500, { error: 'internal' });
    }
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(env('FLOOR_PORT')), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.close().then(() => process.exit(0));
});
