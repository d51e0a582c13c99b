import type { JsonValue, MessageMetadata } from '../../domain/message.entity.js';

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

// What JSON can carry and give back unchanged: an in-process caller could pass a Date, a Map, a
// function, undefined or NaN, which JSON.stringify would turn into something else or drop.
const isJsonValue = (value: unknown): value is JsonValue => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return typeof value === 'object' && isPlainObject(value) && Object.values(value).every(isJsonValue);
};

/** A JSON object (not an array, nor any other value) holding only JSON values. */
export const isJsonObject = (value: unknown): value is MessageMetadata =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && isJsonValue(value);
