import { ApiError, callApi } from './api-request.js';
import type { TokenPair, User } from './types.js';

/** Why this window is no longer signed in: its user asked, or the login ended elsewhere. */
export type SignOutReason = 'user' | 'ended';

interface StoredLogin {
  readonly user: User;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires, in ms since the epoch. */
  readonly expiresAt: number;
  /** The access token's whole lifetime, to refresh at a fixed share of it. */
  readonly lifetimeMs: number;
}

const STORAGE_KEY = 'chat-backend.login';
/** A token this close to expiry is refreshed before it is used. */
const USE_MARGIN_MS = 5_000;
/** After a refresh that got no answer (offline), the next try. */
const RETRY_MS = 5_000;

/**
 * The signed-in login: its tokens (kept in localStorage, so the tabs of one browser share one
 * login), refreshed before the access token expires, and the one way to sign out. A refused
 * refresh means the login ended elsewhere (logout, password change, reuse): the window signs out.
 */
export class AuthSession {
  private login: StoredLogin | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: number | undefined;
  private readonly listeners = new Set<(reason: SignOutReason) => void>();

  constructor() {
    this.login = this.read();
    if (this.login) this.schedule();
    // Another tab of this browser refreshed (the pair is adopted) or signed out (so does this one).
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      const next = this.read();
      if (next === null && this.login !== null) this.end('user', false);
      else if (next !== null) {
        this.login = next;
        this.schedule();
      }
    });
  }

  get user(): User | null {
    return this.login?.user ?? null;
  }

  onSignedOut(listener: (reason: SignOutReason) => void): void {
    this.listeners.add(listener);
  }

  start(user: User, tokens: TokenPair): void {
    this.store(user, tokens);
  }

  /** An access token good for a few more seconds, refreshed first if need be; null once signed out. */
  async accessToken(): Promise<string | null> {
    if (this.login === null) return null;
    if (this.login.expiresAt - Date.now() < USE_MARGIN_MS) await this.refresh();
    return this.login?.accessToken ?? null;
  }

  /**
   * Rotates the pair, once however many callers ask at once. True when this window holds a live
   * pair afterwards; false when the server refused (the window is then signed out) or did not answer.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forgets the login here; `reason` says why to whoever shows the sign-in form again. */
  end(reason: SignOutReason, clearStorage = true): void {
    if (this.login === null) return;
    this.login = null;
    window.clearTimeout(this.timer);
    if (clearStorage) localStorage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener(reason);
  }

  private async rotate(): Promise<boolean> {
    const login = this.login;
    if (login === null) return false;
    try {
      const tokens = await callApi<TokenPair>('POST', '/auth/refresh', { body: { refresh_token: login.refreshToken } });
      // Signed out while the call was under way: the new pair is not wanted.
      if (this.login === null) return false;
      this.store(login.user, tokens);
      return true;
    } catch (error) {
      // Another tab may have rotated first: its pair is already in storage.
      const stored = this.read();
      if (stored && stored.refreshToken !== login.refreshToken) {
        this.login = stored;
        this.schedule();
        return true;
      }
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        this.end('ended');
        return false;
      }
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.refresh(), RETRY_MS);
      return false;
    }
  }

  private store(user: User, tokens: TokenPair): void {
    const lifetimeMs = tokens.expires_in * 1000;
    this.login = { user, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: Date.now() + lifetimeMs, lifetimeMs };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.login));
    this.schedule();
  }

  /** The next refresh: a minute before expiry, or at four fifths of a short lifetime. */
  private schedule(): void {
    window.clearTimeout(this.timer);
    if (this.login === null) return;
    const lead = Math.min(60_000, this.login.lifetimeMs / 5);
    this.timer = window.setTimeout(() => void this.refresh(), Math.max(0, this.login.expiresAt - lead - Date.now()));
  }

  private read(): StoredLogin | null {
    try {
      const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredLogin | null;
      return value && typeof value.refreshToken === 'string' ? value : null;
    } catch {
      return null;
    }
  }
}
