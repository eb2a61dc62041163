import { expect, type Page, test } from '@playwright/test';
import { E2E_GITHUB, E2E_SERVER } from '../playwright.config';
import { CRASH_ISSUE, draft, runState, screenshot, signIn, startPastedRun } from './app';

interface Snapshot {
  text: string;
  draft?: string;
  draftEdited: boolean;
  postedText?: string;
  parentWorkflowId?: string;
  instructions?: string;
  takes: string[];
  usage?: { model: string; promptTokens: number; completionTokens: number; durationMs: number };
}

async function snapshot(page: Page, workflowId: string): Promise<Snapshot> {
  const response = await page.request.get(`${E2E_SERVER}/api/workflows/${workflowId}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as Snapshot;
}

/** The comments on an issue of the fake GitHub, as GitHub lists them. */
async function commentsOn(page: Page, issueNumber: number): Promise<{ body: string }[]> {
  const response = await page.request.get(
    `${E2E_GITHUB}/repos/octo-org/octo-repo/issues/${issueNumber}/comments`,
  );
  return (await response.json()) as { body: string }[];
}

const runId = (page: Page) => page.url().split('/').at(-1) ?? '';
const takes = (page: Page) => page.getByRole('navigation', { name: 'Takes on this issue' }).getByRole('link');

test('a completed draft is edited beside its preview, and Post to GitHub posts the edited text once', async ({
  page,
}) => {
  const issueNumber = 101;
  await signIn(page, E2E_SERVER);
  await page.getByLabel('Repository').fill('octo-org/octo-repo');
  await page.getByLabel('Issue number').fill(String(issueNumber));
  await page.getByRole('button', { name: 'Generate comment' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const workflowId = runId(page);
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
  const original = (await snapshot(page, workflowId)).text;

  await page.getByRole('button', { name: 'Edit draft' }).click();
  const markdown = page.getByLabel('Markdown');
  await expect(markdown).toHaveValue(original);
  const edited = 'Thanks for the report! Could you attach the **browser console log**?';
  await markdown.fill(edited);
  await expect(page.getByRole('region', { name: 'Preview' }).locator('strong')).toHaveText(
    'browser console log',
  );
  await expect(page.getByRole('button', { name: 'Post to GitHub' })).toBeDisabled();
  await screenshot(page, '09-editing-draft');
  await page.getByRole('button', { name: 'Save draft' }).click();

  await expect(draft(page)).toHaveText('Thanks for the report! Could you attach the browser console log?');
  await expect(page.getByText('You edited this draft')).toBeVisible();
  await page.getByRole('button', { name: 'Post to GitHub' }).click();
  await expect(page.getByRole('link', { name: 'View the comment' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Post to GitHub' })).toBeDisabled();

  await page.reload();
  await expect(runState(page)).toContainText('Completed');
  await expect(page.getByText('This is the text that was posted, as you edited it.')).toBeVisible();
  await expect(draft(page)).toHaveText('Thanks for the report! Could you attach the browser console log?');
  await screenshot(page, '10-posted-edit');

  const comments = await commentsOn(page, issueNumber);
  expect(comments).toHaveLength(1);
  expect(comments[0].body.startsWith(`${edited}\n\n`)).toBe(true);
  const run = await snapshot(page, workflowId);
  expect(run).toMatchObject({ text: original, draft: edited, draftEdited: true, postedText: edited });
});

test('another take with instructions streams, and is listed with the first take', async ({ page }) => {
  await signIn(page, E2E_SERVER);
  const first = await startPastedRun(page, CRASH_ISSUE);
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });

  const instructions = 'Shorter, and ask for the browser console log';
  await page.getByLabel('What should it do differently?').fill(instructions);
  await page.getByRole('button', { name: 'Start another take' }).click();
  await expect(page).not.toHaveURL(new RegExp(`${first}$`));
  await expect(runState(page)).toContainText('Running');
  const early = (await draft(page).innerText()).length;
  await expect.poll(async () => (await draft(page).innerText()).length).toBeGreaterThan(early + 50);
  const second = runId(page);
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
  await expect(page.getByText(`Asked to: ${instructions}`)).toBeVisible();
  await expect(takes(page)).toHaveText(['Take 1', 'Take 2']);
  await expect(takes(page).nth(1)).toHaveAttribute('aria-current', 'page');
  await screenshot(page, '11-another-take');

  await takes(page).first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${first}$`));
  await expect(runState(page)).toContainText('Completed');
  await expect(takes(page).first()).toHaveAttribute('aria-current', 'page');

  expect(await snapshot(page, second)).toMatchObject({
    parentWorkflowId: first,
    instructions,
    takes: [first, second],
  });
  expect((await snapshot(page, first)).takes).toEqual([first, second]);
});

test('what a run cost shows on its page, and the runs list sums it over the runs it finds', async ({
  page,
}) => {
  await signIn(page, E2E_SERVER);
  const title = `Figures ${Date.now()}`;
  const workflowId = await startPastedRun(page, { title, body: 'The search is slow on large repositories.' });
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });

  const cost = page.getByRole('region', { name: 'Cost' });
  await expect(cost.getByRole('term').first()).toHaveText('Model');
  await expect(cost.getByRole('definition').first()).toHaveText('offline');
  await expect(cost.getByRole('definition').nth(1)).toHaveText('none');
  await expect(cost.getByRole('term').last()).toHaveText('Duration');
  await expect(cost.getByRole('definition').last()).toHaveText(/^(\d+ ms|\d+\.\d s|\d+ min \d+ s)$/);
  const usage = (await snapshot(page, workflowId)).usage;
  expect(usage).toMatchObject({ model: 'offline', promptTokens: 0, completionTokens: 0 });

  await page.goto(`${E2E_SERVER}/runs`);
  await page.getByLabel('Search titles').fill(title);
  await page.getByLabel('State').selectOption('completed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/[?&]q=Figures/);
  const rows = page.getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(title);
  await expect(rows.nth(1)).toContainText('pasted');
  await expect(rows.nth(1)).toContainText('none');
  await expect(page.getByText('1 run · tokens: none')).toBeVisible();
  await screenshot(page, '12-runs-filtered');
});

test('on a phone the editor shows the Markdown or its preview, as the toggle says, within the screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, E2E_SERVER);
  await startPastedRun(page, { title: 'Phone edit', body: 'The editor is cramped on a phone.' });
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Edit draft' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(page.getByLabel('Markdown')).toBeVisible();
  await expect(preview).toBeHidden();
  await page.getByLabel('Markdown').fill('Could you share a **screenshot**?');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('button', { name: 'Preview' })).toHaveAttribute('aria-pressed', 'true');
  await expect(preview.locator('strong')).toHaveText('screenshot');
  await expect(page.getByLabel('Markdown')).toBeHidden();
  await screenshot(page, '13-editing-phone');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
