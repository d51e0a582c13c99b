import { ApiClient } from './api-client.js';
import { AuthSession, type SignOutReason } from './auth-session.js';
import { ChatApp } from './chat-app.js';
import { byId } from './dom.js';
import { SignInView } from './views/signin-view.js';

/**
 * The client's entry: the sign-in form while signed out, the chat while signed in. A login that
 * ends elsewhere (a socket closed 4401 whose refresh is refused, or a refused refresh) comes back
 * here through `onSignedOut`, without a page reload.
 */
const auth = new AuthSession();
const api = new ApiClient(auth);
const app = new ChatApp(api, auth);
const account = byId('account');

const signIn = new SignInView(async ({ mode, username, email, password }) => {
  const result = mode === 'register' ? await api.register(username, email, password) : await api.login(username, password);
  auth.start(result.user, result);
  await enter();
});

const enter = async (): Promise<void> => {
  signIn.hide();
  account.hidden = false;
  byId('account-name').textContent = auth.user?.username ?? '';
  await app.start();
};

const NOTICES: Readonly<Record<SignOutReason, string | null>> = {
  user: null,
  ended: 'You were signed out: this login was ended on another device.',
};

auth.onSignedOut((reason) => {
  app.stop();
  account.hidden = true;
  signIn.show(NOTICES[reason]);
});

const signOut = async (everywhere: boolean): Promise<void> => {
  // The live stream stops first: the server closing it (4401) must not read as a login ended elsewhere.
  app.stop();
  await (everywhere ? api.logoutAll() : api.logout()).catch(() => undefined);
  auth.end('user');
};
byId('sign-out').addEventListener('click', () => void signOut(false));
byId('sign-out-everywhere').addEventListener('click', () => void signOut(true));

if (auth.user) void enter().catch(() => undefined);
else signIn.show(null);
