import { expect, test } from '@playwright/test';
import { E2E_OIDC, E2E_OIDC_NAME, E2E_SERVER } from '../playwright.config';
import { screenshot } from './app';

test('a person signs in at the identity provider, comes back to the page they asked for, and signs out there too', async ({
  page,
}) => {
  // The server discovers the provider in the background; readiness says when it has.
  await expect
    .poll(async () => (await page.request.get(`${E2E_SERVER}/api/health/ready`)).status())
    .toBe(200);

  await page.goto(`${E2E_SERVER}/runs`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole('link', { name: `Sign in with ${E2E_OIDC_NAME}` }).click();

  await expect(page).toHaveURL(new RegExp(`^${E2E_OIDC}/interaction/`));
  await page.getByPlaceholder('Enter any login').fill('ada');
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(`${E2E_SERVER}/runs`);
  await expect(page.getByText('ada', { exact: true })).toBeVisible();
  await screenshot(page, 'sso-01-signed-in');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_OIDC}/session/end`));
  await page.getByRole('button', { name: /sign me out/i }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_SERVER}/sign-in`));
  expect((await page.request.get(`${E2E_SERVER}/api/auth/me`)).status()).toBe(401);
});

test('a person outside the allowed groups is told so on the sign-in page', async ({ page }) => {
  await page.goto(`${E2E_SERVER}/sign-in?error=oidc_groups`);

  await expect(page.getByRole('alert')).toHaveText(
    'Your account is not in a group allowed to use Issuecast. Try again, or ask your administrator.',
  );
});
