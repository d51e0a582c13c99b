import * as v from 'valibot';
import { ValidationError } from '../../domain/domain-error.js';

// Details name each field as the HTTP API spells it (`per_page`, not `perPage`), so one message
// reads the same to an HTTP client and to an in-process caller.
const toSnakeCase = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const describe = (issue: v.BaseIssue<unknown>): string => {
  const path = (issue.path ?? [])
    .map((item) => (typeof item.key === 'string' || typeof item.key === 'number' ? String(item.key) : ''))
    .filter((key) => key !== '')
    .map(toSnakeCase)
    .join('.');
  return `${path === '' ? 'input' : path}: ${issue.message}`;
};

/** Parses `input` with `schema`, or throws a `ValidationError` listing every problem. */
export const validate = <S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> => {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ValidationError([...new Set(result.issues.map(describe))]);
};
