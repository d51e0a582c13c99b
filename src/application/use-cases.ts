import { Authenticate } from './auth/authenticate.use-case.js';
import { CheckLogin } from './auth/check-login.use-case.js';
import { DeleteAccount } from './auth/delete-account.use-case.js';
import { GetProfile } from './auth/get-profile.use-case.js';
import { LogIn } from './auth/log-in.use-case.js';
import { LogOutEverywhere } from './auth/log-out-everywhere.use-case.js';
import { LogOut } from './auth/log-out.use-case.js';
import { LoginOpener } from './auth/login-opener.service.js';
import { RefreshLogin, type RefreshLoginSettings } from './auth/refresh-login.use-case.js';
import { RegisterUser } from './auth/register-user.use-case.js';
import { UpdateProfile } from './auth/update-profile.use-case.js';
import { AppendToMessage } from './chat/append-to-message.use-case.js';
import { ClearMessages } from './chat/clear-messages.use-case.js';
import { CompleteMessage } from './chat/complete-message.use-case.js';
import { CreateSession } from './chat/create-session.use-case.js';
import { DeleteMessage } from './chat/delete-message.use-case.js';
import { DeleteSession } from './chat/delete-session.use-case.js';
import { EditMessage } from './chat/edit-message.use-case.js';
import { GetSession } from './chat/get-session.use-case.js';
import { ListMessages } from './chat/list-messages.use-case.js';
import { ListRevisions } from './chat/list-revisions.use-case.js';
import { ListSessions } from './chat/list-sessions.use-case.js';
import { ReadMessages } from './chat/read-messages.use-case.js';
import { ReadThread } from './chat/read-thread.use-case.js';
import { RenameSession } from './chat/rename-session.use-case.js';
import { ScrollMessages } from './chat/scroll-messages.use-case.js';
import { SendMessage } from './chat/send-message.use-case.js';
import type { ChatSessionRepository } from './ports/chat-session-repository.port.js';
import type { Clock } from './ports/clock.port.js';
import type { EventPublisher } from './ports/event-publisher.port.js';
import type { IdGenerator } from './ports/id-generator.port.js';
import type { LoginRepository } from './ports/login-repository.port.js';
import type { MessageRepository } from './ports/message-repository.port.js';
import type { CommonPasswordList } from './ports/common-password-list.port.js';
import type { PasswordHasher } from './ports/password-hasher.port.js';
import type { SecretSealer } from './ports/secret-sealer.port.js';
import type { TokenIssuer } from './ports/token-issuer.port.js';
import type { TransactionRunner } from './ports/transaction-runner.port.js';
import type { UserRepository } from './ports/user-repository.port.js';
import type { WindowCounters } from './ports/window-counters.port.js';
import { CountLimit } from './throttling/count-limit.service.js';
import { LoginThrottle } from './throttling/login-throttle.service.js';
import type { ThrottleLimits } from './throttling/throttle-limits.js';
import { messageTextFields } from './validation/fields.js';
import { tooManyMessageWrites, tooManyRegistrations } from '../domain/domain-error.js';

/** Every port the use cases need, each served by one adapter. */
export interface Ports {
  readonly users: UserRepository;
  readonly logins: LoginRepository;
  readonly sessions: ChatSessionRepository;
  readonly messages: MessageRepository;
  readonly transactions: TransactionRunner;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly tokens: TokenIssuer;
  readonly sealer: SecretSealer;
  /** Where the rate limits keep their counts. */
  readonly counters: WindowCounters;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly events: EventPublisher;
}

/** The whole application, one use case per action. */
export interface UseCases {
  readonly registerUser: RegisterUser;
  readonly logIn: LogIn;
  readonly refreshLogin: RefreshLogin;
  readonly logOut: LogOut;
  readonly logOutEverywhere: LogOutEverywhere;
  readonly authenticate: Authenticate;
  readonly checkLogin: CheckLogin;
  readonly getProfile: GetProfile;
  readonly updateProfile: UpdateProfile;
  readonly deleteAccount: DeleteAccount;
  readonly createSession: CreateSession;
  readonly listSessions: ListSessions;
  readonly getSession: GetSession;
  readonly renameSession: RenameSession;
  readonly deleteSession: DeleteSession;
  readonly sendMessage: SendMessage;
  readonly listMessages: ListMessages;
  readonly scrollMessages: ScrollMessages;
  readonly readMessages: ReadMessages;
  readonly editMessage: EditMessage;
  readonly deleteMessage: DeleteMessage;
  readonly clearMessages: ClearMessages;
  readonly appendToMessage: AppendToMessage;
  readonly completeMessage: CompleteMessage;
  readonly readThread: ReadThread;
  readonly listRevisions: ListRevisions;
}

