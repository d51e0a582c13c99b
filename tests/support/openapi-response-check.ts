/**
 * Holds an HTTP answer to the OpenAPI document the server serves (ARCHITECTURE.md rule 12): the
 * operation the request names, the status among that operation's responses, the content type
 * among that response's media types, the body against that media type's schema (JSON Schema
 * 2020-12, as OpenAPI 3.1 has it, with Ajv), and the response headers the document declares. An
 * answer the document does not describe is an `OpenApiMismatch`, naming what differed.
 *
 * Requests no operation describes are answered by the app on any path; the document says how in
 * its root `x-unmatched-requests`: `unknown-path` (no path item matches: 404 `route_not_found`),
 * `unknown-method` (a path item without that method: 405 `method_not_allowed`) and `options` (a
 * plain OPTIONS or a CORS preflight on a known path). `HEAD` is the `GET` of the same path, without
 * content (RFC 9110 §9.3.2).
 *
 * One rule is stricter than JSON Schema's default: an object schema that lists its `properties`
 * is held closed (`unevaluatedProperties: false`, composition-aware), so a key the server sends
 * and the document does not name (a leaked `password_hash`, a new field nobody documented) fails
 * too. The document itself stays open for clients, so that adding a key never breaks one.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin's
// `default` property is the plugin itself.
const addFormats = addFormatsModule.default;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

/** What was asked: the method and the path exactly as sent (a query string is allowed and ignored). */
export interface CheckedRequest {
  readonly method: string;
  readonly path: string;
}

/** What came back, as a client sees it. */
export interface CheckedResponse {
  readonly status: number;
  /** The `Content-Type` header as received; null or undefined when there was none. */
  readonly contentType: string | null | undefined;
  /** The body parsed as JSON when it is JSON, else its text; `''` or undefined when there is none. */
  readonly body: unknown;
  /** The response headers, to check those the document declares. */
  readonly headers?: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** An answer the document does not describe. */
export class OpenApiMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiMismatch';
  }
}

export interface OpenApiResponseCheck {
  /** Throws `OpenApiMismatch` when the document does not describe this answer to this request. */
  check(request: CheckedRequest, response: CheckedResponse): void;
}

const UNMATCHED = 'x-unmatched-requests';
// Where the document's component schemas are registered with Ajv: closed (the default) and open
// (the same schema, not closed at its own top level: an `allOf` branch, closed by its parent).
const CLOSED_BASE = 'https://openapi.invalid/closed.json';
const OPEN_BASE = 'https://openapi.invalid/open.json';
const SCHEMA_REF = /^#\/components\/schemas\/([^/]+)$/;
const MAX_SHOWN = 600;

const isMap = (value: unknown): value is JsonMap => typeof value === 'object' && value !== null && !Array.isArray(value);

const pointerSegment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeSegment = (segment: string): string => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');

const shorten = (text: string, max = MAX_SHOWN): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

const show = (body: unknown): string => {
  if (body === undefined || body === '') return '(no body)';
  return shorten(JSON.stringify(body) ?? String(body));
};

/** A media type's essence (`type/subtype`, lower case) and its parameters. */
const parseMediaType = (value: string): { essence: string; parameters: Record<string, string> } => {
  const [essence = '', ...parameters] = value.split(';');
  return {
    essence: essence.trim().toLowerCase(),
    parameters: Object.fromEntries(
      parameters
        .map((parameter) => parameter.split('='))
        .filter((pair): pair is [string, string] => pair.length === 2)
        .map(([name, parameterValue]) => [name.trim().toLowerCase(), parameterValue.trim().replace(/^"|"$/g, '').toLowerCase()]),
    ),
  };
};

const isJsonMediaType = (essence: string): boolean => essence === 'application/json' || essence.endsWith('+json');

/** How well a documented media type (`application/json`, `text/*`, `*\/*`) covers a received one: 0 is not at all. */
const mediaTypeFit = (documented: string, received: ReturnType<typeof parseMediaType>): number => {
  const wanted = parseMediaType(documented);
  const parametersAgree = Object.entries(wanted.parameters).every(([name, value]) => received.parameters[name] === value);
  if (!parametersAgree) return 0;
  if (wanted.essence === received.essence) return 3;
  const [type] = received.essence.split('/');
  if (wanted.essence === `${type}/*`) return 2;
  if (wanted.essence === '*/*') return 1;
  return 0;
};

