import { expect, test } from '@playwright/test';
import { E2E_SERVER } from '../playwright.config';
import {
  copiedDraft,
  CRASH_ISSUE,
  draft,
  runState,
  screenshot,
  signIn,
  snapshotText,
  startPastedRun,
} from './app';
import { type CuttableProxy, startCuttableProxy } from './cuttable-proxy';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a signed-in user starts a pasted-issue run and watches the draft grow to the final comment', async ({
  page,
}) => {
  await page.goto(`${E2E_SERVER}/runs`);
  await expect(page).toHaveURL(/\/sign-in/);
  await screenshot(page, '01-sign-in');
  await signIn(page, E2E_SERVER);
  await screenshot(page, '02-new-run');

  const workflowId = await startPastedRun(page, CRASH_ISSUE);
  await expect(runState(page)).toContainText('Running');
  const early = (await draft(page).innerText()).length;
  await expect.poll(async () => (await draft(page).innerText()).length).toBeGreaterThan(early + 50);
  await screenshot(page, '03-running');

  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
  await expect(draft(page)).toContainText('Drafted without a language model');
  await screenshot(page, '04-completed');
  expect(await copiedDraft(page)).toBe(await snapshotText(page, E2E_SERVER, workflowId));

  await page.getByRole('link', { name: 'Runs' }).first().click();
  await expect(page.getByRole('link', { name: new RegExp(CRASH_ISSUE.title) }).first()).toBeVisible();
  await screenshot(page, '05-runs-list');
});

test.describe('through a network that drops', () => {
  let proxy: CuttableProxy;

  test.beforeEach(async () => {
    proxy = await startCuttableProxy(E2E_SERVER);
  });

  test.afterEach(async () => {
    await proxy.close();
  });

  test('a stream cut mid-run resumes with the same final text and no repeated passage', async ({ page }) => {
    await signIn(page, proxy.url);
    const workflowId = await startPastedRun(page, CRASH_ISSUE);
    await expect.poll(async () => (await draft(page).innerText()).length).toBeGreaterThan(200);

    proxy.cut();
    await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
    await screenshot(page, '06-completed-after-reconnect');

    expect(await copiedDraft(page)).toBe(await snapshotText(page, proxy.url, workflowId));
  });
});

test('a second tab on the same run shows the same run, whole', async ({ page, context }) => {
  await signIn(page, E2E_SERVER);
  const workflowId = await startPastedRun(page, CRASH_ISSUE);
  await expect.poll(async () => (await draft(page).innerText()).length).toBeGreaterThan(100);

  const second = await context.newPage();
  await second.goto(`${E2E_SERVER}/runs/${workflowId}`);
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
  await expect(runState(second)).toContainText('Completed', { timeout: 30_000 });

  const expected = await snapshotText(page, E2E_SERVER, workflowId);
  expect(await copiedDraft(second)).toBe(expected);
  expect(await draft(second).innerHTML()).toBe(await draft(page).innerHTML());

  await second.reload();
  await expect(runState(second)).toContainText('Completed');
  expect(await copiedDraft(second)).toBe(expected);
});

test('an issue carrying script and image payloads renders inert', async ({ page }) => {
  const remoteRequests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(E2E_SERVER)) remoteRequests.push(request.url());
  });
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });

  await signIn(page, E2E_SERVER);
  await startPastedRun(page, {
    title: '<img src=x onerror=alert(1)> Broken <script>alert(2)</script>',
    body: [
      'The page shows <script>alert(3)</script> and ![tracker](https://tracker.example/pixel.png).',
      '<img src="https://tracker.example/a.png" onerror="alert(4)">',
      '[click me](javascript:alert(5)) <a href="javascript:alert(6)">here</a>',
      '<iframe src="https://evil.example"></iframe> <svg onload=alert(7)></svg>',
    ].join('\n\n'),
  });
  await expect(runState(page)).toContainText('Completed', { timeout: 30_000 });
  await screenshot(page, '07-hostile-issue');

  const region = draft(page);
  await expect(region.locator('script, img, iframe, svg, [onerror], [onload]')).toHaveCount(0);
  await expect(region.locator('a[href^="javascript:"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
  expect(remoteRequests).toEqual([]);
});

test('a cancelled run says so, and the layout holds on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, E2E_SERVER);
  await startPastedRun(page, CRASH_ISSUE);
  await expect.poll(async () => (await draft(page).innerText()).length).toBeGreaterThan(50);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(runState(page)).toContainText('Cancelled');
  await screenshot(page, '08-cancelled-phone');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
