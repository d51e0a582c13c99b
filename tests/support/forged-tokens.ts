import jwt from 'jsonwebtoken';

export type Claims = Record<string, unknown>;

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims of a token the server issued, unverified. */
export const claimsOf = (token: string): Claims => {
  const claims = jwt.decode(token);
  if (typeof claims !== 'object' || claims === null) throw new Error('not a JWT');
  return claims as Claims;
};

/**
 * A token with the claims of `token` changed by `changes` (a key set to undefined is removed),
 * signed with `secret` and `algorithm` (HS256 unless given). For an expired token, a wrong
 * audience and the like: everything else about it is genuine.
 */
export const resign = (
  token: string,
  secret: jwt.Secret,
  changes: Claims = {},
  algorithm: jwt.Algorithm = 'HS256',
): string => {
  const claims: Claims = { ...claimsOf(token), ...changes };
  for (const [key, value] of Object.entries(claims)) if (value === undefined) delete claims[key];
  return jwt.sign(claims, secret, { algorithm });
};

/** The claims of `token` under `{"alg":"none"}` with an empty signature. */
export const unsigned = (token: string): string =>
  `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claimsOf(token))}.`;

export const nowInSeconds = (): number => Math.floor(Date.now() / 1000);
