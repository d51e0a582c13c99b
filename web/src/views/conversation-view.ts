import { ApiError } from '../api-request.js';
import { byId } from '../dom.js';
import type { Message, Session } from '../types.js';
import { type MessageActions, MessageListView, type PendingSend, type ShownMessage } from './message-list-view.js';

export interface ConversationActions extends MessageActions {
  readonly rename: (title: string) => Promise<boolean>;
  readonly clear: () => void;
  readonly deleteSession: () => void;
  readonly back: () => void;
  readonly send: (text: string) => void;
  readonly loadOlder: () => Promise<void>;
  readonly cancelAlternative: () => void;
}

/** How close to an edge counts as being at it, in pixels. */
const EDGE_PX = 60;

/** One open chat: its title and actions, the messages (scrolling up loads older ones) and the composer. */
export class ConversationView {
  private readonly root = byId('conversation');
  private readonly placeholder = byId('no-conversation');
  private readonly title = byId('conversation-title');
  private readonly renameForm = byId<HTMLFormElement>('rename-form');
  private readonly renameInput = byId<HTMLInputElement>('rename-title');
  private readonly scroller = byId('message-scroller');
  private readonly loadOlderButton = byId<HTMLButtonElement>('load-older');
  private readonly empty = byId('messages-empty');
  private readonly error = byId('conversation-error');
  private readonly composer = byId<HTMLFormElement>('composer');
  private readonly text = byId<HTMLTextAreaElement>('composer-text');
  private readonly branch = byId('composer-branch');
  private readonly messages: MessageListView;
  private loadingOlder = false;
  private hasOlder = false;
  private shownSessionId: number | null = null;

  constructor(private readonly actions: ConversationActions) {
    this.messages = new MessageListView(byId<HTMLOListElement>('message-list'), actions);
    byId('back-to-sessions').addEventListener('click', () => actions.back());
    byId('clear-session').addEventListener('click', () => actions.clear());
    byId('delete-session').addEventListener('click', () => actions.deleteSession());
    byId('rename-session').addEventListener('click', () => this.openRename());
    byId('rename-cancel').addEventListener('click', () => this.closeRename());
    byId('composer-branch-cancel').addEventListener('click', () => actions.cancelAlternative());
    this.renameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void actions.rename(this.renameInput.value.trim()).then((done) => done && this.closeRename());
    });
    this.renameInput.addEventListener('keydown', (event) => event.key === 'Escape' && this.closeRename());
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.text.addEventListener('keydown', (event) => {
      // Enter sends; Shift+Enter (and Enter while an input method composes) adds a line.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.loadOlderButton.addEventListener('click', () => void this.loadOlder());
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < EDGE_PX && this.hasOlder) void this.loadOlder();
    });
  }

  render(session: Session, shown: readonly ShownMessage[], pending: readonly PendingSend[], hasOlder: boolean): void {
    const opened = this.shownSessionId !== session.id;
    if (opened) {
      this.messages.reset();
      this.closeRename();
      this.error.hidden = true;
      this.shownSessionId = session.id;
    }
    this.root.hidden = false;
    this.placeholder.hidden = true;
    this.title.textContent = session.title;
    this.hasOlder = hasOlder;
    this.loadOlderButton.hidden = !hasOlder;
    this.empty.hidden = shown.length > 0 || pending.length > 0;
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < EDGE_PX;
    this.messages.render(shown, pending);
    if (opened || atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  hide(): void {
    this.root.hidden = true;
    this.placeholder.hidden = false;
    this.shownSessionId = null;
    this.messages.reset();
  }

  focusComposer(): void {
    this.text.focus();
  }

  focusTitle(): void {
    this.title.focus();
  }

  /** Says that the next send is an alternative to `message` (a sibling), or clears it. */
  showAlternative(message: Message | null): void {
    this.branch.hidden = message === null;
    if (message === null) return;
    const preview = message.text.length > 60 ? `${message.text.slice(0, 60)}…` : message.text;
    byId('composer-branch-text').textContent = `Alternative to “${preview}”`;
    this.text.focus();
  }

  showError(error: unknown): void {
    this.error.textContent = error instanceof ApiError ? error.explanation : 'The server did not answer. Try again.';
    this.error.hidden = false;
  }

  private submit(): void {
    const text = this.text.value.trim();
    if (text === '') return;
    this.error.hidden = true;
    this.text.value = '';
    this.actions.send(text);
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private async loadOlder(): Promise<void> {
    if (this.loadingOlder) return;
    this.loadingOlder = true;
    // Kept where it was: the rows added above push the view down by their height.
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    try {
      await this.actions.loadOlder();
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    } catch (error) {
      this.showError(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  private openRename(): void {
    this.renameForm.hidden = false;
    this.renameInput.value = this.title.textContent ?? '';
    this.renameInput.select();
    this.renameInput.focus();
  }

  private closeRename(): void {
    if (this.renameForm.hidden) return;
    this.renameForm.hidden = true;
    byId('rename-session').focus();
  }
}