/** Where an Ajv schema path is in the document: the component, or below the compiled schema's place. */
const documentPath = (schemaPath: string, compiledAt: string): string => {
  for (const base of [CLOSED_BASE, OPEN_BASE]) {
    if (schemaPath.startsWith(`${base}#/$defs/`)) return `#/components/schemas/${schemaPath.slice(`${base}#/$defs/`.length)}`;
  }
  return schemaPath.startsWith('#') ? `${compiledAt}${schemaPath.slice(1)}` : schemaPath;
};

const ajvErrors = (errors: readonly ErrorObject[] | null | undefined, compiledAt: string): string =>
  (errors ?? [])
    .map((error) => {
      const where = error.instancePath === '' ? '(the body)' : error.instancePath;
      const params = error.params as Record<string, unknown>;
      const extra =
        'unevaluatedProperty' in params || 'additionalProperty' in params
          ? ` (an undocumented key: ${JSON.stringify(params.unevaluatedProperty ?? params.additionalProperty)})`
          : 'allowedValues' in params
            ? ` (${JSON.stringify(params.allowedValues)})`
            : 'allowedValue' in params
              ? ` (${JSON.stringify(params.allowedValue)})`
              : '';
      return `    ${where}: ${error.message ?? error.keyword}${extra}   [${documentPath(error.schemaPath, compiledAt)}]`;
    })
    .join('\n');

/** Rewrites the document's `#/components/schemas/X` references to where Ajv holds X. */
const rewriteRefs = (node: Json, base: string): Json => {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, base));
  if (!isMap(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === '$ref' && typeof value === 'string') {
        const name = SCHEMA_REF.exec(value)?.[1];
        if (name === undefined) throw new Error(`the OpenAPI check follows only #/components/schemas/... from a schema, not ${value}`);
        return [key, `${base}#/$defs/${name}`];
      }
      return [key, rewriteRefs(value, base)];
    }),
  );
};

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'] as const;
const SUBSCHEMAS = ['items', 'additionalProperties', 'unevaluatedProperties', 'contains', 'not', 'if', 'then', 'else', 'propertyNames'] as const;

/** A branch its parent closes: open at its own level (a reference, to the open form), closed below. */
const openBranch = (branch: Json): Json =>
  isMap(branch) && typeof branch.$ref === 'string' ? { ...branch, $ref: branch.$ref.replace(CLOSED_BASE, OPEN_BASE) } : close(branch, true);

/**
 * Closes every object schema that lists its properties and says nothing about others. An `allOf`
 * is closed at its own level, its branches left open there (a closed branch would refuse the keys
 * of the others) but closed below; so are the branches of an `anyOf`/`oneOf` next to `properties`.
 * A `oneOf`/`anyOf` alone keeps its branches closed, each an alternative of its own.
 */
const close = (node: Json, open = false): Json => {
  if (!isMap(node)) return node;
  const schema: JsonMap = { ...node };
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (isMap(map)) schema[key] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, close(value)]));
  }
  for (const key of SUBSCHEMAS) {
    if (isMap(schema[key])) schema[key] = close(schema[key]);
  }
  if (Array.isArray(schema.prefixItems)) schema.prefixItems = schema.prefixItems.map((item) => close(item));
  const composed = Array.isArray(schema.allOf);
  const listsProperties = isMap(schema.properties);
  if (composed) schema.allOf = (schema.allOf as Json[]).map(openBranch);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) schema[key] = list.map((branch) => (composed || listsProperties ? openBranch(branch) : close(branch)));
  }
  const saysNothingOfOthers = !('additionalProperties' in schema) && !('unevaluatedProperties' in schema) && !('patternProperties' in schema);
  if (!open && saysNothingOfOthers && (listsProperties || composed)) schema.unevaluatedProperties = false;
  return schema;
};

interface PathTemplate {
  readonly template: string;
  /** A literal segment, or null for a `{parameter}`. */
  readonly segments: ReadonlyArray<string | null>;
  readonly literals: number;
}

const templateOf = (template: string): PathTemplate => {
  const segments = template.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment));
  return { template, segments, literals: segments.filter((segment) => segment !== null).length };
};

const headerValue = (headers: CheckedResponse['headers'], name: string): string | undefined => {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(found) ? found.join(', ') : (found as string | undefined);
};

/** A header's text as the value its schema describes (`Retry-After: 5` is the integer 5). */
const headerInstance = (value: string, schema: JsonMap): Json => {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  if (types.includes('boolean') && /^(true|false)$/.test(value.trim())) return value.trim() === 'true';
  return value;
};

/**
 * A check for one OpenAPI 3.1 document, as parsed from `/openapi.json` (or as
 * `buildOpenApiDocument` returns it). Schemas are compiled once each, on first use.
 */
