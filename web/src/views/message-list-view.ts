import { h, shortTime } from '../dom.js';
import type { Message } from '../types.js';

/** A send under way or failed: shown until the stored message arrives (by answer or by event). */
export interface PendingSend {
  readonly clientId: string;
  readonly text: string;
  readonly parentId: number | undefined;
  readonly failed: boolean;
}

/** One shown message with what the row needs to know about its branch. */
export interface ShownMessage {
  readonly message: Message;
  /** Its siblings (itself included), oldest first. */
  readonly siblings: readonly Message[];
}

export interface MessageActions {
  readonly edit: (message: Message, text: string) => Promise<boolean>;
  readonly remove: (message: Message) => void;
  readonly alternative: (message: Message) => void;
  readonly switchTo: (message: Message) => void;
  readonly retry: (pending: PendingSend) => void;
}

const SENDERS: Readonly<Record<Message['sender'], string>> = { user: 'You', assistant: 'Assistant', system: 'System' };

/**
 * The rows of the conversation, kept by id: a row is rebuilt only when what it shows changed, so
 * a streamed answer growing fifty times a second touches one row, and a row being edited is left alone.
 */
export class MessageListView {
  private readonly rows = new Map<string, { key: string; element: HTMLLIElement }>();
  private editing: number | null = null;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly actions: MessageActions,
  ) {}

  render(shown: readonly ShownMessage[], pending: readonly PendingSend[]): void {
    const wanted: Array<[string, string, () => HTMLLIElement]> = [
      ...shown.map(({ message, siblings }): [string, string, () => HTMLLIElement] => {
        const position = siblings.indexOf(message);
        const key = `${message.text}|${message.status}|${message.edited_at}|${position}/${siblings.length}`;
        return [`m${message.id}`, key, () => this.messageRow(message, siblings, position)];
      }),
      ...pending.map((send): [string, string, () => HTMLLIElement] => [`p${send.clientId}`, String(send.failed), () => this.pendingRow(send)]),
    ];
    const keep = new Set(wanted.map(([id]) => id));
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) {
        row.element.remove();
        this.rows.delete(id);
      }
    }
    let previous: HTMLLIElement | null = null;
    for (const [id, key, build] of wanted) {
      let row = this.rows.get(id);
      const isEditing = this.editing !== null && id === `m${this.editing}`;
      if (!row || (row.key !== key && !isEditing)) {
        const element = build();
        if (row) row.element.replaceWith(element);
        row = { key, element };
        this.rows.set(id, row);
      }
      const expectedNext: ChildNode | null = previous ? previous.nextSibling : this.list.firstChild;
      if (expectedNext !== row.element) this.list.insertBefore(row.element, expectedNext);
      previous = row.element;
    }
  }

  reset(): void {
    this.rows.clear();
    this.editing = null;
    this.list.replaceChildren();
  }

  private messageRow(message: Message, siblings: readonly Message[], position: number): HTMLLIElement {
    const text = h('p', { class: 'message-text' }, message.text);
    const meta = h(
      'div',
      { class: 'message-meta' },
      h('span', { class: 'message-sender' }, SENDERS[message.sender]),
      h('time', { datetime: message.created_at }, shortTime(message.created_at)),
      message.edited_at !== null && h('span', {}, 'edited'),
      message.status === 'streaming' && h('span', {}, 'writing…'),
      message.status === 'incomplete' && h('span', {}, 'incomplete'),
    );
    const bubble = h('div', { class: 'bubble' }, meta, text);
    const tools = h('div', { class: 'message-tools' });
    if (siblings.length > 1) tools.append(this.switcher(siblings, position));
    // A streaming message is its writer's until completed.
    if (message.status !== 'streaming') tools.append(this.tool('Edit', () => this.startEdit(message, bubble, text)));
    if (message.parent_id !== null) tools.append(this.tool('Alternative', () => this.actions.alternative(message), 'Send an alternative to this message'));
    tools.append(this.tool('Delete', () => this.actions.remove(message), 'Delete message'));
    return h(
      'li',
      {
        class: `message from-${message.sender}`,
        'data-message-id': String(message.id),
        'data-status': message.status,
        'aria-busy': message.status === 'streaming' ? 'true' : undefined,
      },
      bubble,
      tools,
    );
  }

  private switcher(siblings: readonly Message[], position: number): HTMLElement {
    const go = (to: number) => () => {
      const target = siblings[to];
      if (target) this.actions.switchTo(target);
    };
    const previous = this.tool('‹', go(position - 1), 'Previous alternative');
    const next = this.tool('›', go(position + 1), 'Next alternative');
    previous.disabled = position === 0;
    next.disabled = position === siblings.length - 1;
    return h(
      'span',
      { class: 'branch-switcher', role: 'group', 'aria-label': 'Alternatives' },
      previous,
      h('span', { class: 'branch-position' }, `${position + 1} / ${siblings.length}`),
      next,
    );
  }

  private startEdit(message: Message, bubble: HTMLElement, text: HTMLElement): void {
    this.editing = message.id;
    const field = h('textarea', { 'aria-label': 'Edit message', rows: '3' });
    field.value = message.text;
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'quiet' }, 'Cancel');
    const form = h('form', { class: 'edit-form' }, field, h('div', { class: 'row' }, cancel, save));
    const finish = (): void => {
      this.editing = null;
      form.replaceWith(text);
      // The row may be stale now (an update came while editing): the next render rebuilds it.
      const row = this.rows.get(`m${message.id}`);
      if (row) row.key = '';
      this.actions.switchTo(message);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save.disabled = true;
      void this.actions.edit(message, field.value).then((done) => {
        save.disabled = false;
        if (done) finish();
      });
    });
    cancel.addEventListener('click', finish);
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') finish();
      else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    text.replaceWith(form);
    bubble.closest('li')?.scrollIntoView({ block: 'nearest' });
    field.focus();
  }

  private pendingRow(send: PendingSend): HTMLLIElement {
    const status = send.failed ? h('span', {}, 'Not sent') : h('span', {}, 'Sending…');
    const tools = h('div', { class: 'message-tools' }, status);
    if (send.failed) tools.append(this.tool('Retry', () => this.actions.retry(send)));
    return h(
      'li',
      { class: `message from-user pending${send.failed ? ' failed' : ''}`, 'data-client-id': send.clientId },
      h('div', { class: 'bubble' }, h('p', { class: 'message-text' }, send.text)),
      tools,
    );
  }

  private tool(label: string, onClick: () => void, ariaLabel?: string): HTMLButtonElement {
    const button = h('button', { type: 'button', 'aria-label': ariaLabel }, label);
    button.addEventListener('click', onClick);
    return button;
  }
}
