import { expect } from 'vitest';
import type { ApiResponse } from './api-client.js';

/** The API's timestamps: ISO 8601, UTC, with milliseconds. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Three base64url segments: header, claims, signature. */
export const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const isoTimestamp = () => expect.stringMatching(ISO_TIMESTAMP);

/** A user resource: exactly these keys, never a password or hash. */
export const userResource = (fields: { id?: string; username: string; email: string; is_active?: boolean; is_verified?: boolean }) => ({
  id: fields.id ?? expect.stringMatching(UUID),
  username: fields.username,
  email: fields.email,
  is_active: fields.is_active ?? true,
  is_verified: fields.is_verified ?? false,
  created_at: isoTimestamp(),
  updated_at: isoTimestamp(),
});

export const tokenPair = () => ({
  access_token: expect.stringMatching(JWT),
  refresh_token: expect.stringMatching(JWT),
  token_type: 'Bearer',
  expires_in: 900,
});

export const sessionResource = (fields: { id?: number; title: string; message_count: number; last_message_at?: string | null }) => ({
  id: fields.id ?? expect.any(Number),
  title: fields.title,
  message_count: fields.message_count,
  last_message_at: fields.last_message_at === undefined ? isoTimestamp() : fields.last_message_at,
  created_at: isoTimestamp(),
  updated_at: isoTimestamp(),
});

/** A message sent whole with no client id or metadata, edited or not; its parent is any message or none. */
export const messageResource = (fields: {
  id?: number;
  session_id: number;
  text: string;
  sender: string;
  parent_id?: number | null;
  edited?: boolean;
}) => ({
  id: fields.id ?? expect.any(Number),
  session_id: fields.session_id,
  parent_id: fields.parent_id === undefined ? expect.toSatisfy((value) => value === null || Number.isSafeInteger(value)) : fields.parent_id,
  client_id: null,
  text: fields.text,
  sender: fields.sender,
  status: 'complete',
  metadata: null,
  edited_at: fields.edited === true ? isoTimestamp() : null,
  created_at: isoTimestamp(),
  updated_at: isoTimestamp(),
});

/** Status, the JSON content type every answer carries, and the exact body. */
export const expectJson = (response: ApiResponse, status: number, body: unknown): void => {
  expect({ status: response.status, body: response.body }).toEqual({ status, body });
  expect(response.headers.get('content-type')).toBe(JSON_CONTENT_TYPE);
};

/** The error shape of API.md: `{error, code}`, plus `details` only when given. */
export const expectError = (
  response: ApiResponse,
  status: number,
  error: string,
  code: string,
  details?: readonly string[],
): void => {
  expectJson(response, status, details === undefined ? { error, code } : { error, code, details });
};

export const SESSION_NOT_FOUND = { error: 'Session not found', code: 'session_not_found' } as const;
export const MESSAGE_NOT_FOUND = { error: 'Message not found', code: 'message_not_found' } as const;
export const INVALID_TOKEN = { error: 'Invalid or expired token', code: 'invalid_token' } as const;
export const INVALID_CREDENTIALS = { error: 'Invalid username or password', code: 'invalid_credentials' } as const;
