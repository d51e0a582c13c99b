import * as v from 'valibot';

/** Where a login comes from; kept on the login so a user can tell their devices apart. */
export interface ClientInfo {
  readonly address?: string | null | undefined;
  readonly userAgent?: string | null | undefined;
}

const clip = (value: string | null | undefined, max: number): string | null => (value ? value.slice(0, max) : null);

export const clientInfoField = v.optional(
  v.pipe(
    // Messages in the API's wording, like every other field's, rather than valibot's defaults.
    v.object(
      { address: v.nullish(v.string('must be a string')), userAgent: v.nullish(v.string('must be a string')) },
      'must be an object',
    ),
    v.transform((client) => ({ address: clip(client.address, 64), userAgent: clip(client.userAgent, 255) })),
  ),
  {},
);
