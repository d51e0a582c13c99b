/**
 * "Bad input gets a clear error, never a 500" (QUALITY.md, Reliability) as properties over a real
 * socket. Every route of `/auth` and `/chat` is called, with a live access token of a seeded user
 * who owns a session with messages, with: random JSON values, the route's own keys holding wrong
 * types or values their rules refuse, mass-assignment and `constructor`/`prototype` keys, huge
 * strings, deep nesting, invalid UTF-8, broken compression, `__proto__` keys, malformed JSON,
 * bodies that are not JSON or are over the limit, random path segments, random query strings, and
 * tokens that are not live access tokens.
 *
 * Every answer is a 4xx (a read may also answer 200) with `application/json; charset=utf-8` and,
 * for a 4xx, the error shape `{error, code, details?}`; nothing hangs. Writes are only ever sent
 * input that is invalid by construction, so after each one the seeded data, read back through the
 * API, is exactly what it was, and `Object.prototype` has gained nothing.
 *
 * The seed is fixed, so a run is reproducible; fast-check prints the seed and the shrunk input of
 * a failure (each request prints as `METHOD /path [authorization] body`). To explore other inputs,
 * change `SEED`.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeOverDatabases } from '../support/http-targets.js';
import { apiRouterOf } from '../support/http-test-server.js';
import { deepUnreadable, hugeOrDeepRefused, jsonBody, jsonType, randomJsonValue, refusedObject, scalarJson, unreadableBody } from './bad-input/bodies.js';
import { notAnAccessToken, ownerAuthorization, ownPath, queryString, randomPath } from './bad-input/paths.js';
import { type Body, type Outgoing, outgoing, shorten, utf8 } from './bad-input/send.js';
import { BODY_ROUTES, PROPERTY_TIMEOUT_MS, PROTECTED_ROUTES, type Route, routeKey, ROUTES, RUNS, type Seeded, SEGMENT_ROUTES, SPOIL, TIGHT_LIMIT, TIGHT_LIMIT_BYTES } from './bad-input/settings-and-routes.js';
import { firstChange, holds, snapshot, useTarget } from './bad-input/target.js';

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const oneRouteOf = <T>(routes: readonly Route[], requestFor: (route: Route) => fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof(...routes.map(requestFor));

/** Huge strings and deep nesting on every route: refused ones for writes, anything for reads. */
const hugeOrDeepRequests = (seeded: Seeded): fc.Arbitrary<Outgoing> =>
  oneRouteOf(ROUTES, (route) =>
    fc
      .tuple(ownPath(route, seeded), route.shape === 'body' ? fc.oneof(hugeOrDeepRefused(route), deepUnreadable) : deepUnreadable)
      .map(([path, body]) => outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body })),
  );

