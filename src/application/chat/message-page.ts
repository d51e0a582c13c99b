import * as v from 'valibot';
import { integerField, pageField } from '../validation/fields.js';

export const MESSAGES_PER_PAGE_MAX = 200;
export const MESSAGES_PER_PAGE_DEFAULT = 50;

/** `page` and `per_page` of a list of messages, shared by the session view and the message list. */
export const messagePageFields = {
  page: v.optional(pageField, 1),
  perPage: v.optional(
    integerField(1, MESSAGES_PER_PAGE_MAX, `must be an integer from 1 to ${MESSAGES_PER_PAGE_MAX}`),
    MESSAGES_PER_PAGE_DEFAULT,
  ),
};
