import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { JsonObject } from './openapi-components.js';

/**
 * The JSON Schema of a valibot schema, as an OpenAPI component: limits, patterns and required
 * keys come from the declaration the server validates or presents with, so the document cannot
 * drift from it. Named sub-schemas become `$ref`s to the document's own components.
 */
export const jsonSchemaOf = (schema: v.GenericSchema, components: Readonly<Record<string, v.GenericSchema>> = {}): JsonObject => {
  const { $schema: _dialect, $defs: _definitions, ...generated } = toJsonSchema(schema, { definitions: components }) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonObject;
};
