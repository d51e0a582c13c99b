import { ValidationError } from '../../domain/domain-error.js';
import type { CommonPasswordList } from '../ports/common-password-list.port.js';

/** What a refused common password is told, naming the field as every validation detail does. */
export const COMMON_PASSWORD_DETAIL = 'password: is one of the most common passwords, which are guessed first; choose another';

/**
 * A new password the kept list of common passwords holds is refused, at registration and at a
 * change alike. Only new passwords: a login never tells whether a typed password is on the list.
 */
export const refuseCommonPassword = (list: CommonPasswordList, password: string): void => {
  if (list.includes(password)) throw new ValidationError([COMMON_PASSWORD_DETAIL]);
};
