import { randomBytes } from 'node:crypto';
import * as v from 'valibot';

/** A new stream's name: 6 random bytes, base64url (8 characters). */
export const newEpoch = (): string => randomBytes(6).toString('base64url');

/** What an epoch a client hands back may look like (room for other engines' names). */
export const EPOCH_PATTERN = /^[\w-]{1,64}$/;

/**
 * A position a client hands back to resume from (`since` on `/ws`, `Last-Event-ID` on `/events`).
 * The OpenAPI document's `StreamPosition` is generated from this declaration.
 */
export const streamPositionSchema = v.object(
  {
    epoch: v.pipe(v.string('must be a string'), v.regex(EPOCH_PATTERN, 'must be 1-64 letters, digits, _ and -')),
    offset: v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number'), v.minValue(0, 'must be at least 0')),
  },
  'must be an object with epoch and offset',
);
