import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../..');
const PORT = Number(process.env['E2E_PORT'] ?? 3100);
const GITHUB_PORT = Number(process.env['E2E_GITHUB_PORT'] ?? PORT + 1);
const OIDC_PORT = Number(process.env['E2E_OIDC_PORT'] ?? PORT + 2);

/** The production build, served the way `npm start` serves it, with the offline drafter. */
export const E2E_SERVER = `http://127.0.0.1:${PORT}`;
/** The fake GitHub the server reads issues from and posts comments to (src/fake-github.ts). */
export const E2E_GITHUB = `http://127.0.0.1:${GITHUB_PORT}`;
export const E2E_USER = { username: 'e2e', password: 'e2e-password' };
/** The real OpenID Provider the server signs people in at (tools/test-oidc-provider.mjs). */
export const E2E_OIDC = `http://127.0.0.1:${OIDC_PORT}`;
export const E2E_OIDC_NAME = 'Test SSO';
const E2E_OIDC_CLIENT = { id: 'issuecast-e2e', secret: 'issuecast-e2e-client-secret' };
/** Where screenshots of each state go; CI keeps this folder as its artifacts. */
export const SCREENSHOTS = join(WORKSPACE, 'dist/e2e/screenshots');

export default defineConfig({
  testDir: './src',
  outputDir: join(WORKSPACE, 'dist/e2e/results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser here.
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
  },
  webServer: [
    {
      command: 'node --disable-warning=ExperimentalWarning apps/web-e2e/src/fake-github.ts',
      cwd: WORKSPACE,
      url: `${E2E_GITHUB}/`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { PORT: String(GITHUB_PORT) },
    },
    {
      command: 'node tools/test-oidc-provider.mjs',
      cwd: WORKSPACE,
      url: `${E2E_OIDC}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: {
        PORT: String(OIDC_PORT),
        OIDC_TEST_CLIENT_ID: E2E_OIDC_CLIENT.id,
        OIDC_TEST_CLIENT_SECRET: E2E_OIDC_CLIENT.secret,
        OIDC_TEST_REDIRECT_URIS: `${E2E_SERVER}/api/auth/oidc/callback`,
        OIDC_TEST_POST_LOGOUT_REDIRECT_URIS: `${E2E_SERVER}/sign-in`,
      },
    },
    {
      command: 'node dist/apps/api/main.js',
      cwd: WORKSPACE,
      url: `${E2E_SERVER}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        NODE_ENV: 'production',
        PORT: String(PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        LLM_PROVIDER: 'offline',
        OFFLINE_LLM_DELAY_MS: '25',
        AUTH_USERS: `${E2E_USER.username}:${E2E_USER.password}`,
        AUTH_JWT_SECRET: 'e2e-secret-long-enough-to-sign-hs256-tokens',
        RATE_LIMIT_LOGINS: '1000',
        RATE_LIMIT_RUN_STARTS: '1000',
        RATE_LIMIT_STREAM_CONNECTS: '1000',
        MAX_RUNNING_RUNS_PER_USER: '100',
        MAX_OPEN_STREAMS_PER_USER: '100',
        GITHUB_API_URL: E2E_GITHUB,
        GITHUB_TOKEN: 'e2e-github-token',
        GITHUB_MAX_RETRIES: '0',
        PUBLIC_URL: E2E_SERVER,
        OIDC_ISSUER_URL: E2E_OIDC,
        OIDC_CLIENT_ID: E2E_OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: E2E_OIDC_CLIENT.secret,
        OIDC_PROVIDER_NAME: E2E_OIDC_NAME,
      },
    },
  ],
});
