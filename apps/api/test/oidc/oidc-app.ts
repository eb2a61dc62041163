import { startTestApp, type TestApp } from '../test-app';
import { freePort } from '../ts-entry-process';
import { TestBrowser, type Visit } from './browser';
import { startTestProvider, TEST_CLIENT, type TestProvider } from './test-provider';

/** The app configured for the test provider, and the provider; both stop together. */
export interface OidcSetup {
  api: TestApp;
  provider: TestProvider;
  close(): Promise<void>;
}

export async function startOidcSetup(env: Record<string, string> = {}): Promise<OidcSetup> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider(publicUrl);
  const api = await startTestApp(oidcEnv(provider.issuer, publicUrl, env), { port });
  await untilReady(api.baseUrl);
  return {
    api,
    provider,
    close: async () => {
      await api.close();
      await provider.stop();
    },
  };
}

export function oidcEnv(issuer: string, publicUrl: string, env: Record<string, string> = {}) {
  return {
    OIDC_ISSUER_URL: issuer,
    OIDC_CLIENT_ID: TEST_CLIENT.id,
    OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    PUBLIC_URL: publicUrl,
    ...env,
  };
}

/** Waits for readiness: the provider discovered. */
export async function untilReady(baseUrl: string): Promise<void> {
  while ((await fetch(`${baseUrl}/api/health/ready`)).status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `url` is one of the app's pages rather than its API or the provider's. */
const appPageOf = (baseUrl: string) => (url: URL) =>
  url.origin === baseUrl && !url.pathname.startsWith('/api/');

/**
 * A browser's sign-in as `login`, from the app's sign-in button through the provider's login and
 * consent forms, up to the redirect to one of the app's pages; `beforeCallback` may change the
 * callback's URL (or the browser) first. Answers the last visit: the callback's.
 */
export async function signInAtProvider(
  { api }: OidcSetup,
  login: string,
  {
    browser = new TestBrowser(),
    returnTo = '/runs/new',
    beforeCallback = (url: string) => url,
  }: { browser?: TestBrowser; returnTo?: string; beforeCallback?: (url: string) => string } = {},
): Promise<{ browser: TestBrowser; callbackUrl: string; callback: Visit }> {
  const isCallback = (url: URL) => url.pathname === '/api/auth/oidc/callback';
  const start = `${api.baseUrl}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
  let visit = await browser.follow(start, isCallback);
  if (!visit.location) {
    const consent = await browser.follow(
      await browser.submitForm(visit.url, { login, password: 'any' }),
      isCallback,
    );
    visit = consent.location
      ? consent
      : await browser.follow(await browser.submitForm(consent.url), isCallback);
  }
  const callbackUrl = beforeCallback(new URL(visit.location as string, visit.url).href);
  const callback = await browser.follow(callbackUrl, appPageOf(api.baseUrl));
  return { browser, callbackUrl, callback };
}
