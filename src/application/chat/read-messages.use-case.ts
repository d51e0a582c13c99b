import { ValidationError } from '../../domain/domain-error.js';
import type { KeysetPage } from '../ports/message-repository.port.js';
import type { MessageView } from '../views/message.view.js';
import type { Paged } from '../views/pagination.js';
import type { ListMessages, ListMessagesInput } from './list-messages.use-case.js';
import type { ScrollMessages, ScrollMessagesInput } from './scroll-messages.use-case.js';

export type ReadMessagesInput = ListMessagesInput & Omit<ScrollMessagesInput, 'userId' | 'sessionId'>;

export type MessagesRead = { readonly mode: 'page'; readonly page: Paged<MessageView> } | { readonly mode: 'keyset'; readonly slice: KeysetPage<MessageView> };

const KEYSET_KEYS = ['beforeId', 'afterId', 'limit'] as const;
const PAGE_KEYS = ['page', 'perPage'] as const;

/**
 * A session's messages in whichever of the two modes the caller asks for: any of `beforeId`,
 * `afterId` or `limit` (an empty `beforeId` included) asks for a keyset slice, otherwise a page by
 * position. Asking for both would silently ignore half of what was asked, so it is refused.
 */
export class ReadMessages {
  constructor(
    private readonly list: ListMessages,
    private readonly scroll: ScrollMessages,
  ) {}

  async execute(input: ReadMessagesInput): Promise<MessagesRead> {
    const given = (key: string): boolean => (input as unknown as Record<string, unknown> | null)?.[key] !== undefined;
    const keyset = KEYSET_KEYS.some(given);
    if (keyset && PAGE_KEYS.some(given)) {
      throw new ValidationError(['page: cannot be combined with before_id, after_id or limit']);
    }
    if (keyset) return { mode: 'keyset', slice: await this.scroll.execute(input) };
    return { mode: 'page', page: await this.list.execute(input) };
  }
}
