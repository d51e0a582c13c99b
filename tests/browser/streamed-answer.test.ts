/**
 * An assistant's answer, appended through the API by the test as a worker would, is shown growing
 * from its `message.delta` events, and a device that drops off mid-answer shows the whole text
 * once back: the text so far read through REST, then the deltas that follow.
 */
import { expect, it } from 'vitest';
import { describeWithBrowser, screenshot } from '../support/browser.js';
import { openChat, rowOf, signIn } from '../support/web-client-pages.js';
import { useWebClientRun } from '../support/web-client-run.js';

const WORDS = 'Streamed answers arrive word by word, as the model writes them, and the page shows each one as it comes.'.split(/(?= )/);

describeWithBrowser('a streamed answer in the web client', () => {
  const run = useWebClientRun();

  it('grows with each delta, then completes, and survives a dropped connection mid-answer', async () => {
    const owner = await run.user();
    const token = owner.accessToken;
    const session = (await run.api.post('/chat/sessions', { title: 'Ask the assistant' }, token)).body.session;
    const messagesPath = `/chat/sessions/${session.id}/messages`;
    await run.api.post(messagesPath, { text: 'Explain streaming in one sentence, please.' }, token);
    const laptop = await run.device();
    await signIn(laptop.page, owner);
    await openChat(laptop.page, 'Ask the assistant');

    const answer = (await run.api.post(messagesPath, { text: '', sender: 'assistant', status: 'streaming' }, token)).body.message;
    const row = laptop.page.locator(`#message-list > li[data-message-id="${answer.id}"]`);
    await row.waitFor({ timeout: 1_000 });
    expect(await row.getAttribute('data-status')).toBe('streaming');
    const reads: string[] = [];
    laptop.page.on('request', (request) => {
      if (request.url().includes(messagesPath)) reads.push(request.url());
    });
    const text = () => row.locator('.message-text').innerText();
    const append = async (word: string) => {
      const appended = await run.api.post(`${messagesPath}/${answer.id}/append`, { text: word }, token);
      expect(appended.status).toBe(200);
    };

    // Each append is on the page before the next is sent: the answer is seen growing.
    let sofar = '';
    for (const word of WORDS.slice(0, 8)) {
      await append(word);
      sofar += word;
      await expect.poll(text, { timeout: 1_000 }).toBe(sofar);
    }
    // Growing by the live deltas alone: the page read nothing through REST meanwhile.
    expect(reads).toEqual([]);
    await screenshot(laptop.page, 'streamed-answer');

    // Offline mid-answer: the deltas sent meanwhile are lost to this page, never replayed.
    await laptop.context.setOffline(true);
    await laptop.page.locator('#live-status[data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    for (const word of WORDS.slice(8, 12)) {
      await append(word);
      sofar += word;
    }
    await laptop.page.waitForTimeout(300);
    expect(await text()).not.toBe(sofar);
    await laptop.context.setOffline(false);
    await laptop.page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    // Back: the text so far comes from REST, then the deltas carry on from it.
    await expect.poll(text, { timeout: 3_000 }).toBe(sofar);
    for (const word of WORDS.slice(12)) {
      await append(word);
      sofar += word;
      await expect.poll(text, { timeout: 1_000 }).toBe(sofar);
    }

    const completed = await run.api.post(`${messagesPath}/${answer.id}/complete`, { metadata: { model: 'demo' } }, token);
    expect(completed.body.message.text).toBe(sofar);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 1_000 }).toBe('complete');
    expect(await text()).toBe(WORDS.join(''));
    expect(await rowOf(laptop.page, 'Explain streaming').count()).toBe(1);
    expect(laptop.errors.filter((error) => !error.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  }, 60_000);
});
