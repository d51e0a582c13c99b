/**
 * The web client in Chromium as a person uses it on two devices: what one sends appears on the
 * other within a second, another user sees none of it, and a device that goes offline gets
 * everything it missed when it comes back, without a reload.
 */
import { expect, it } from 'vitest';
import { describeWithBrowser, screenshot } from '../support/browser.js';
import { messageRows, openChat, rowOf, send, shownTexts, signIn } from '../support/web-client-pages.js';
import { useWebClientRun } from '../support/web-client-run.js';

describeWithBrowser('the web client on two devices of one user', () => {
  const run = useWebClientRun();

  it('shows a message sent on one device on the other within a second, and nothing to another user', async () => {
    const owner = await run.user();
    const stranger = await run.user();
    const laptop = await run.device();
    const phone = await run.device({ width: 390, height: 760 });
    const other = await run.device();
    await screenshot(laptop.page, 'login');
    await signIn(laptop.page, owner);
    await signIn(phone.page, owner);
    await signIn(other.page, stranger);

    await laptop.page.getByRole('textbox', { name: 'Title of a new chat' }).fill('Weekend plans');
    await laptop.page.getByRole('button', { name: 'New chat' }).click();
    await laptop.page.getByRole('heading', { name: 'Weekend plans', level: 2 }).waitFor();
    // The other device learns of the new chat from the live stream, without asking.
    await openChat(phone.page, 'Weekend plans');

    for (const text of ['Shall we hike on Saturday?', 'Leaving at 8, back by 4']) {
      await send(laptop.page, text);
      // Stored (the row has its id), then on the other device within a second.
      await rowOf(laptop.page, text).waitFor();
      const stored = Date.now();
      await rowOf(phone.page, text).waitFor({ timeout: 1_000 });
      expect(Date.now() - stored).toBeLessThan(1_000);
    }
    await send(phone.page, 'Sounds good, I will bring lunch');
    await rowOf(laptop.page, 'Sounds good, I will bring lunch').waitFor({ timeout: 1_000 });
    expect(await shownTexts(laptop.page)).toEqual(['Shall we hike on Saturday?', 'Leaving at 8, back by 4', 'Sounds good, I will bring lunch']);
    expect(await shownTexts(phone.page)).toEqual(await shownTexts(laptop.page));
    await screenshot(laptop.page, 'conversation');
    await screenshot(phone.page, 'phone-conversation');

    // The session list, most recent first with its counts, on the phone (live) and on a new device.
    await laptop.page.getByRole('textbox', { name: 'Title of a new chat' }).fill('Gift ideas');
    await laptop.page.getByRole('button', { name: 'New chat' }).click();
    await phone.page.getByRole('button', { name: 'Back to chats' }).click();
    await phone.page.getByRole('button', { name: /^Gift ideas/ }).waitFor();
    expect(await phone.page.locator('.session-title').allInnerTexts()).toEqual(['Gift ideas', 'Weekend plans']);
    expect(await phone.page.locator('.session-meta').nth(1).innerText()).toMatch(/^3 messages/);
    const tablet = await run.device();
    await signIn(tablet.page, owner);
    expect(await tablet.page.locator('.session-title').allInnerTexts()).toEqual(['Gift ideas', 'Weekend plans']);
    await screenshot(tablet.page, 'session-list');

    // The stranger's window shows no chat of the owner's, then or now.
    expect(await other.page.locator('.session-title').count()).toBe(0);
    await expect.poll(() => other.page.getByText('No chats yet.').isVisible()).toBe(true);
    expect(await other.page.getByText('Weekend plans').count()).toBe(0);
    for (const device of [laptop, phone, other, tablet]) {
      expect(device.errors).toEqual([]);
      expect(device.foreignRequests).toEqual([]);
    }
  }, 60_000);

  it('loses nothing the other device sent while this one was offline, and says it is reconnecting', async () => {
    const owner = await run.user();
    const session = (await run.api.post('/chat/sessions', { title: 'Offline test' }, owner.accessToken)).body.session;
    const laptop = await run.device();
    const phone = await run.device();
    await signIn(laptop.page, owner);
    await signIn(phone.page, owner);
    await openChat(laptop.page, 'Offline test');
    await openChat(phone.page, 'Offline test');
    await send(phone.page, 'before');
    await rowOf(laptop.page, 'before').waitFor({ timeout: 1_000 });
    // A mark on the page's window: still there at the end means the page was never reloaded.
    await laptop.page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

    await laptop.context.setOffline(true);
    await laptop.page.locator('#live-status[data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    expect(await laptop.page.getByRole('status').filter({ hasText: 'Reconnecting' }).isVisible()).toBe(true);
    const missed = ['while away 1', 'while away 2', 'while away 3'];
    for (const text of missed) {
      await send(phone.page, text);
      await rowOf(phone.page, text).waitFor();
    }
    // And one change that is not a send: the first message edited.
    const first = (await run.api.get(`/chat/sessions/${session.id}/messages`, owner.accessToken)).body.messages[0];
    await run.api.put(`/chat/sessions/${session.id}/messages/${first.id}`, { text: 'before (edited)' }, owner.accessToken);
    await laptop.page.waitForTimeout(500);
    expect(await rowOf(laptop.page, 'while away 1').count()).toBe(0);

    await laptop.context.setOffline(false);
    await laptop.page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    await rowOf(laptop.page, 'while away 3').waitFor({ timeout: 5_000 });
    expect(await shownTexts(laptop.page)).toEqual(['before (edited)', ...missed]);
    expect(await messageRows(laptop.page).count()).toBe(4);
    expect(await laptop.page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(laptop.errors.filter((error) => !error.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  }, 60_000);
});
