import * as v from 'valibot';
import { resourceIdShape } from '../http/presenters/resource.presenter.js';

/**
 * What a real-time connection receives, as it goes over the wire (API.md, "Real time"): the same
 * objects for WebSocket frames, Server-Sent Events and in-process subscribers.
 */

/** A place in one user's stream. Offsets are only ever compared within one epoch. */
export interface StreamPosition {
  readonly epoch: string;
  readonly offset: number;
}

/** An event's body before the stream gives it a position: `type` plus its snake_case fields. */
export interface EventPayload {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A stored event: its payload at its position in the user's stream. */
export type StreamEvent = EventPayload & StreamPosition;

export interface ReadyFrame extends StreamPosition {
  readonly type: 'ready';
  /** Whether every event after the requested position was replayed before this frame. */
  readonly recovered: boolean;
}

/** The stream cannot deliver for now (Redis unreachable). */
export interface DegradedFrame {
  readonly type: 'degraded';
}

/** Delivery is back, but events may have been missed: reload through the REST API. */
export interface ResyncFrame {
  readonly type: 'resync';
}

/**
 * Text just appended to a streaming message. Outside the stream: no position, never replayed (a
 * client that reconnects reads the text so far), delivered only to connections live at the time.
 * Declared as a shape so that the OpenAPI document is generated from the same declaration.
 */
export const deltaFrameShape = v.strictObject({
  type: v.literal('message.delta'),
  session_id: resourceIdShape,
  message_id: resourceIdShape,
  text: v.pipe(v.string(), v.description('What was appended, as stored: the message\'s text is the sum of its deltas.')),
});

export type DeltaFrame = v.InferOutput<typeof deltaFrameShape>;

export type StreamFrame = StreamEvent | DeltaFrame | ReadyFrame | DegradedFrame | ResyncFrame;

export const isDelta = (frame: StreamFrame): frame is DeltaFrame => frame.type === 'message.delta';

/** A frame that has a place in the user's stream (not a delta, not a control frame). */
export const isStreamEvent = (frame: StreamFrame): frame is StreamEvent =>
  frame.type !== 'ready' && frame.type !== 'degraded' && frame.type !== 'resync' && frame.type !== 'message.delta';

/** The event at `position`, with `type`, `epoch` and `offset` first as API.md shows them. */
export const positioned = ({ type, ...fields }: EventPayload, position: StreamPosition): StreamEvent => ({
  type,
  epoch: position.epoch,
  offset: position.offset,
  ...fields,
});