describeOverDatabases('bad input gets a clear error, never a 500', (database) => {
  describe(`with BODY_LIMIT ${TIGHT_LIMIT}`, () => {
    const target = useTarget(database, TIGHT_LIMIT);

    it('covers every route of /auth and /chat', () => {
      const router = apiRouterOf(target.server.container);
      const served = router.stack
        .flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => routeKey({ method, path: String(layer.path) })))
        .filter((key) => / \/(auth|chat)\//.test(key))
        .sort();

      expect(ROUTES.map(routeKey).sort()).toEqual(served);
    });

    it('refuses random JSON values of any type', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), route.shape === 'bodiless' ? scalarJson.map((text): unknown => JSON.parse(text)) : randomJsonValue(route), jsonType, fc.boolean())
            .map(([path, value, type, chunked]) =>
              outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body: jsonBody(JSON.stringify(value), type, chunked) }),
            ),
        ),
      );
    });

    it("refuses the route's own keys holding wrong types or values their rules refuse, among mass-assignment and prototype keys", { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(BODY_ROUTES, (route) =>
          fc.tuple(ownPath(route, seeded), refusedObject(route), jsonType, fc.boolean()).map(([path, value, type, chunked]) =>
            outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body: jsonBody(JSON.stringify(value), type, chunked) }),
          ),
        ),
      );
    });

    it('refuses malformed JSON, __proto__ keys, invalid UTF-8, broken compression and bodies that are not JSON', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), unreadableBody(route, seeded))
            .map(([path, body]) => outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body })),
        ),
        2 * RUNS,
      );
    });

    it('refuses bodies over the limit with 413, whatever they hold', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(ROUTES, (route) =>
          fc
            .tuple(ownPath(route, seeded), fc.integer({ min: TIGHT_LIMIT_BYTES + 1_024, max: 200 * 1_024 }), fc.constantFrom('length', 'chunked', 'gzip'))
            .map(([path, size, framing]) => {
              // The route's accepted body, padded: only its size may stop it.
              const accepted = JSON.stringify({ ...route.accepted(seeded), padding: '' }).replaceAll(SPOIL, 'x');
              const text = accepted.replace('"padding":""', `"padding":"${'x'.repeat(size - accepted.length)}"`);
              const bytes = framing === 'gzip' ? gzipSync(utf8(text)) : utf8(text);
              const body: Body = {
                label: `${shorten(accepted, 120)} padded to ${text.length} bytes`,
                bytes,
                contentType: 'application/json',
                chunked: framing === 'chunked',
                ...(framing === 'gzip' ? { contentEncoding: 'gzip' } : {}),
              };
              // A read ignores a body; every write refuses it before anything else.
              const expectedStatus = route.shape === 'read' ? undefined : 413;
              return outgoing({ route, target: path, authorization: ownerAuthorization(route, seeded), body, expectedStatus });
            }),
        ),
        RUNS / 2,
      );
    });

    it('refuses huge strings and deep nesting', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      await holds(target, hugeOrDeepRequests(target.seeded), RUNS / 2);
    });

    it('answers random path segments and query strings with a 200 for a read, or a refusal', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(SEGMENT_ROUTES, (route) =>
          fc
            .tuple(randomPath(route, seeded), queryString, route.shape === 'body' ? refusedObject(route).map((value): Body | undefined => jsonBody(JSON.stringify(value), 'application/json')) : fc.constant(undefined))
            .map(([path, query, body]) => outgoing({ route, target: `${path}${query}`, authorization: ownerAuthorization(route, seeded), body })),
        ),
        2 * RUNS,
      );
    });

    it('answers 401 to every protected route without a live access token, whatever the body', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      const { seeded } = target;
      await holds(
        target,
        oneRouteOf(PROTECTED_ROUTES, (route) =>
          fc
            .tuple(
              ownPath(route, seeded),
              notAnAccessToken(seeded),
              fc.oneof(
                // The route's accepted body: only the token may stop it.
                fc.constant(JSON.stringify(route.accepted(seeded)).replaceAll(SPOIL, 'x')),
                fc.jsonValue().filter((value) => typeof value === 'object' && value !== null).map((value) => JSON.stringify(value)),
              ),
            )
            .map(([path, authorization, text]) =>
              outgoing({ route, target: path, authorization, body: route.method === 'GET' ? undefined : jsonBody(text, 'application/json'), expectedStatus: 401 }),
            ),
        ),
      );
    });

    it('leaves the seeded data exactly as it was', async () => {
      expect(firstChange(target.seededSnapshot, await snapshot(target))).toBeNull();
    });
  });

  describe('with BODY_LIMIT 1mb, so huge bodies reach the parser and the rules', () => {
    const target = useTarget(database, '1mb');

    it('refuses huge strings and deep nesting', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
      await holds(target, hugeOrDeepRequests(target.seeded), RUNS);
    });

    it('leaves the seeded data exactly as it was', async () => {
      expect(firstChange(target.seededSnapshot, await snapshot(target))).toBeNull();
    });
  });
});
