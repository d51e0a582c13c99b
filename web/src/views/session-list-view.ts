import { byId, h, shortTime } from '../dom.js';
import type { Session } from '../types.js';

export interface SessionListActions {
  readonly open: (id: number) => void;
  readonly create: (title: string) => Promise<void>;
  readonly more: () => void;
}

/** The chats, most recently active first, each a button that opens it. */
export class SessionListView {
  private readonly list = byId<HTMLUListElement>('session-list');
  private readonly empty = byId('sessions-empty');
  private readonly moreButton = byId<HTMLButtonElement>('more-sessions');
  private readonly titleInput = byId<HTMLInputElement>('new-session-title');

  constructor(private readonly actions: SessionListActions) {
    this.moreButton.addEventListener('click', () => actions.more());
    byId<HTMLFormElement>('new-session-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const title = this.titleInput.value.trim();
      void actions.create(title).then(() => {
        this.titleInput.value = '';
      });
    });
  }

  render(sessions: readonly Session[], currentId: number | null, hasMore: boolean): void {
    // Rebuilt whole (it is short); focus stays on the chat it was on.
    const focused = (document.activeElement as HTMLElement | null)?.dataset['sessionId'];
    this.list.replaceChildren(
      ...sessions.map((session) => {
        const count = `${session.message_count} message${session.message_count === 1 ? '' : 's'}`;
        const when = session.last_message_at ?? session.updated_at;
        const button = h(
          'button',
          { type: 'button', class: 'session-link', 'data-session-id': String(session.id), 'aria-current': session.id === currentId ? 'true' : undefined },
          h('span', { class: 'session-title' }, session.title),
          h('span', { class: 'session-meta' }, `${count} · ${shortTime(when)}`),
        );
        button.addEventListener('click', () => this.actions.open(session.id));
        return h('li', {}, button);
      }),
    );
    if (focused !== undefined) this.list.querySelector<HTMLElement>(`[data-session-id="${focused}"]`)?.focus();
    this.empty.hidden = sessions.length > 0;
    this.moreButton.hidden = !hasMore;
  }

  /** Says (to assistive technology, and to tests) whether the list is being read. */
  setBusy(busy: boolean): void {
    this.list.setAttribute('aria-busy', String(busy));
  }

  focusSession(id: number): void {
    this.list.querySelector<HTMLElement>(`[data-session-id="${id}"]`)?.focus();
  }
}