/** The use cases' own settings: policy values the configuration decides, no adapter involved. */
export interface UseCaseSettings {
  readonly refresh: RefreshLoginSettings;
  readonly limits: ThrottleLimits;
  /** The longest a message's text may be, in characters (`MESSAGE_MAX_CHARS`). */
  readonly messageMaxChars: number;
}

/**
 * Wires each use case to the ports it needs and the limits that apply to it. The only place that
 * knows who needs what.
 */
export const createUseCases = (p: Ports, settings: UseCaseSettings): UseCases => {
  const { limits } = settings;
  const loginOpener = new LoginOpener(p.logins, p.tokens, p.ids, p.clock);
  // One throttle for every password check, so logins and `current_password` share their counts.
  const passwordChecks = new LoginThrottle(p.counters, limits.passwordFailures);
  const windowOf = (settings: { windowSeconds: number }) => ({ windowMs: settings.windowSeconds * 1000 });
  const registrations = new CountLimit(
    p.counters.counter('registrations:address', windowOf(limits.registrationsPerAddress)),
    limits.registrationsPerAddress,
    // Each registration is a hash and tells whether a name is taken: no counting, no registering.
    { refusal: tooManyRegistrations, whenStoreFails: 'refuse' },
  );
  const messageWrites = new CountLimit(
    p.counters.counter('message-writes:user', windowOf(limits.messageWritesPerUser)),
    limits.messageWritesPerUser,
    // Only a bound on volume: chat keeps working while the counters are away, as it does for real time.
    { refusal: tooManyMessageWrites, whenStoreFails: 'allow' },
  );
  const text = messageTextFields(settings.messageMaxChars);
  const listMessages = new ListMessages(p.messages);
  const scrollMessages = new ScrollMessages(p.messages);
  return {
    registerUser: new RegisterUser(p.users, p.hasher, p.commonPasswords, p.ids, p.clock, p.transactions, loginOpener, registrations),
    logIn: new LogIn(p.users, p.logins, p.hasher, passwordChecks, p.transactions, loginOpener),
    refreshLogin: new RefreshLogin(p.logins, p.users, p.tokens, p.sealer, p.clock, p.transactions, p.events, settings.refresh),
    logOut: new LogOut(p.logins, p.clock, p.events),
    logOutEverywhere: new LogOutEverywhere(p.logins, p.clock, p.events),
    authenticate: new Authenticate(p.tokens, p.logins, p.clock),
    checkLogin: new CheckLogin(p.logins, p.clock),
    getProfile: new GetProfile(p.users),
    updateProfile: new UpdateProfile(p.users, p.logins, p.hasher, p.commonPasswords, passwordChecks, p.clock, p.transactions, p.events),
    deleteAccount: new DeleteAccount(p.users, p.logins, p.hasher, passwordChecks, p.clock, p.transactions, p.events),
    createSession: new CreateSession(p.sessions, p.clock, p.events),
    listSessions: new ListSessions(p.sessions),
    getSession: new GetSession(p.sessions, p.messages),
    renameSession: new RenameSession(p.sessions, p.clock, p.transactions, p.events),
    deleteSession: new DeleteSession(p.sessions, p.clock, p.transactions, p.events),
    sendMessage: new SendMessage(p.sessions, p.messages, p.clock, p.transactions, p.events, messageWrites, text),
    listMessages,
    scrollMessages,
    readMessages: new ReadMessages(listMessages, scrollMessages),
    editMessage: new EditMessage(p.sessions, p.messages, p.clock, p.transactions, p.events, text),
    deleteMessage: new DeleteMessage(p.sessions, p.messages, p.clock, p.transactions, p.events),
    clearMessages: new ClearMessages(p.sessions, p.messages, p.clock, p.transactions, p.events),
    appendToMessage: new AppendToMessage(p.sessions, p.messages, p.clock, p.transactions, messageWrites, p.events, text),
    completeMessage: new CompleteMessage(p.sessions, p.messages, p.clock, p.transactions, p.events),
    readThread: new ReadThread(p.sessions, p.messages),
    listRevisions: new ListRevisions(p.sessions, p.messages),
  };
};
