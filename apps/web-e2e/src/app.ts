import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_USER, SCREENSHOTS } from '../playwright.config';

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Username').fill(E2E_USER.username);
  await page.getByLabel('Password').fill(E2E_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/runs\/new$/);
}

/** Starts a run from a pasted issue and waits for its page; returns the run's id. */
export async function startPastedRun(page: Page, issue: { title: string; body: string }): Promise<string> {
  await page.getByLabel('Paste an issue').check();
  await page.getByLabel('Title').fill(issue.title);
  await page.getByLabel('Body').fill(issue.body);
  await page.getByRole('button', { name: 'Generate comment' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  return page.url().split('/').at(-1) ?? '';
}

/** The run's final comment as the server has it. */
export async function snapshotText(page: Page, baseUrl: string, workflowId: string): Promise<string> {
  const response = await page.request.get(`${baseUrl}/api/workflows/${workflowId}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { text: string }).text;
}

/** The Markdown the page holds, read back through its Copy button. */
export async function copiedDraft(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy' }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

export function draft(page: Page) {
  return page.getByRole('region', { name: 'Comment draft' });
}

export function runState(page: Page) {
  return page.getByRole('status').first();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** An issue long enough that its draft streams for a few seconds with the offline drafter. */
export const CRASH_ISSUE = {
  title: 'Saving a draft crashes the editor',
  body: [
    'When I click **Save** on a draft with an attachment, the editor crashes.',
    '',
    'Steps to reproduce:',
    '1. Open the editor',
    '2. Attach a PNG file',
    '3. Click Save',
    '',
    'Expected: the draft is saved. Actual: a blank page and `TypeError: Cannot read properties of undefined (reading "size")` in the console.',
    '',
    'Version 4.2.1 on Firefox 131, macOS 15.',
  ].join('\n'),
};
