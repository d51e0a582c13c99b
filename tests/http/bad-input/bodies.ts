/** Bodies every route must refuse: wrong JSON values, malformed or non-JSON bodies, broken encodings, huge or deep ones. Part of `../bad-input.property.test.ts`. */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type Body, shorten, utf8 } from './send.js';
import { type Route, type Seeded, SPOIL } from './settings-and-routes.js';

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

export const JSON_TYPES = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'application/problem+json',
];
export const jsonType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, fc.constantFrom(...JSON_TYPES));

export const jsonBody = (text: string, contentType: string, chunked = false): Body => ({ label: shorten(text), bytes: utf8(text), contentType, chunked });

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a JSON body of `value` carries: `fc.anything()` values made JSON-safe (undefined → null). */
export const jsonSafe = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

/** Would a JSON parser read this text (after a byte-order mark)? */
export const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
};

/** One of the route's keys with a value its rules refuse. */
export const badField = (route: Route): fc.Arbitrary<[string, unknown]> =>
  fc.oneof(...Object.entries(route.badValues ?? {}).map(([key, bad]) => bad.map((value): [string, unknown] => [key, value])));

/** Keys no body may set, and keys that name the prototype chain. */
export const EXTRA_KEYS = [
  'id', 'user_id', 'session_id', 'is_active', 'is_verified', 'is_deleted', 'password_hash', 'created_at', 'updated_at',
  'message_count', 'sender', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', '__defineGetter__',
];
export const extraKeys = fc.dictionary(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string()), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

/**
 * An object body a `body` route must refuse: each of its keys absent, refused, a random string or
 * any JSON value, one of them surely refused, among mass-assignment and prototype-named keys.
 */
export const refusedObject = (route: Route): fc.Arbitrary<Record<string, unknown>> => {
  const others = Object.fromEntries(
    Object.entries(route.badValues ?? {}).map(([key, bad]) => [key, fc.option(fc.oneof(bad, fc.string(), fc.jsonValue({ maxDepth: 2 })), { nil: undefined })]),
  );
  return fc
    .tuple(extraKeys, fc.record(others), badField(route))
    // The route's keys come last, so an extra key of the same name never survives.
    .map(([extras, rest, [key, value]]) => ({ ...extras, ...rest, [key]: value }));
};

/** A random JSON value, which for a `body` route is an object only with a refused key. */
export const randomJsonValue = (route: Route): fc.Arbitrary<unknown> => {
  const value = fc.oneof(fc.jsonValue(), fc.anything().map(jsonSafe));
  if (route.shape !== 'body') return value;
  return fc.tuple(value, badField(route)).map(([candidate, [key, bad]]) => (isPlainObject(candidate) ? { ...candidate, [key]: bad } : candidate));
};

/** A JSON text that is not an object or array: refused by the body parser on every write route. */
export const scalarJson = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value));

/** Sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates, > U+10FFFF, cut short. */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe], [0xff],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3],
];

/** The route's accepted body with invalid UTF-8 where `SPOIL` stands: decoded leniently, it would be acted on. */
export const invalidUtf8Body = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc
    .tuple(fc.array(fc.constantFrom(...INVALID_UTF8), { minLength: 1, maxLength: 3 }), jsonType, fc.boolean(), fc.constantFrom('in a string', 'anywhere'), fc.nat())
    .map(([sequences, contentType, chunked, where, position]) => {
      const bad = sequences.flat();
      const text = JSON.stringify(route.accepted(seeded));
      let bytes: number[];
      if (where === 'in a string') {
        bytes = [...utf8(text.replaceAll(SPOIL, '\u0001'))].flatMap((byte) => (byte === 0x01 ? bad : [byte]));
      } else {
        const plain = [...utf8(text.replaceAll(SPOIL, 'x'))];
        const at = position % (plain.length + 1);
        bytes = [...plain.slice(0, at), ...bad, ...plain.slice(at)];
      }
      const hex = bad.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
      return { label: `${shorten(text)} with bytes ${hex} ${where}`, bytes: Uint8Array.from(bytes), contentType, chunked };
    });

