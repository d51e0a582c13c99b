import type { Message } from './types.js';

/** Deltas that arrived while a REST read was under way, by message: the read may or may not hold them. */
type DeltaLog = Map<number, string[]>;

/**
 * The loaded part of one session's messages, and which branch of it is shown. Messages with the
 * same `parent_id` are siblings (a regenerated answer, an alternative question); of each group one
 * is chosen (the newest unless the person picked another), and the messages under the others are
 * hidden. Everything else shows in id order, so a conversation without branches is simply its list.
 */
export class ConversationState {
  private readonly messages = new Map<number, Message>();
  private readonly chosen = new Map<number, number>();
  private readonly captures = new Set<DeltaLog>();
  /** Whether older messages than the oldest loaded exist (the keyset page said `has_more`). */
  hasOlder = false;

  constructor(readonly sessionId: number) {}

  get size(): number {
    return this.messages.size;
  }

  get(id: number): Message | undefined {
    return this.messages.get(id);
  }

  oldestId(): number | null {
    let oldest: number | null = null;
    for (const id of this.messages.keys()) if (oldest === null || id < oldest) oldest = id;
    return oldest;
  }

  /** Keeps whichever copy is newer, so a late event never undoes what a fresher read showed. */
  upsert(message: Message): void {
    const known = this.messages.get(message.id);
    if (known && known.updated_at > message.updated_at) return;
    this.messages.set(message.id, message);
  }

  remove(id: number): void {
    this.messages.delete(id);
  }

  /** Every message gone (the chat was cleared): no branch is left to choose either. */
  clear(): void {
    this.messages.clear();
    this.chosen.clear();
  }

  /** Before a fresh read of the latest page: the messages go, the branches chosen stay. */
  forgetMessages(): void {
    this.messages.clear();
  }

  /** A streamed piece: shown at once, and noted for any read under way (see `capture`). */
  appendDelta(id: number, text: string): boolean {
    const known = this.messages.get(id);
    for (const log of this.captures) {
      const deltas = log.get(id) ?? [];
      deltas.push(text);
      log.set(id, deltas);
    }
    if (known === undefined) return false;
    this.messages.set(id, { ...known, text: known.text + text });
    return true;
  }

  /**
   * Wraps a REST read of messages that may be streaming. A delta carries no position, so one that
   * arrived during the read may already be in the text read, or not: the read text ends with the
   * deltas it holds, and those after them are added to it.
   */
  async capture(read: () => Promise<Message[]>): Promise<Message[]> {
    const log: DeltaLog = new Map();
    this.captures.add(log);
    try {
      const messages = await read();
      return messages.map((message) => {
        const deltas = log.get(message.id);
        if (deltas === undefined || message.status !== 'streaming') return message;
        let held = 0;
        for (let count = deltas.length; count > 0; count -= 1) {
          if (message.text.endsWith(deltas.slice(0, count).join(''))) {
            held = count;
            break;
          }
        }
        return { ...message, text: message.text + deltas.slice(held).join('') };
      });
    } finally {
      this.captures.delete(log);
    }
  }

  /** Replaces what a read gives (the read's copy wins: it is fresher than what deltas built). */
  replace(message: Message): void {
    this.messages.set(message.id, message);
  }

  /** The messages with this one's parent, oldest first (just this one when it has no siblings). */
  siblingsOf(message: Message): Message[] {
    if (message.parent_id === null) return [message];
    return [...this.messages.values()].filter((other) => other.parent_id === message.parent_id).sort((a, b) => a.id - b.id);
  }

  choose(message: Message): void {
    if (message.parent_id !== null) this.chosen.set(message.parent_id, message.id);
  }

  /** The shown branch, oldest first. Parents always have smaller ids, so one pass decides each. */
  visible(): Message[] {
    const sorted = [...this.messages.values()].sort((a, b) => a.id - b.id);
    const shown = new Set<number>();
    const groups = new Map<number, number>();
    for (const message of sorted) if (message.parent_id !== null) groups.set(message.parent_id, Math.max(groups.get(message.parent_id) ?? 0, message.id));
    const result: Message[] = [];
    for (const message of sorted) {
      const parent = message.parent_id;
      const pick = parent === null ? message.id : this.pickIn(parent, groups.get(parent) ?? message.id);
      const parentShown = parent === null || !this.messages.has(parent) || shown.has(parent);
      if (pick === message.id && parentShown) {
        shown.add(message.id);
        result.push(message);
      }
    }
    return result;
  }

  /** The newest message loaded: a send continues the branch the server would pick by itself. */
  newestId(): number | null {
    let newest: number | null = null;
    for (const id of this.messages.keys()) if (newest === null || id > newest) newest = id;
    return newest;
  }

  private pickIn(parent: number, newest: number): number {
    const chosen = this.chosen.get(parent);
    const message = chosen === undefined ? undefined : this.messages.get(chosen);
    return message?.parent_id === parent ? message.id : newest;
  }
}
