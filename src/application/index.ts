/**
 * The public surface for in-process callers: the use cases, the ports an adapter implements, the
 * errors a caller can catch, and the shapes that go in and out.
 */
export * from '../domain/domain-error.js';
export { ChatSession, DEFAULT_SESSION_TITLE } from '../domain/chat-session.entity.js';
export { Login, type NextRefresh, type Presentation, type RotationOutcome, type RotationPolicy } from '../domain/login.entity.js';
export { Message, SENDERS, type Sender } from '../domain/message.entity.js';
export { User } from '../domain/user.entity.js';

export { createUseCases, type Ports, type UseCaseSettings, type UseCases } from './use-cases.js';

export { Authenticate, type AuthenticateInput } from './auth/authenticate.use-case.js';
export { CheckLogin } from './auth/check-login.use-case.js';
export type { ClientInfo } from './auth/client-info.js';
export { DeleteAccount, type DeleteAccountInput } from './auth/delete-account.use-case.js';
export { GetProfile } from './auth/get-profile.use-case.js';
export { LogIn, type LogInInput, type LogInOutput } from './auth/log-in.use-case.js';
export { LogOutEverywhere, type LogOutEverywhereOutput } from './auth/log-out-everywhere.use-case.js';
export { LogOut } from './auth/log-out.use-case.js';
export type { Principal } from './auth/principal.js';
export { RefreshLogin, type RefreshLoginInput, type RefreshLoginSettings } from './auth/refresh-login.use-case.js';
export { RegisterUser, type RegisterUserInput, type RegisterUserOutput } from './auth/register-user.use-case.js';
export type { TokenPair } from './auth/token-pair.js';
export { UpdateProfile, type UpdateProfileInput } from './auth/update-profile.use-case.js';

export { AppendToMessage, type AppendToMessageInput } from './chat/append-to-message.use-case.js';
export { ClearMessages, type ClearMessagesInput } from './chat/clear-messages.use-case.js';
export { CompleteMessage, type CompleteMessageInput } from './chat/complete-message.use-case.js';
export { CreateSession, type CreateSessionInput } from './chat/create-session.use-case.js';
export { DeleteMessage, type DeleteMessageInput } from './chat/delete-message.use-case.js';
export { DeleteSession, type DeleteSessionInput } from './chat/delete-session.use-case.js';
export { EditMessage, type EditMessageInput } from './chat/edit-message.use-case.js';
export { GetSession, type GetSessionInput, type GetSessionOutput } from './chat/get-session.use-case.js';
export { ListMessages, type ListMessagesInput } from './chat/list-messages.use-case.js';
export { ListRevisions, type ListRevisionsInput } from './chat/list-revisions.use-case.js';
export { ListSessions, type ListSessionsInput } from './chat/list-sessions.use-case.js';
export { RenameSession, type RenameSessionInput } from './chat/rename-session.use-case.js';
export { ScrollMessages, type ScrollMessagesInput } from './chat/scroll-messages.use-case.js';
export { ReadMessages, type MessagesRead, type ReadMessagesInput } from './chat/read-messages.use-case.js';
export { ReadThread, type ReadThreadInput } from './chat/read-thread.use-case.js';
export { SendMessage, type SendMessageInput, type SentMessageView } from './chat/send-message.use-case.js';

export { ChatSessionRepository } from './ports/chat-session-repository.port.js';
export { Clock } from './ports/clock.port.js';
export { EventPublisher, type DomainEvent, type DomainEventType } from './ports/event-publisher.port.js';
export { IdGenerator } from './ports/id-generator.port.js';
export { LoginRepository } from './ports/login-repository.port.js';
export { MessageRepository, type KeysetPage, type MessageCursor, type ThreadCursor } from './ports/message-repository.port.js';
export { PasswordHasher } from './ports/password-hasher.port.js';
export { SecretSealer } from './ports/secret-sealer.port.js';
export { TokenIssuer, type IssuedToken, type TokenClaims, type TokenType } from './ports/token-issuer.port.js';
export { TransactionRunner } from './ports/transaction-runner.port.js';
export { UserRepository } from './ports/user-repository.port.js';
export { WindowCounters, type WindowCount, type WindowCounter } from './ports/window-counters.port.js';
export type { CountLimitSettings, ThrottleLimits } from './throttling/throttle-limits.js';

export type { MessageView } from './views/message.view.js';
export type { Paged, PageRequest, Pagination } from './views/pagination.js';
export type { SessionView } from './views/session.view.js';
export type { UserView } from './views/user.view.js';
