import { authFrame } from '../../realtime/client-frames.js';
import { deltaFrameShape } from '../../realtime/stream-frame.js';
import { streamPositionSchema } from '../../realtime/stream-position.schema.js';
import { countShape, resourceIdShape } from '../presenters/resource.presenter.js';
import { jsonSchemaOf } from './json-schema-of.js';
import type { JsonObject } from './openapi-components.js';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

// Generated from the declarations the server parses with; only the prose is written here.
const position = jsonSchemaOf(streamPositionSchema);
const positionProperty = (name: 'epoch' | 'offset'): JsonObject => (position['properties'] as Record<string, JsonObject>)[name] ?? {};
const epoch: JsonObject = {
  ...positionProperty('epoch'),
  description: "Names the user's stream; it changes when the stream's history is lost. Compare offsets only within one epoch.",
  examples: ['k3x9Qw_a'],
};
const offset: JsonObject = {
  ...positionProperty('offset'),
  description: "The event's place in the user's stream: one more than the user's previous event.",
  examples: [42],
};
const sessionId = jsonSchemaOf(resourceIdShape);
const count = jsonSchemaOf(countShape);

const event = (type: string, description: string, properties: Record<string, JsonObject>): JsonObject => ({
  type: 'object',
  description,
  required: ['type', 'epoch', 'offset', ...Object.keys(properties)],
  properties: { type: { const: type }, epoch, offset, ...properties },
});

/** The frames of `/ws` and the `data` of `/events`, as JSON Schema. */
export const realtimeSchemas: Readonly<Record<string, JsonObject>> = {
  StreamPosition: { ...position, description: 'A place in one user\'s stream, as the events carry it.' },
  RealtimeEvent: {
    description: 'A change to the user\'s data, pushed after it is committed. `Last-Event-ID` / `since` resume from its position.',
    oneOf: [
      event('session.created', 'A session was created.', { session: ref('Session') }),
      event('session.updated', 'A session was renamed, or a message made it the most recent.', { session: ref('Session') }),
      event('session.deleted', 'A session was deleted.', { session_id: sessionId }),
      event('message.created', 'A message was sent.', { session_id: sessionId, message: ref('Message') }),
      event('message.updated', 'A message was edited, or a streamed one completed or became incomplete.', {
        session_id: sessionId,
        message: ref('Message'),
      }),
      event('message.deleted', 'A message was deleted.', { session_id: sessionId, message_id: sessionId }),
      event('messages.cleared', 'Every message of a session was deleted.', {
        session_id: sessionId,
        deleted_count: count,
      }),
    ],
  },
  DeltaFrame: {
    ...jsonSchemaOf(deltaFrameShape),
    description:
      'Text just appended to a streaming message, pushed to the owner\'s live connections. Outside the stream: no `epoch` or `offset`, never replayed; a client that reconnects reads the text so far. The `message.created` that starts it and the `message.updated` that ends it are ordinary events.',
    examples: [{ type: 'message.delta', session_id: 12, message_id: 345, text: ' world' }],
  },
  ReadyFrame: {
    type: 'object',
    description: 'Sent once, after the replay: the stream is live from here.',
    required: ['type', 'epoch', 'offset', 'recovered'],
    properties: {
      type: { const: 'ready' },
      epoch,
      offset: { ...offset, description: "The user's latest offset." },
      recovered: {
        type: 'boolean',
        description:
          'Whether every event after the requested position was replayed. `false` (no position given, another epoch, or older than the history): reload what you show through the REST API.',
      },
    },
  },
  ControlFrame: {
    type: 'object',
    description:
      '`degraded`: Redis is unreachable and events are not being delivered (HTTP still works). `resync`: delivery is back but events may have been missed: reload through the REST API.',
    required: ['type'],
    properties: { type: { enum: ['degraded', 'resync'] } },
  },
  AuthFrame: {
    ...jsonSchemaOf(authFrame, { StreamPosition: streamPositionSchema }),
    description:
      'The first frame a WebSocket client sends, within 5 seconds: an access token, and optionally (`since`) the position of the last event it handled, to resume after it.',
    examples: [{ type: 'auth', token: 'eyJhbGciOi…', since: { epoch: 'k3x9Qw_a', offset: 41 } }],
  },
  ErrorFrame: {
    type: 'object',
    description: 'Why the server refuses a frame or is about to close: the error shape of the REST API, with `type: "error"`.',
    required: ['type', 'error', 'code'],
    properties: {
      type: { const: 'error' },
      error: { type: 'string' },
      code: {
        type: 'string',
        examples: ['validation_failed', 'invalid_token', 'auth_timeout', 'too_many_connections', 'unknown_frame', 'unavailable'],
      },
      details: { type: 'array', items: { type: 'string' } },
    },
  },
};
