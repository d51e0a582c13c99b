import { ApiError } from '../api-request.js';
import { byId } from '../dom.js';

export interface SignInRequest {
  readonly mode: 'signin' | 'register';
  readonly username: string;
  readonly email: string;
  readonly password: string;
}

/** The sign-in form, which also creates accounts; it shows why the last attempt or login ended. */
export class SignInView {
  private readonly root = byId('signin-view');
  private readonly form = byId<HTMLFormElement>('signin-form');
  private readonly heading = byId('signin-heading');
  private readonly notice = byId('signin-notice');
  private readonly error = byId('signin-error');
  private readonly username = byId<HTMLInputElement>('signin-username');
  private readonly email = byId<HTMLInputElement>('signin-email');
  private readonly password = byId<HTMLInputElement>('signin-password');
  private readonly submit = byId<HTMLButtonElement>('signin-submit');
  private mode: SignInRequest['mode'] = 'signin';

  constructor(onSubmit: (request: SignInRequest) => Promise<void>) {
    byId('signin-switch').addEventListener('click', () => this.setMode(this.mode === 'signin' ? 'register' : 'signin'));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.error.hidden = true;
      this.submit.disabled = true;
      const request = { mode: this.mode, username: this.username.value.trim(), email: this.email.value.trim(), password: this.password.value };
      onSubmit(request)
        .catch((error: unknown) => {
          this.error.textContent = error instanceof ApiError ? error.explanation : 'The server did not answer. Try again.';
          this.error.hidden = false;
          this.password.focus();
        })
        .finally(() => {
          this.submit.disabled = false;
        });
    });
  }

  show(notice: string | null): void {
    this.root.hidden = false;
    this.notice.textContent = notice ?? '';
    this.notice.hidden = notice === null;
    this.password.value = '';
    this.error.hidden = true;
    this.username.focus();
  }

  hide(): void {
    this.root.hidden = true;
  }

  private setMode(mode: SignInRequest['mode']): void {
    this.mode = mode;
    const register = mode === 'register';
    this.heading.textContent = register ? 'Create an account' : 'Sign in';
    this.submit.textContent = register ? 'Create account' : 'Sign in';
    byId('signin-switch-text').textContent = register ? 'Have an account?' : 'New here?';
    byId('signin-switch').textContent = register ? 'Sign in' : 'Create an account';
    byId('signin-username-label').textContent = register ? 'Username' : 'Username or email';
    byId('signin-email-row').hidden = !register;
    byId('signin-rules').hidden = !register;
    this.email.required = register;
    this.password.autocomplete = register ? 'new-password' : 'current-password';
    this.error.hidden = true;
    this.username.focus();
  }
}
