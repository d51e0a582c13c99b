import * as v from 'valibot';
import { tokenField } from '../../application/validation/fields.js';
import { validate } from '../../application/validation/validate.js';
import { ValidationError } from '../../domain/domain-error.js';
import { streamPositionSchema } from './stream-position.schema.js';

/**
 * What a WebSocket client sends first: its token, and the position to resume from (then `ping`
 * whenever it likes). The OpenAPI document's `AuthFrame` is generated from this declaration.
 */
export const authFrame = v.object(
  {
    type: v.literal('auth', 'must be "auth"'),
    token: tokenField,
    since: v.nullish(streamPositionSchema),
  },
  'must be an object',
);

export type AuthFrame = v.InferOutput<typeof authFrame>;

/** A parsed frame, or the problems with it in the API's `details` wording ("field: problem"). */
export const parseAuthFrame = (data: string): { frame: AuthFrame } | { details: readonly string[] } => {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { details: ['frame: must be JSON'] };
  }
  try {
    return { frame: validate(authFrame, json) };
  } catch (error) {
    if (error instanceof ValidationError) return { details: error.details };
    throw error;
  }
};