/** JSON text in UTF-16 (with or without its byte-order mark) or Latin-1, sent as JSON. */
export const otherEncodingBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc.constantFrom('utf-16le with BOM', 'utf-16le', 'latin1').map((encoding) => {
    const text = JSON.stringify({ ...route.accepted(seeded), note: 'déjà' }).replaceAll(SPOIL, 'é');
    const bytes =
      encoding === 'latin1'
        ? Buffer.from(text, 'latin1')
        : Buffer.concat([encoding === 'utf-16le with BOM' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
    return { label: `${shorten(text)} as ${encoding}`, bytes, contentType: 'application/json', chunked: false };
  });

export const MALFORMED_JSON = [
  '{', '}', '[', '{"title": "x"', `{'title': 'x'}`, '{title: "x"}', '{"a":1,}', '[1,]', '{"a":NaN}', '{"a":Infinity}',
  '{"a":undefined}', '{"a":0x10}', '{"a":01}', '{"a":.5}', '// comment\n{}', '/* c */ {}', '{"a":"\\x"}', '{"a":"\\u12"}',
  '{"a":"tab\tinside"}', '{"a":"line\nbreak"}', '{"a":1}{"b":2}', '{} x', '[] []', '\u0000{}', '{"a" 1}', '{"a"::1}',
  '{,}', '[,]', '"unterminated', 'tru', 'nul', '-', '+1', '1.', '.', '', ' ', '\n', '\uFEFF', 'undefined', 'NaN',
];

/** Text no JSON parser reads: written out, cut short, or random. */
export const malformedJson = fc.oneof(
  fc.constantFrom(...MALFORMED_JSON.filter((text) => text !== '' && !parsesAsJson(text))),
  fc
    .tuple(fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())), fc.nat())
    .map(([value, cut]) => {
      const text = JSON.stringify(value);
      return text.slice(0, Math.max(1, text.length - 1 - (cut % text.length)));
    })
    .filter((text) => !parsesAsJson(text)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((text) => !parsesAsJson(text)),
);

export const PROTO_SPELLINGS = ['"__proto__"', '"\\u005f_proto__"', '"__pro\\u0074o__"', '"\\u005F\\u005Fproto\\u005F\\u005F"'];

/** A `__proto__` key at the top, inside a field, or inside an array: the parser refuses all. */
export const protoKeyed = (route: Route, seeded: Seeded): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...PROTO_SPELLINGS), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('top', 'field', 'array', 'deep'), fc.integer({ min: 1, max: 50 }))
    .map(([key, value, placement, depth]) => {
      const polluting = `{${key}:{"polluted":true,"isAdmin":true,"value":${JSON.stringify(value)}}}`;
      const accepted = JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x');
      const field = Object.keys(route.accepted(seeded))[0] ?? 'note';
      switch (placement) {
        case 'top':
          return `{${key}:{"polluted":true},${accepted.slice(1)}`;
        case 'field':
          return `{"${field}":${polluting}}`;
        case 'array':
          return `[${polluting}]`;
        default:
          return `${'{"a":['.repeat(depth)}${polluting}${']}'.repeat(depth)}`;
      }
    });

export const NOT_JSON_TYPES = [
  'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz',
  'application/xml', 'text/xml', 'text/html', 'application/octet-stream', 'application/javascript', 'application/json-seq',
  'application/jsonx', 'json', 'application', '*/*', 'application/*', 'application/json, text/plain', ';', '',
];

/** A body that is not JSON by its type (or has none): even the route's accepted body is refused with it. */
export const notJsonBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...NOT_JSON_TYPES), fc.constant(undefined)),
      fc.oneof(
        fc.constant(JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x')),
        fc.constant('title=x&text=y&username=a&password=b'),
        fc.constant('--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--xyz--\r\n'),
        fc.constant('<?xml version="1.0"?><session><title>x</title></session>'),
        fc.string({ minLength: 1 }),
      ),
      fc.boolean(),
    )
    .map(([contentType, text, chunked]) => ({ label: shorten(text), bytes: utf8(text), contentType, chunked }));

