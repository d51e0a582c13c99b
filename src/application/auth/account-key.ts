import type { User } from '../../domain/user.entity.js';

/**
 * What failed password checks are counted against. A known account by its id, so neither naming it
 * by email instead of username nor renaming it (which needs no password) starts a fresh count; an
 * unknown name by itself, lower-cased, since it names no one.
 */
export const accountKeyOf = (user: User): string => `user:${user.id}`;
export const unknownAccountKey = (name: string): string => `name:${name.toLowerCase()}`;
