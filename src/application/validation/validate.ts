import * as v from 'valibot';
import { ValidationError } from '../../domain/domain-error.js';

// Details name each field as the HTTP API spells it (`per_page`, not `perPage`), so one message
// reads the same to an HTTP client and to an in-process caller.
const toSnakeCase = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

// valibot reports an absent key with the enclosing object's own message ("must be an object"),
// which names the wrong problem: to the caller the field is simply missing.
const isMissingKey = (issue: v.BaseIssue<unknown>): boolean =>
  issue.type === 'object' && issue.input === undefined && issue.path?.at(-1)?.origin === 'key';

const describe = (issue: v.BaseIssue<unknown>): string => {
  const path = (issue.path ?? [])
    .map((item) => (typeof item.key === 'string' || typeof item.key === 'number' ? String(item.key) : ''))
    .filter((key) => key !== '')
    .map(toSnakeCase)
    .join('.');
  return `${path === '' ? 'input' : path}: ${isMissingKey(issue) ? 'is required' : issue.message}`;
};

/** Parses `input` with `schema`, or throws a `ValidationError` listing every problem. */
export const validate = <S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> => {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ValidationError([...new Set(result.issues.map(describe))]);
};
