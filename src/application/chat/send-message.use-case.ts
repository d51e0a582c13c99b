import * as v from 'valibot';
import { clientIdConflict, ConflictError, sessionNotFound, ValidationError } from '../../domain/domain-error.js';
import { DEFAULT_MESSAGE_STATUS, DEFAULT_SENDER, Message, type MessageMetadata, type Sender } from '../../domain/message.entity.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { CountLimit } from '../throttling/count-limit.service.js';
import {
  clientIdField,
  metadataField,
  messageIdField,
  senderField,
  type MessageTextFields,
  sendStatusField,
  userIdField,
} from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

/** The fields of a send, in the order their problems are reported; `text` differs by status. */
const fieldsWith = <T extends v.GenericSchema>(text: T, status: v.GenericSchema<unknown, 'complete' | 'streaming'>) =>
  v.object(
    {
      userId: userIdField,
      text,
      sender: v.nullish(senderField, DEFAULT_SENDER),
      clientId: v.nullish(clientIdField),
      parentId: v.nullish(messageIdField),
      status,
      metadata: v.nullish(metadataField),
    },
    'must be an object',
  );

// A message sent whole has text; one about to be streamed may start empty, and its text is kept as
// given, surrounding spaces included, since what is appended continues it.
const schemasFor = (text: MessageTextFields) => ({
  complete: fieldsWith(text.text, v.nullish(sendStatusField, DEFAULT_MESSAGE_STATUS)),
  streaming: fieldsWith(text.streamedText, sendStatusField),
});

const unknownParent = (): ValidationError => new ValidationError(['parent_id: must be a live message of this session']);

export interface SendMessageInput {
  userId: string;
  sessionId: number | string;
  text: string;
  /** Defaults to `user`, as does null. */
  sender?: Sender | null;
  /** The sender's own id for the message: sending it again in that session stores nothing new. */
  clientId?: string | null;
  /** The message this one answers; by default the session's latest live message. */
  parentId?: number | string | null;
  /** `streaming` stores a message to be written by appends, its text possibly empty. */
  status?: 'complete' | 'streaming' | null;
  metadata?: MessageMetadata | null;
}

/** The message sent, or, `replayed`, the one stored earlier under the same client id. */
export interface SentMessageView extends MessageView {
  readonly replayed?: true;
}

/**
 * Adds a message to one of the caller's sessions and makes that session the most recent. Counts
 * against the user's limit on message writes.
 */
export class SendMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
    private readonly messageWrites: CountLimit,
    text: MessageTextFields,
  ) {
    this.schemas = schemasFor(text);
  }

  private readonly schemas: ReturnType<typeof schemasFor>;

  async execute(input: SendMessageInput): Promise<SentMessageView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const schema = input?.status === 'streaming' ? this.schemas.streaming : this.schemas.complete;
    const { userId, text, sender, clientId, parentId, status, metadata } = validate(schema, input);
    await this.messageWrites.take(userId);
    const sent = await this.transactions.run(async () => {
      // The session row is locked before the message is inserted: the insert's foreign-key check
      // takes a shared lock on it, and upgrading that lock afterwards deadlocks concurrent senders.
      // The lock also queues retries of one client id, so the first stores it and the rest find it.
      const session = await this.sessions.lockOwned(sessionId, userId);
      if (!session) throw sessionNotFound();
      // A retry of a send already stored gets that message, or a conflict if it differs. Nearly
      // no send is a retry, so the client id is not looked up first: the insert refuses a taken
      // one (the unique index, nothing counted), and only then is the stored message read. The
      // outcome is the same as looking first, since nothing else writes while the lock is held.
      const replayOf = async (): Promise<{ view: MessageView; replayed: true } | null> => {
        if (clientId == null) return null;
        const stored = await this.messages.findByClientId(sessionId, clientId);
        if (!stored) return null;
        if (stored.isDeleted || !stored.isSameSendAs(text, sender)) throw clientIdConflict();
        return { view: toMessageView(stored), replayed: true };
      };
      // Any message but a live one of this session is the same refusal, so nothing is learnt of others.
      if (parentId != null && !(await this.messages.findInSession(parentId, sessionId))) {
        const replay = await replayOf();
        if (replay) return replay;
        throw unknownParent();
      }
      const message = Message.create({
        sessionId,
        text,
        sender,
        now: this.clock.now(),
        // The default parent is on the session row, read with the lock: no query of its own.
        parentId: parentId ?? session.lastMessageId,
        clientId: clientId ?? null,
        status,
        metadata: metadata ?? null,
      });
      // Counts the message in its session too: one more, sent last (MessageRepository).
      try {
        await this.messages.add(message);
      } catch (error) {
        const replay = error instanceof ConflictError && error.code === 'client_id_conflict' ? await replayOf() : null;
        if (replay) return replay;
        throw error;
      }
      return { view: toMessageView(message), replayed: false };
    });
    if (sent.replayed) return { ...sent.view, replayed: true };
    await this.events.publish({ type: 'message.created', userId, sessionId, message: sent.view });
    return sent.view;
  }
}
