/**
 * Tokens and the end of a login, in the web client: the access token is refreshed before it
 * expires (no request is ever refused for it), and a login ended elsewhere signs the window out,
 * whether its socket is told at once (4401) or it finds out when it comes back online.
 */
import { expect, it } from 'vitest';
import { describeWithBrowser, screenshot } from '../support/browser.js';
import { openChat, rowOf, send, signIn } from '../support/web-client-pages.js';
import { useWebClientRun } from '../support/web-client-run.js';

/** Short enough for a test to outlive a few of them; the grace window must be shorter still. */
const ACCESS_TOKEN_SECONDS = 8;

describeWithBrowser('signing in and out of the web client', () => {
  const run = useWebClientRun({ ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_SECONDS}s`, REFRESH_REUSE_GRACE: '1s' });

  it('refreshes the access token before it expires, so nothing is ever refused for it', async () => {
    const owner = await run.user();
    await run.api.post('/chat/sessions', { title: 'Long day' }, owner.accessToken);
    const laptop = await run.device();
    const refreshes: Array<{ at: number; status: number }> = [];
    const refused: string[] = [];
    laptop.page.on('response', (response) => {
      if (response.url().endsWith('/auth/refresh')) refreshes.push({ at: Date.now(), status: response.status() });
      else if (response.status() === 401) refused.push(response.url());
    });
    await signIn(laptop.page, owner);
    const signedIn = Date.now();
    await openChat(laptop.page, 'Long day');

    await laptop.page.waitForTimeout((ACCESS_TOKEN_SECONDS * 2 + 1) * 1000);
    await send(laptop.page, 'still signed in');
    await rowOf(laptop.page, 'still signed in').waitFor({ timeout: 2_000 });
    expect(await laptop.page.locator('#live-status').getAttribute('data-state')).toBe('live');

    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.every((refresh) => refresh.status === 200)).toBe(true);
    expect(refreshes[0]!.at - signedIn).toBeLessThan(ACCESS_TOKEN_SECONDS * 1000);
    expect(refused).toEqual([]);
    expect(laptop.errors).toEqual([]);
  }, 60_000);

  it('signs a window out when its login is ended on another device, at once and without a reload', async () => {
    const owner = await run.user();
    const laptop = await run.device();
    const phone = await run.device();
    await signIn(laptop.page, owner);
    await signIn(phone.page, owner);
    await laptop.page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

    await phone.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await phone.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The phone signed itself out: no notice there. The laptop was signed out from elsewhere.
    expect(await phone.page.locator('#signin-notice').isVisible()).toBe(false);
    await laptop.page.getByText('You were signed out: this login was ended on another device.').waitFor({ timeout: 3_000 });
    expect(await laptop.page.getByRole('heading', { name: 'Chats' }).isVisible()).toBe(false);
    expect(await laptop.page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(laptop.page, 'signed-out-elsewhere');

    // Signed out for good: a reload does not bring the login back.
    await laptop.page.reload();
    await laptop.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(laptop.errors.filter((error) => !error.includes('401'))).toEqual([]);
  }, 60_000);

  it('signs a window out that finds its login ended when it comes back online', async () => {
    const owner = await run.user();
    const laptop = await run.device();
    await signIn(laptop.page, owner);
    await laptop.context.setOffline(true);
    await laptop.page.locator('#live-status[data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    const ended = await run.api.post('/auth/logout-all', {}, owner.accessToken);
    expect(ended.status).toBe(200);

    await laptop.context.setOffline(false);
    await laptop.page.getByText('You were signed out: this login was ended on another device.').waitFor({ timeout: 10_000 });
    expect(await laptop.page.locator('#app-view').isVisible()).toBe(false);
  }, 60_000);
});
