/**
 * A streamed answer whose writer goes away: after `STREAM_IDLE_TIMEOUT` the server marks it
 * `incomplete` and says so with `message.updated`; the page stops showing it as being written.
 */
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { openChat, signIn } from '../support/web-client-pages.js';
import { useWebClientRun } from '../support/web-client-run.js';

describeWithBrowser('an abandoned answer in the web client', () => {
  // The shortest idle timeout there is: the sweep then looks every quarter of a second.
  const run = useWebClientRun({ STREAM_IDLE_TIMEOUT: '1s' });

  it('is shown as incomplete, with what was written, once the server gives up on it', async () => {
    const owner = await run.user();
    const token = owner.accessToken;
    const session = (await run.api.post('/chat/sessions', { title: 'Cut short' }, token)).body.session;
    const laptop = await run.device();
    await signIn(laptop.page, owner);
    await openChat(laptop.page, 'Cut short');

    const path = `/chat/sessions/${session.id}/messages`;
    const answer = (await run.api.post(path, { text: 'Half an ans', sender: 'assistant', status: 'streaming' }, token)).body.message;
    const row = laptop.page.locator(`#message-list > li[data-message-id="${answer.id}"]`);
    await row.waitFor({ timeout: 1_000 });
    expect(await row.locator('.message-meta').innerText()).toContain('writing…');

    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5_000 }).toBe('incomplete');
    expect(await row.locator('.message-meta').innerText()).toContain('incomplete');
    expect(await row.locator('.message-meta').innerText()).not.toContain('writing…');
    expect(await row.locator('.message-text').innerText()).toBe('Half an ans');
    expect(laptop.errors).toEqual([]);
  }, 60_000);
});