/** A compressed body that does not decompress, or an encoding the server does not know. */
export const brokenEncodingBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> => {
  const accepted = JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x');
  const gzipped = gzipSync(utf8(accepted));
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br'), fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.constant(utf8(accepted))), fc.boolean())
      .map(([encoding, bytes, chunked]) => ({ label: `${bytes.byteLength} bytes that are not ${encoding}`, bytes, contentType: 'application/json', contentEncoding: encoding, chunked })),
    fc
      .integer({ min: 1, max: gzipped.byteLength - 1 })
      .map((length) => ({ label: `${accepted} gzipped, cut to ${length} bytes`, bytes: gzipped.subarray(0, length), contentType: 'application/json', contentEncoding: 'gzip', chunked: false })),
    fc
      .constantFrom('compress', 'zstd', 'x-gzip', 'gzip, br', 'identity, gzip', 'base64', 'chunked', '*')
      .map((encoding) => ({ label: `${accepted} as ${encoding}`, bytes: gzipped, contentType: 'application/json', contentEncoding: encoding, chunked: false })),
  );
};

/** Bodies refused before any handler runs, whatever the route. */
export const unreadableBody = (route: Route, seeded: Seeded): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.tuple(malformedJson, jsonType, fc.boolean()).map(([text, type, chunked]) => jsonBody(text, type, chunked)),
    fc.tuple(protoKeyed(route, seeded), jsonType).map(([text, type]) => jsonBody(text, type)),
    fc.tuple(scalarJson, jsonType).map(([text, type]) => jsonBody(text, type)),
    invalidUtf8Body(route, seeded),
    otherEncodingBody(route, seeded),
    notJsonBody(route, seeded),
    brokenEncodingBody(route, seeded),
  );

/** `char` repeated: a huge string costs nothing to generate or to print. */
export const hugeString = (min: number, max: number) =>
  fc.tuple(fc.constantFrom('a', 'é', '😀', ' ', '\u0000', '"', '\\', '<'), fc.integer({ min, max })).map(([char, count]) => ({ char, count }));

export const nest = (depth: number, shape: 'array' | 'object' | 'mixed'): string => {
  if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const half = Math.ceil(depth / 2);
  return `${'[{"a":'.repeat(half)}null${'}]'.repeat(half)}`;
};

export const depthOf = fc.oneof(fc.integer({ min: 1_000, max: 4_000 }), fc.integer({ min: 4_000, max: 100_000 }));
export const nestShape = fc.constantFrom('array' as const, 'object' as const, 'mixed' as const);

/** Huge strings and deep nesting a `body` route must refuse: in one of its keys, or as the whole body. */
export const hugeOrDeepRefused = (route: Route): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.tuple(badField(route), hugeString(5_001, 200_000), jsonType).map(([[key], { char, count }, type]) => ({
      ...jsonBody(JSON.stringify({ [key]: char.repeat(count) }), type),
      label: `{"${key}": ${JSON.stringify(char)} × ${count}}`,
    })),
    fc.tuple(badField(route), depthOf, nestShape, jsonType).map(([[key], depth, shape, type]) => ({
      ...jsonBody(`{"${key}":${nest(depth, shape)}}`, type),
      label: `{"${key}": ${shape} nested ${depth} deep}`,
    })),
    fc.tuple(depthOf, jsonType).map(([depth, type]) => ({ ...jsonBody(nest(depth, 'array'), type), label: `array nested ${depth} deep` })),
  );

/** Deep nesting no route may act on: unbalanced, cut short, or hiding a `__proto__` key at the bottom. */
export const deepUnreadable = fc.tuple(depthOf, nestShape, fc.constantFrom('unbalanced', 'cut', 'proto'), jsonType).map(([depth, shape, how, type]) => {
  const text =
    how === 'unbalanced'
      ? `${'['.repeat(depth)}`
      : how === 'cut'
        ? nest(depth, shape).slice(0, -1)
        : `${'{"a":'.repeat(depth)}{"__proto__":{"polluted":true}}${'}'.repeat(depth)}`;
  return { ...jsonBody(text, type), label: `${shape} nested ${depth} deep, ${how}` };
});
