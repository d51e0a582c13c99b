import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { JsonObject } from './json-value.js';

type ActionOverride = NonNullable<ConversionConfig['overrideAction']>;

const upper = (current: number | undefined, bound: number): number => Math.min(current ?? bound, bound);
const lower = (current: number | undefined, bound: number): number => Math.max(current ?? bound, bound);

/**
 * The actions of the field rules that the converter does not translate by itself, translated
 * exactly where JSON Schema can say the same thing:
 * - code points are what JSON Schema's `minLength`/`maxLength` count;
 * - a byte limit bounds the code points too (each takes at least one byte), the nearest rule
 *   JSON Schema has; the field's description says the rest;
 * - a Unicode pattern (`u`) is what JSON Schema patterns are; a second one joins with `allOf`;
 * - a transform (trimming, normalizing) leaves the type as it was: the rules after it are checked
 *   on the cleaned value, which the descriptions say.
 * - a `check` is a rule JSON Schema cannot state (metadata's size as JSON); the description of
 *   its field must say it, since the document cannot.
 * Any other action still fails the conversion, so a rule the document cannot state is noticed.
 */
const overrideAction: ActionOverride = ({ valibotAction: action, jsonSchema }) => {
  const requirement = (action as { readonly requirement?: unknown }).requirement;
  switch (action.type) {
    case 'min_code_points':
      return { ...jsonSchema, minLength: lower(jsonSchema.minLength, requirement as number) };
    case 'max_code_points':
    case 'max_bytes':
      return { ...jsonSchema, maxLength: upper(jsonSchema.maxLength, requirement as number) };
    case 'regex': {
      const { source, flags } = requirement as RegExp;
      if (flags !== '' && flags !== 'u') return undefined;
      if (jsonSchema.pattern === undefined || jsonSchema.pattern === source) return { ...jsonSchema, pattern: source };
      return { ...jsonSchema, allOf: [...(jsonSchema.allOf ?? []), { pattern: source }] };
    }
    case 'transform':
      return jsonSchema;
    case 'check':
      return jsonSchema;
    default:
      return undefined;
  }
};

/**
 * A rule the converter cannot read (a `custom` schema) carries the JSON Schema it stands for, as
 * `jsonSchema` (as `metadataField` in the field rules does); prose says what JSON Schema cannot.
 */
const overrideSchema: NonNullable<ConversionConfig['overrideSchema']> = ({ valibotSchema }) =>
  valibotSchema.type === 'custom' ? (valibotSchema as { readonly jsonSchema?: JsonSchema }).jsonSchema : undefined;

const CONFIG: ConversionConfig = { target: 'draft-2020-12', typeMode: 'output', overrideAction, overrideSchema };

// An object with no required key says so by leaving `required` out.
const withoutEmptyRequired = (key: string, value: unknown): unknown =>
  key === 'required' && Array.isArray(value) && value.length === 0 ? undefined : value;

const asComponent = (schema: JsonSchema): JsonObject => {
  const { $schema: _dialect, $defs: _definitions, ...generated } = schema as Record<string, unknown>;
  const json = JSON.stringify(generated, withoutEmptyRequired).replaceAll('"#/$defs/', '"#/components/schemas/');
  return JSON.parse(json) as JsonObject;
};

/**
 * The JSON Schema of a valibot schema, as an OpenAPI component: limits, patterns, defaults and
 * required keys come from the declaration the server validates or presents with, so the document
 * cannot drift from it. Named sub-schemas become `$ref`s to the document's own components.
 */
export const jsonSchemaOf = (schema: v.GenericSchema, components: Readonly<Record<string, v.GenericSchema>> = {}): JsonObject =>
  asComponent(toJsonSchema(schema, { ...CONFIG, definitions: components }));

/** Every named schema as a component, each referring to the others by `$ref`. */
export const jsonSchemasOf = (components: Readonly<Record<string, v.GenericSchema>>): Record<string, JsonObject> =>
  Object.fromEntries(Object.entries(toJsonSchemaDefs(components, CONFIG)).map(([name, schema]) => [name, asComponent(schema)]));
