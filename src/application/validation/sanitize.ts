// Control characters (C0, DEL, C1) other than tab and newline: invisible, and some terminals and
// log viewers act on them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The cleaning every free-text field gets before its length is checked: lone surrogates become
 * U+FFFD (a database would refuse them), NFC normalization (so "é" is one character however it was
 * typed), control characters removed, surrounding whitespace trimmed.
 */
export const sanitizeText = (value: string): string => sanitizeStreamedText(value).trim();

/** The same cleaning without the trim, for text that continues or is continued by other text. */
export const sanitizeStreamedText = (value: string): string =>
  value.toWellFormed().normalize('NFC').replace(CONTROL_CHARACTERS, '');

export const utf8ByteLength = (value: string): number => new TextEncoder().encode(value).byteLength;