export const createOpenApiResponseCheck = (document: unknown): OpenApiResponseCheck => {
  if (!isMap(document) || typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
    throw new Error('the OpenAPI check needs an OpenAPI 3.1 document');
  }
  const doc = JSON.parse(JSON.stringify(document)) as JsonMap;
  const paths = isMap(doc.paths) ? doc.paths : {};
  const components = isMap(doc.components) ? doc.components : {};
  const componentSchemas = isMap(components.schemas) ? components.schemas : {};
  const templates = Object.keys(paths)
    .map(templateOf)
    .sort((a, b) => b.literals - a.literals);

  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  addFormats(ajv);
  // OpenAPI's own schema keywords are annotations; its integer and number formats say the size.
  for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs']) ajv.addKeyword(keyword);
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('password', true);
  const closedDefs = Object.fromEntries(Object.entries(componentSchemas).map(([name, schema]) => [name, close(rewriteRefs(schema, CLOSED_BASE))]));
  const openDefs = Object.fromEntries(Object.entries(componentSchemas).map(([name, schema]) => [name, close(rewriteRefs(schema, CLOSED_BASE), true)]));
  ajv.addSchema({ $id: CLOSED_BASE, $defs: closedDefs });
  ajv.addSchema({ $id: OPEN_BASE, $defs: openDefs });

  const validators = new Map<string, ValidateFunction>();
  /** The validator of the schema at `pointer` in the document (a media type's or a header's). */
  const validatorAt = (pointer: string, schema: Json): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      try {
        const compiled = close(rewriteRefs(schema, CLOSED_BASE));
        validate = ajv.compile(isMap(compiled) ? compiled : { const: compiled });
      } catch (error) {
        throw new OpenApiMismatch(`the document's schema at ${pointer} does not compile: ${(error as Error).message}`);
      }
      validators.set(pointer, validate);
    }
    return validate;
  };

  /** Follows `$ref`s to the document's own components; returns the object and where it is. */
  const follow = (node: Json | undefined, pointer: string): { node: JsonMap; pointer: string } => {
    let current = node;
    let at = pointer;
    for (let hops = 0; isMap(current) && typeof current.$ref === 'string'; hops++) {
      const ref = current.$ref;
      if (!ref.startsWith('#/') || hops > 20) throw new OpenApiMismatch(`the document's reference ${ref} at ${at} cannot be followed`);
      at = ref;
      current = ref
        .slice(2)
        .split('/')
        .map(unescapeSegment)
        .reduce<Json | undefined>((found, key) => (isMap(found) ? found[key] : undefined), doc);
      if (current === undefined) throw new OpenApiMismatch(`the document's reference ${ref} points at nothing`);
    }
    if (!isMap(current)) throw new OpenApiMismatch(`the document has no object at ${at}`);
    return { node: current, pointer: at };
  };

  const matchTemplate = (path: string): PathTemplate | undefined => {
    const segments = path.split('/');
    return templates.find(
      (candidate) =>
        candidate.segments.length === segments.length &&
        candidate.segments.every((literal, index) => (literal === null ? (segments[index] ?? '') !== '' : literal === segments[index])),
    );
  };

  /** The responses that describe this request, and how the request was read, for messages. */
  const responsesFor = (method: string, path: string): { responses: JsonMap; pointer: string; what: string; head: boolean } => {
    const unmatched = isMap(doc[UNMATCHED]) ? doc[UNMATCHED] : {};
    const fallback = (kind: string, what: string) => {
      const entry = unmatched[kind];
      if (!isMap(entry) || !isMap(entry.responses)) {
        throw new OpenApiMismatch(`${method.toUpperCase()} ${path}: ${what}, and the document has no ${UNMATCHED}.${kind} to describe its answer`);
      }
      return { responses: entry.responses, pointer: `#/${UNMATCHED}/${kind}/responses`, what: `${what}: ${UNMATCHED}.${kind}`, head: method === 'head' };
    };
    const found = matchTemplate(path);
    if (!found) return fallback('unknown-path', 'no path of the document matches');
    const item = follow(paths[found.template], `#/paths/${pointerSegment(found.template)}`);
    const pick = (name: string) => {
      const operation = item.node[name];
      if (!isMap(operation) || !isMap(operation.responses)) return undefined;
      const id = typeof operation.operationId === 'string' ? ` (${operation.operationId})` : '';
      return { operation, responses: operation.responses, pointer: `${item.pointer}/${name}/responses`, what: `${name.toUpperCase()} ${found.template}${id}` };
    };
    const exact = pick(method);
    if (exact) return { ...exact, head: method === 'head' };
    if (method === 'head') {
      const get = pick('get');
      if (get) return { ...get, what: `${get.what}, asked with HEAD`, head: true };
    }
    if (method === 'options' && isMap(unmatched.options)) return fallback('options', `OPTIONS on ${found.template}`);
    return fallback('unknown-method', `${found.template} has no ${method.toUpperCase()}`);
  };

  const checkHeaders = (response: JsonMap, pointer: string, observed: CheckedResponse, mismatch: (problem: string) => OpenApiMismatch): void => {
    if (!isMap(response.headers)) return;
    for (const [name, declared] of Object.entries(response.headers)) {
      if (name.toLowerCase() === 'content-type') continue;
      const header = follow(declared, `${pointer}/headers/${pointerSegment(name)}`);
      const value = headerValue(observed.headers, name);
      if (value === undefined) {
        if (header.node.required === true) throw mismatch(`the header ${name} is required by ${header.pointer} but was not sent`);
        continue;
      }
      if (!isMap(header.node.schema)) continue;
      const validate = validatorAt(`${header.pointer}/schema`, header.node.schema);
      if (!validate(headerInstance(value, header.node.schema))) {
        throw mismatch(`the header ${name}: ${JSON.stringify(value)} does not match ${header.pointer}/schema:\n${ajvErrors(validate.errors, `${header.pointer}/schema`)}`);
      }
    }
  };

  return {
    check(request, observed) {
      const method = request.method.toLowerCase();
      // As sent: a server sees `/a/../b` as it is, so no dot segment is resolved here.
      const path = request.path.split(/[?#]/)[0] ?? '';
      const { responses, pointer, what, head } = responsesFor(method, path);
      const mismatch = (problem: string): OpenApiMismatch =>
        new OpenApiMismatch(
          `${request.method.toUpperCase()} ${path} answered ${observed.status}, which the OpenAPI document does not describe (${what}):\n` +
            `  ${problem}\n` +
            `  content type: ${observed.contentType ?? '(none)'}\n` +
            `  body: ${show(observed.body)}`,
        );

      const status = String(observed.status);
      const key = [status, `${status[0]}XX`, `${status[0]}xx`, 'default'].find((candidate) => candidate in responses);
      if (key === undefined) throw mismatch(`status ${status} is not documented; the documented ones are ${Object.keys(responses).join(', ')}`);
      const response = follow(responses[key], `${pointer}/${key}`);
      checkHeaders(response.node, response.pointer, observed, mismatch);

      const empty = observed.body === undefined || observed.body === '';
      const content = isMap(response.node.content) ? response.node.content : {};
      const mediaTypes = Object.keys(content);
      if (mediaTypes.length === 0) {
        if (!empty) throw mismatch(`${response.pointer} documents no content, but a body came`);
        return;
      }
      if (!observed.contentType) {
        if (head && empty) return;
        throw mismatch(`${response.pointer} documents ${mediaTypes.join(', ')}, but no content type came`);
      }
      const received = parseMediaType(observed.contentType);
      const best = mediaTypes
        .map((documented) => ({ documented, fit: mediaTypeFit(documented, received) }))
        .sort((a, b) => b.fit - a.fit)[0];
      if (!best || best.fit === 0) throw mismatch(`the content type is not one of ${response.pointer}'s: ${mediaTypes.join(', ')}`);
      const mediaType = best.documented;
      if (isJsonMediaType(received.essence) && received.parameters.charset !== undefined && received.parameters.charset !== 'utf-8') {
        throw mismatch(`JSON is UTF-8 (RFC 8259), but the content type says charset=${received.parameters.charset}`);
      }
      // A HEAD answer is the GET's without its content.
      if (head) {
        if (!empty) throw mismatch('an answer to HEAD carries a body');
        return;
      }

      const media = follow(content[mediaType], `${response.pointer}/content/${pointerSegment(mediaType)}`);
      let instance: unknown = observed.body;
      if (isJsonMediaType(received.essence) && typeof instance === 'string') {
        try {
          instance = JSON.parse(instance);
        } catch {
          throw mismatch(empty ? 'the body is empty, where the document describes JSON' : 'the body is not JSON');
        }
      }
      if (!('schema' in media.node)) return;
      const schemaPointer = `${media.pointer}/schema`;
      const validate = validatorAt(schemaPointer, media.node.schema as Json);
      if (!validate(instance)) {
        const named = isMap(media.node.schema) && typeof media.node.schema.$ref === 'string' ? ` (${media.node.schema.$ref})` : '';
        throw mismatch(`the body does not match the schema at ${schemaPointer}${named}:\n${ajvErrors(validate.errors, schemaPointer)}`);
      }
    },
  };
};
