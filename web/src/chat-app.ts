import { type ApiClient, isRetryable } from './api-client.js';
import type { AuthSession } from './auth-session.js';
import { newClientId } from './client-id.js';
import { ConversationState } from './conversation-state.js';
import { byId } from './dom.js';
import { type LiveState, LiveEvents } from './live-events.js';
import type { ChangeEvent, Message, Session } from './types.js';
import { ConversationView } from './views/conversation-view.js';
import type { PendingSend } from './views/message-list-view.js';
import { SessionListView } from './views/session-list-view.js';

const LIVE_LABELS: Readonly<Record<LiveState, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  degraded: 'Live updates paused',
};
/** How long the first read waits for the live stream to be ready, before reading anyway. */
const FIRST_READY_WAIT_MS = 3_000;
/** Waits between the tries of one send; each try carries the same client_id, so none is stored twice. */
const SEND_RETRIES_MS = [1_000, 2_000, 4_000];

const newestFirst = (a: Session, b: Session): number => (a.updated_at === b.updated_at ? b.id - a.id : a.updated_at < b.updated_at ? 1 : -1);
const delay = (ms: number): Promise<void> => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * The signed-in client: the chats and the open conversation as REST reads them, kept current by
 * the live stream, and every action the views offer. After a reconnect that could not replay what
 * was missed (`recovered: false`, `resync`) everything shown is read again; after one that did,
 * only streamed answers are, since their deltas are never replayed.
 */
export class ChatApp {
  private readonly layout = byId('app-view');
  private readonly status = byId('live-status');
  private readonly sessions = new Map<number, Session>();
  private sessionPages = 0;
  private hasMoreSessions = false;
  private current: ConversationState | null = null;
  private readonly pending = new Map<string, PendingSend & { sessionId: number }>();
  private alternativeTo: Message | null = null;
  private renderQueued = false;
  /** Set while the first read waits for the stream's first `ready`. */
  private firstReady: (() => void) | null = null;
  /** The changes that arrived during each REST read under way, to apply again on top of what it read. */
  private readonly eventLogs = new Set<ChangeEvent[]>();
  private readonly live: LiveEvents;
  private readonly list: SessionListView;
  private readonly conversation: ConversationView;

  constructor(
    private readonly api: ApiClient,
    auth: AuthSession,
  ) {
    this.live = new LiveEvents({
      auth,
      onChange: (event) => this.apply(event),
      onReady: (recovered) => {
        if (this.firstReady) return this.firstReady();
        void (recovered ? this.refreshStreaming() : this.reloadAll()).catch(() => undefined);
      },
      onState: (state) => {
        this.status.dataset['state'] = state;
        this.status.textContent = LIVE_LABELS[state];
      },
    });
    this.list = new SessionListView({
      open: (id) => this.navigate(id),
      create: (title) => this.createSession(title),
      more: () => void this.loadSessions(this.sessionPages + 1),
    });
    this.conversation = new ConversationView({
      rename: (title) => this.rename(title),
      clear: () => void this.clear(),
      deleteSession: () => void this.deleteSession(),
      back: () => this.navigate(null),
      send: (text) => this.send(text),
      loadOlder: () => this.loadOlder(),
      cancelAlternative: () => this.setAlternative(null),
      edit: (message, text) => this.edit(message, text),
      remove: (message) => void this.removeMessage(message),
      alternative: (message) => this.setAlternative(message),
      switchTo: (message) => {
        this.current?.choose(message);
        this.renderConversation();
      },
      retry: (send) => void this.deliver(send.clientId),
    });
    window.addEventListener('hashchange', () => void this.openFromHash());
    window.addEventListener('online', () => {
      for (const send of this.pending.values()) if (send.failed) void this.deliver(send.clientId);
    });
  }

  async start(): Promise<void> {
    this.layout.hidden = false;
    this.status.hidden = false;
    // The first read follows the stream's first `ready`, so no change can fall between the two (and
    // that `ready`, never recovered, needs no reload of its own); a stream that cannot connect
    // does not keep the page empty, and its `ready`, when it comes, reloads as usual.
    const ready = new Promise<void>((resolve) => {
      this.firstReady = resolve;
    });
    this.live.start();
    await Promise.race([ready, delay(FIRST_READY_WAIT_MS)]);
    this.firstReady = null;
    await this.loadSessions(1);
    await this.openFromHash();
    if (this.current === null) byId('sessions-heading').focus();
  }

  stop(): void {
    this.live.stop();
    this.list.setBusy(true);
    this.layout.hidden = true;
    this.status.hidden = true;
    this.sessions.clear();
    this.pending.clear();
    this.current = null;
    this.conversation.hide();
    history.replaceState(null, '', location.pathname);
  }

  private navigate(id: number | null): void {
    location.hash = id === null ? '' : `#/chat/${id}`;
  }

