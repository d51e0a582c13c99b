/**
 * The kinds of failure every caller can tell apart. Each driving adapter maps a kind to its own
 * vocabulary exactly once (HTTP statuses, WebSocket close codes); nothing else decides that.
 */
export type DomainErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  /** A stable machine-readable word for clients (`validation_failed`, `session_not_found`, ...). */
  readonly code: string;

  protected constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  /** One line per problem, each naming its field: `username: must be 3-80 characters`. */
  readonly details: readonly string[];

  constructor(details: readonly string[], message = 'Validation failed') {
    super(message, 'validation_failed');
    this.details = [...details];
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(message = 'Authentication required', code = 'unauthenticated') {
    super(message, code);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(message = 'Access denied', code = 'forbidden') {
    super(message, code);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(message = 'Not found', code = 'not_found') {
    super(message, code);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(message: string, code = 'conflict') {
    super(message, code);
  }
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';
  /** Whole seconds until the caller may try again (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too many attempts, try again later') {
    super(message, 'rate_limited');
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
  /** Whole seconds after which trying again may succeed (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(
    message = 'Service temporarily unavailable',
    options: { cause?: unknown; code?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.code ?? 'unavailable', options.cause === undefined ? undefined : { cause: options.cause });
    // Five seconds unless the failing part knows better: a dependency that went away is rarely back sooner.
    this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds ?? 5));
  }
}

/** The errors the chat rules raise, named once so every layer words them the same way. */
export const sessionNotFound = (): NotFoundError => new NotFoundError('Session not found', 'session_not_found');
export const messageNotFound = (): NotFoundError => new NotFoundError('Message not found', 'message_not_found');
export const invalidCredentials = (): UnauthenticatedError =>
  new UnauthenticatedError('Invalid username or password', 'invalid_credentials');
export const invalidToken = (): UnauthenticatedError => new UnauthenticatedError('Invalid or expired token', 'invalid_token');
export const wrongCurrentPassword = (): UnauthenticatedError =>
  new UnauthenticatedError('Current password is incorrect', 'invalid_current_password');
export const usernameTaken = (): ConflictError => new ConflictError('Username already exists', 'username_taken');
export const emailTaken = (): ConflictError => new ConflictError('Email already exists', 'email_taken');
export const tooManyLoginAttempts = (retryAfterSeconds: number): RateLimitedError => new RateLimitedError(retryAfterSeconds);
export const tooManyRegistrations = (retryAfterSeconds: number): RateLimitedError =>
  new RateLimitedError(retryAfterSeconds, 'Too many registrations, try again later');
export const tooManyMessageWrites = (retryAfterSeconds: number): RateLimitedError =>
  new RateLimitedError(retryAfterSeconds, 'Too many messages, try again later');
/** Password hashing is at capacity: its queue is full. */
export const serverBusy = (retryAfterSeconds: number): UnavailableError =>
  new UnavailableError('Server busy, try again later', { code: 'server_busy', retryAfterSeconds });
export const notStreaming = (): ConflictError => new ConflictError('Message is not streaming', 'not_streaming');
export const clientIdConflict = (): ConflictError =>
  new ConflictError('Another message was sent with this client_id', 'client_id_conflict');
