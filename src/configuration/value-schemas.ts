/**
 * The kinds of value a variable holds. Each kind states its requirement once, as the phrase every
 * one of its checks reports, so whatever is wrong with a value the operator reads the same line.
 */
import bytes from 'bytes';
import ms, { type StringValue } from 'ms';
import * as v from 'valibot';

/** Any text (the variable is optional or defaulted where it is used). */
export const text = () => v.string('text');

/** Text of a given form, such as `/^\w{1,64}$/` for a database name. */
export const matching = (pattern: RegExp, requirement: string) => v.pipe(v.string(requirement), v.regex(pattern, requirement));

export const oneOf = <const TOptions extends readonly [string, ...string[]]>(options: TOptions) =>
  v.picklist(options, `one of ${options.join(', ')}`);

export const integer = (min: number, max: number) => {
  const requirement = `a whole number from ${min} to ${max}`;
  return v.pipe(
    v.string(requirement),
    v.regex(/^\d+$/, requirement),
    v.transform(Number),
    v.minValue(min, requirement),
    v.maxValue(max, requirement),
  );
};

export const flag = () => {
  const requirement = 'true or false';
  return v.pipe(
    v.string(requirement),
    v.toLowerCase(),
    v.picklist(['true', 'false', '1', '0', 'yes', 'no'], requirement),
    v.transform((value) => ['true', '1', 'yes'].includes(value)),
  );
};

/** A duration's form and its reading, with its bounds in whole seconds. */
const durationSchema = (requirement: string, minSeconds: number, maxSeconds: number) =>
  v.pipe(
    v.string(requirement),
    v.regex(/^\d+[smhd]?$/, requirement),
    v.transform((value) => ms((/^\d+$/.test(value) ? `${value}s` : value) as StringValue) / 1000),
    v.safeInteger(requirement),
    v.minValue(minSeconds, requirement),
    v.maxValue(maxSeconds, requirement),
  );

/**
 * `900`, `45s`, `15m`, `12h`, `30d` → whole seconds, at least 1. A bare number is seconds (the
 * README's meaning; `ms` alone would read it as milliseconds). `ms` also reads weeks, years,
 * fractions, `500ms` and `2 hours`, none of which a setting here documents, hence the form first.
 */
export const duration = (upTo?: { readonly seconds: number; readonly label: string }) =>
  durationSchema(
    `a duration like 900 (seconds), 45s, 15m, 12h or 30d, of at least 1 second${upTo ? ` and at most ${upTo.label}` : ''}`,
    1,
    upTo?.seconds ?? Number.MAX_SAFE_INTEGER,
  );

/** The same form, for a setting whose short range has its own bounds (0 included when it turns something off). */
export const shortDuration = (minSeconds: number, maxSeconds: number) =>
  durationSchema(`a duration like 10 (seconds), 10s or 1m, from ${minSeconds} to ${maxSeconds} seconds`, minSeconds, maxSeconds);

/**
 * `2048`, `4096b`, `512kb`, `1mb` (any case) → bytes, at least 1kb. The form comes first: `bytes`
 * reads what it cannot parse as its leading digits (`1gb?` would be 1 byte).
 */
export const size = () => {
  const requirement = 'a size like 2048 (bytes), 512kb or 1mb, of at least 1kb';
  return v.pipe(
    v.string(requirement),
    v.regex(/^\d+(b|kb|mb)?$/i, requirement),
    v.transform((value) => bytes.parse(value) ?? Number.NaN),
    v.safeInteger(requirement),
    v.minValue(1024, requirement),
  );
};