  private async openFromHash(): Promise<void> {
    const id = Number(/^#\/chat\/(\d+)$/.exec(location.hash)?.[1] ?? NaN);
    const previous = this.current?.sessionId ?? null;
    this.layout.classList.toggle('showing-conversation', Number.isInteger(id));
    if (!Number.isInteger(id)) {
      this.current = null;
      this.conversation.hide();
      this.renderSessions();
      if (previous !== null) this.list.focusSession(previous);
      return;
    }
    if (previous === id) return;
    this.current = new ConversationState(id);
    this.setAlternative(null);
    try {
      await this.loadLatest(this.current);
    } catch {
      // Gone, or not this user's: back to the list.
      this.navigate(null);
      return;
    }
    this.renderSessions();
    this.renderConversation();
    this.conversation.focusComposer();
  }

  private async loadSessions(page: number): Promise<void> {
    this.list.setBusy(true);
    const [{ sessions, pagination }, missed] = await this.reading(() => this.api.listSessions(page)).finally(() => this.list.setBusy(false));
    if (page === 1) this.sessions.clear();
    for (const session of sessions) this.sessions.set(session.id, session);
    for (const event of missed) this.change(event, true);
    this.sessionPages = page;
    this.hasMoreSessions = pagination.has_next;
    this.renderSessions();
  }

  private async loadLatest(state: ConversationState): Promise<void> {
    let hasMore = false;
    const [messages, missed] = await this.reading(() =>
      state.capture(async () => {
        const slice = await this.api.messagesBefore(state.sessionId, null);
        hasMore = slice.has_more;
        return slice.messages;
      }),
    );
    if (this.current !== state) return;
    state.forgetMessages();
    for (const message of messages) state.replace(message);
    for (const event of missed) this.change(event, true);
    state.hasOlder = hasMore;
    if (!this.sessions.has(state.sessionId)) await this.loadSessions(1);
    if (!this.sessions.has(state.sessionId)) throw new Error('no such session');
  }

  private async loadOlder(): Promise<void> {
    const state = this.current;
    const oldest = state?.oldestId();
    if (!state || oldest === null || oldest === undefined) return;
    let hasMore = false;
    const [messages, missed] = await this.reading(() =>
      state.capture(async () => {
        const slice = await this.api.messagesBefore(state.sessionId, oldest);
        hasMore = slice.has_more;
        return slice.messages;
      }),
    );
    for (const message of messages) state.upsert(message);
    // A message deleted while the page was read must not come back with it.
    for (const event of missed) this.change(event, true);
    state.hasOlder = hasMore;
    this.renderConversation();
  }

  /** After a reconnect that missed events: everything shown, read again. */
  private async reloadAll(): Promise<void> {
    await this.loadSessions(1);
    if (this.current) await this.loadLatest(this.current).catch(() => this.navigate(null));
    this.renderConversation();
  }

  /** After a reconnect that replayed everything: only the text streamed meanwhile is missing. */
  private async refreshStreaming(): Promise<void> {
    const state = this.current;
    if (!state) return;
    const streaming = state.visible().filter((message) => message.status === 'streaming');
    const [messages, missed] = await this.reading(() =>
      state.capture(async () => {
        const read = await Promise.all(streaming.map((message) => this.api.messageNow(state.sessionId, message.id)));
        return read.filter((message): message is Message => message !== null);
      }),
    );
    for (const message of messages) state.replace(message);
    for (const event of missed) this.change(event, true);
    this.renderConversation();
  }

  /**
   * Runs a REST read, noting the changes that arrive meanwhile: the read may have been taken before
   * or after each of them, so they are applied again on top of it (each is idempotent, and in
   * order a `messages.cleared` followed by a `message.created` ends as it did on the server).
   * Deltas are not noted: `ConversationState.capture` joins those.
   */
  private async reading<T>(read: () => Promise<T>): Promise<[T, ChangeEvent[]]> {
    const log: ChangeEvent[] = [];
    this.eventLogs.add(log);
    try {
      return [await read(), log];
    } finally {
      this.eventLogs.delete(log);
    }
  }

  private apply(event: ChangeEvent): void {
    if (event.type !== 'message.delta') for (const log of this.eventLogs) log.push(event);
    this.change(event);
    this.scheduleRender();
  }

  /**
   * What a change does to the chats and the open conversation (the page is drawn afterwards). A
   * replay leaves the chats' counts alone: the read it follows may already count the change.
   */
  private change(event: ChangeEvent, replay = false): void {
    switch (event.type) {
      case 'session.created':
      case 'session.updated':
        this.sessions.set(event.session.id, event.session);
        break;
      case 'session.deleted':
        this.sessions.delete(event.session_id);
        if (this.current?.sessionId === event.session_id) this.navigate(null);
        break;
      case 'message.created': {
        // Sending does not announce the session's new count and time: the rule is kept here too.
        const session = replay ? undefined : this.sessions.get(event.session_id);
        if (session && (session.last_message_at === null || event.message.created_at > session.last_message_at)) {
          const at = event.message.created_at;
          this.sessions.set(session.id, { ...session, message_count: session.message_count + 1, last_message_at: at, updated_at: at });
        }
        if (event.message.client_id !== null) this.pending.delete(event.message.client_id);
        this.conversationOf(event.session_id)?.upsert(event.message);
        break;
      }
      case 'message.updated':
        this.conversationOf(event.session_id)?.upsert(event.message);
        break;
      case 'message.delta':
        this.conversationOf(event.session_id)?.appendDelta(event.message_id, event.text);
        break;
      case 'message.deleted': {
        const state = this.conversationOf(event.session_id);
        const session = replay ? undefined : this.sessions.get(event.session_id);
        if (session && (!state || state.get(event.message_id))) this.sessions.set(session.id, { ...session, message_count: Math.max(0, session.message_count - 1) });
        state?.remove(event.message_id);
        break;
      }
      case 'messages.cleared': {
        const session = replay ? undefined : this.sessions.get(event.session_id);
        if (session) this.sessions.set(session.id, { ...session, message_count: 0 });
        this.conversationOf(event.session_id)?.clear();
        break;
      }
    }
  }

  private conversationOf(sessionId: number): ConversationState | null {
    return this.current?.sessionId === sessionId ? this.current : null;
  }

  private send(text: string): void {
    const state = this.current;
    if (!state) return;
    let parentId: number | undefined;
    if (this.alternativeTo?.parent_id != null) parentId = this.alternativeTo.parent_id;
    else {
      // The server answers the newest message by default; only a send on another branch names its parent.
      const last = state.visible().at(-1);
      if (last && last.id !== state.newestId()) parentId = last.id;
    }
    this.setAlternative(null);
    const clientId = newClientId();
    this.pending.set(clientId, { clientId, text, parentId, failed: false, sessionId: state.sessionId });
    this.renderConversation();
    void this.deliver(clientId);
  }

  private async deliver(clientId: string): Promise<void> {
    const send = this.pending.get(clientId);
    if (!send) return;
    this.pending.set(clientId, { ...send, failed: false });
    this.scheduleRender();
    for (let attempt = 0; ; attempt += 1) {
      try {
        const body = { text: send.text, client_id: clientId, ...(send.parentId === undefined ? {} : { parent_id: send.parentId }) };
        const { message } = await this.api.send(send.sessionId, body);
        this.pending.delete(clientId);
        const state = this.conversationOf(send.sessionId);
        state?.upsert(message);
        state?.choose(message);
        this.scheduleRender();
        return;
      } catch (error) {
        const wait = SEND_RETRIES_MS[attempt];
        if (wait !== undefined && isRetryable(error) && navigator.onLine) {
          await delay(wait);
          continue;
        }
        if (!this.pending.has(clientId)) return;
        this.pending.set(clientId, { ...send, failed: true });
        if (!isRetryable(error)) this.conversation.showError(error);
        this.scheduleRender();
        return;
      }
    }
  }

  private async edit(message: Message, text: string): Promise<boolean> {
    try {
      const { message: edited } = await this.api.edit(message.session_id, message.id, text.trim());
      this.current?.upsert(edited);
      this.scheduleRender();
      return true;
    } catch (error) {
      this.conversation.showError(error);
      return false;
    }
  }

  private async removeMessage(message: Message): Promise<void> {
    if (!confirm('Delete this message?')) return;
    await this.act(() => this.api.deleteMessage(message.session_id, message.id));
  }

  private async clear(): Promise<void> {
    const state = this.current;
    if (!state || !confirm('Delete every message of this chat?')) return;
    await this.act(() => this.api.clear(state.sessionId));
  }

  private async deleteSession(): Promise<void> {
    const state = this.current;
    if (!state || !confirm('Delete this chat and its messages?')) return;
    if (await this.act(() => this.api.deleteSession(state.sessionId))) {
      this.sessions.delete(state.sessionId);
      this.navigate(null);
    }
  }

  private async rename(title: string): Promise<boolean> {
    const state = this.current;
    if (!state) return false;
    return this.act(async () => {
      const { session } = await this.api.renameSession(state.sessionId, title);
      this.sessions.set(session.id, session);
      this.scheduleRender();
    });
  }

  private async createSession(title: string): Promise<void> {
    const { session } = await this.api.createSession(title);
    this.sessions.set(session.id, session);
    this.navigate(session.id);
  }

  /** Runs an action, showing its error; the live event that follows updates the page. */
  private async act(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.conversation.showError(error);
      return false;
    }
  }

  private setAlternative(message: Message | null): void {
    this.alternativeTo = message;
    this.conversation.showAlternative(message);
  }

  /** Bursts of events (a streamed answer) render once per frame. */
  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderSessions();
      this.renderConversation();
    });
  }

  private renderSessions(): void {
    this.list.render([...this.sessions.values()].sort(newestFirst), this.current?.sessionId ?? null, this.hasMoreSessions);
  }

  private renderConversation(): void {
    const state = this.current;
    const session = state ? this.sessions.get(state.sessionId) : undefined;
    if (!state || !session) return;
    const shown = state.visible().map((message) => ({ message, siblings: state.siblingsOf(message) }));
    const pending = [...this.pending.values()].filter((send) => send.sessionId === state.sessionId);
    this.conversation.render(session, shown, pending, state.hasOlder);
  }
}
