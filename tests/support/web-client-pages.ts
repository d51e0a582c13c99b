/** What a person does in the web client, as the browser tests do it: by labels and roles, as a screen reader would. */
import type { Locator, Page } from 'playwright-core';
import type { RegisteredUser } from './api-client.js';

export const composer = (page: Page): Locator => page.getByRole('textbox', { name: 'Message', exact: true });
export const messageRows = (page: Page): Locator => page.locator('#message-list > li[data-message-id]');

/** Signs in through the form and waits until the live stream says it is live and the chats are read. */
export const signIn = async (page: Page, user: Pick<RegisteredUser, 'username' | 'password'>): Promise<void> => {
  await page.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
  await page.locator('#live-status[data-state="live"]').waitFor();
  await page.locator('#session-list[aria-busy="false"]').waitFor({ state: 'attached' });
};

export const openChat = async (page: Page, title: string): Promise<void> => {
  await page.getByRole('button', { name: new RegExp(`^${title}`) }).click();
  await page.getByRole('heading', { name: title, level: 2 }).waitFor();
};

/** Types and sends with Enter, as a person would. */
export const send = async (page: Page, text: string): Promise<void> => {
  await composer(page).fill(text);
  await composer(page).press('Enter');
};

/** The text of every shown message, oldest first. */
export const shownTexts = (page: Page): Promise<string[]> => page.locator('#message-list > li[data-message-id] .message-text').allInnerTexts();

export const rowOf = (page: Page, text: string): Locator => messageRows(page).filter({ has: page.locator('.message-text', { hasText: text }) });
