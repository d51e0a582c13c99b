import * as v from 'valibot';
import { ConfigError } from './config-error.js';

export type Environment = Record<string, string | undefined>;

/** A blank variable (`PORT=` in a `.env`) means "not set", as it does for most tools that read one. */
export const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** The variables that are set, without the blank ones. */
export const setVariables = (env: Environment): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => isSet(entry[1])));

/**
 * Validates the environment with `schema`, or throws a `ConfigError` for the first variable at
 * fault. Every message in the schemas is a requirement ("a whole number from 1 to 65535"), which
 * `ConfigError.refusing` words with the variable's name and the value as it was given.
 */
export const parseEnvironment = <TSchema extends v.GenericSchema>(schema: TSchema, environment: Environment): v.InferOutput<TSchema> => {
  const env = setVariables(environment);
  const result = v.safeParse(schema, env, { abortEarly: true });
  if (result.success) return result.output;
  const [issue] = result.issues;
  const variable = issue.path?.[0]?.key;
  if (typeof variable !== 'string') throw new ConfigError(issue.message);
  throw ConfigError.refusing(variable, issue.message, env[variable]);
};
