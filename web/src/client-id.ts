/**
 * A `client_id` for one send, kept through its retries so the server stores it once. Made from
 * `getRandomValues`, which (unlike `crypto.randomUUID`) also works on plain http to a LAN address.
 */
export const newClientId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
};
