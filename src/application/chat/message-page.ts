import * as v from 'valibot';
import { messagesPerPageField, MESSAGES_PER_PAGE_DEFAULT, PAGE_DEFAULT, pageField } from '../validation/fields.js';

/** `page` and `per_page` of a list of messages, shared by the session view and the message list. */
export const messagePageFields = {
  page: v.optional(pageField, PAGE_DEFAULT),
  perPage: v.optional(messagesPerPageField, MESSAGES_PER_PAGE_DEFAULT),
};
