/**
 * Everything the client does to a conversation, seen from a second device: rename, edit, delete,
 * clear and delete the chat; branches shown with a switcher between siblings; an alternative sent
 * as a sibling; and a long history read upward page by page (`before_id`).
 */
import { expect, it } from 'vitest';
import { describeWithBrowser, screenshot } from '../support/browser.js';
import { composer, messageRows, openChat, rowOf, send, shownTexts, signIn } from '../support/web-client-pages.js';
import { useWebClientRun } from '../support/web-client-run.js';

describeWithBrowser('the web client acting on a conversation', () => {
  const run = useWebClientRun();

  it('renames, edits, deletes and clears, and the other device follows each change', async () => {
    const owner = await run.user();
    await run.api.post('/chat/sessions', { title: 'Draft' }, owner.accessToken);
    const laptop = await run.device();
    const phone = await run.device();
    await signIn(laptop.page, owner);
    await signIn(phone.page, owner);
    await openChat(laptop.page, 'Draft');
    await openChat(phone.page, 'Draft');
    await send(laptop.page, 'first line');
    await send(laptop.page, 'second lnie');
    await rowOf(phone.page, 'second lnie').waitFor({ timeout: 1_000 });

    await laptop.page.getByRole('button', { name: 'Rename chat' }).click();
    await laptop.page.getByRole('textbox', { name: 'New title' }).fill('Final notes');
    await laptop.page.getByRole('textbox', { name: 'New title' }).press('Enter');
    await phone.page.getByRole('heading', { name: 'Final notes', level: 2 }).waitFor({ timeout: 1_000 });
    await phone.page.getByRole('button', { name: /^Final notes/ }).waitFor();

    // Edit: Enter saves, as in the composer.
    await rowOf(laptop.page, 'second lnie').getByRole('button', { name: 'Edit' }).click();
    const field = laptop.page.getByRole('textbox', { name: 'Edit message' });
    await expect.poll(() => field.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await field.fill('second line');
    await field.press('Enter');
    await rowOf(phone.page, 'second line').waitFor({ timeout: 1_000 });
    expect(await rowOf(phone.page, 'second line').locator('.message-meta').innerText()).toContain('edited');

    await rowOf(laptop.page, 'first line').getByRole('button', { name: 'Delete message' }).click();
    await expect.poll(() => shownTexts(phone.page)).toEqual(['second line']);

    await laptop.page.getByRole('button', { name: 'Clear messages' }).click();
    await expect.poll(() => messageRows(phone.page).count()).toBe(0);
    await phone.page.getByText('No messages yet.').waitFor();

    await laptop.page.getByRole('button', { name: 'Delete chat' }).click();
    // The chat is gone on both: the phone leaves it for the list.
    await expect.poll(() => phone.page.getByRole('button', { name: /^Final notes/ }).count()).toBe(0);
    await phone.page.getByText('Choose a chat, or start a new one.').waitFor();
    expect(laptop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  }, 60_000);

  it('shows siblings with a switcher, hides the other branch, and sends an alternative as a sibling', async () => {
    const owner = await run.user();
    const token = owner.accessToken;
    const session = (await run.api.post('/chat/sessions', { title: 'Branches' }, token)).body.session;
    const post = async (text: string, extra: Record<string, unknown> = {}) =>
      (await run.api.post(`/chat/sessions/${session.id}/messages`, { text, ...extra }, token)).body.message;
    const question = await post('What is a good name for a cat?');
    const first = await post('Whiskers', { sender: 'assistant' });
    await post('Too common', { parent_id: first.id });
    // A regenerated answer: another message answering the same question.
    await post('Pixel', { sender: 'assistant', parent_id: question.id });

    const laptop = await run.device();
    await signIn(laptop.page, owner);
    await openChat(laptop.page, 'Branches');
    // The newest sibling is shown; the reply under the other one is not.
    expect(await shownTexts(laptop.page)).toEqual(['What is a good name for a cat?', 'Pixel']);
    const switcher = rowOf(laptop.page, 'Pixel').getByRole('group', { name: 'Alternatives' });
    expect(await switcher.innerText()).toContain('2 / 2');

    await switcher.getByRole('button', { name: 'Previous alternative' }).click();
    await expect.poll(() => shownTexts(laptop.page)).toEqual(['What is a good name for a cat?', 'Whiskers', 'Too common']);
    expect(await rowOf(laptop.page, 'Whiskers').getByRole('group', { name: 'Alternatives' }).innerText()).toContain('1 / 2');
    await screenshot(laptop.page, 'branches');

    // Sent on this branch, a message continues it (its parent is the last one shown).
    await send(laptop.page, 'Then Mittens?');
    await expect.poll(() => shownTexts(laptop.page)).toEqual(['What is a good name for a cat?', 'Whiskers', 'Too common', 'Then Mittens?']);

    // An alternative to "Too common": a sibling of it, shown instead of it.
    await rowOf(laptop.page, 'Too common').getByRole('button', { name: 'Send an alternative to this message' }).click();
    await laptop.page.getByText('Alternative to “Too common”').waitFor();
    await expect.poll(() => composer(laptop.page).evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await send(laptop.page, 'I like it');
    await expect.poll(() => shownTexts(laptop.page)).toEqual(['What is a good name for a cat?', 'Whiskers', 'I like it']);

    const { messages } = (await run.api.get(`/chat/sessions/${session.id}/messages`, token)).body;
    const byText = new Map<string, { id: number; parent_id: number | null }>(messages.map((m: { text: string; id: number; parent_id: number | null }) => [m.text, m]));
    expect(byText.get('Then Mittens?')?.parent_id).toBe(byText.get('Too common')?.id);
    expect(byText.get('I like it')?.parent_id).toBe(first.id);
    expect(laptop.errors).toEqual([]);
  }, 60_000);

  it('reads a long history upward, a page at a time, without gaps or repeats', async () => {
    const owner = await run.user();
    const session = (await run.api.post('/chat/sessions', { title: 'Long history' }, owner.accessToken)).body.session;
    const texts = Array.from({ length: 120 }, (_, index) => `message ${String(index + 1).padStart(3, '0')}`);
    for (const text of texts) await run.api.post(`/chat/sessions/${session.id}/messages`, { text }, owner.accessToken);

    const laptop = await run.device();
    const pages: string[] = [];
    laptop.page.on('request', (request) => {
      if (request.url().includes(`/chat/sessions/${session.id}/messages?`)) pages.push(new URL(request.url()).search);
    });
    await signIn(laptop.page, owner);
    await openChat(laptop.page, 'Long history');
    // The latest page, at the bottom.
    expect(await shownTexts(laptop.page)).toEqual(texts.slice(70));
    await expect.poll(() => rowOf(laptop.page, 'message 120').isVisible()).toBe(true);

    // Scrolling to the top loads the page above, twice, and then there is no more.
    for (const expected of [texts.slice(20), texts]) {
      await laptop.page.locator('#message-scroller').evaluate((element) => element.scrollTo(0, 0));
      await expect.poll(() => shownTexts(laptop.page)).toEqual(expected);
    }
    await expect.poll(() => laptop.page.getByRole('button', { name: 'Load earlier messages' }).isVisible()).toBe(false);
    expect(pages.filter((search) => search.startsWith('?before_id='))).toEqual(
      ['?before_id=&limit=50', expect.stringMatching(/^\?before_id=\d+&limit=50$/), expect.stringMatching(/^\?before_id=\d+&limit=50$/)],
    );
    expect(laptop.errors).toEqual([]);
  }, 60_000);
});
