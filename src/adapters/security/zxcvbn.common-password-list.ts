import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswordList } from '../../application/ports/common-password-list.port.js';

/**
 * zxcvbn-ts's list of common passwords (about 49,000, from leaked password sets), held as a set
 * of lower-cased entries: built once, when the server starts, in a few milliseconds. Membership is
 * the whole rule, not zxcvbn's strength score, which refuses passwords people pick sensibly
 * (`SecurePass123` scores 2 of 4) while the list refuses exactly what guessing starts with.
 */
export class ZxcvbnCommonPasswordList implements CommonPasswordList {
  private readonly entries: ReadonlySet<string>;

  constructor(list: readonly string[] = dictionary['passwords-common']) {
    if (list.length === 0) throw new Error('the common password list is empty');
    this.entries = new Set(list.map((entry) => entry.toLowerCase()));
  }

  get size(): number {
    return this.entries.size;
  }

  includes(password: string): boolean {
    return this.entries.has(password.toLowerCase());
  }
}
