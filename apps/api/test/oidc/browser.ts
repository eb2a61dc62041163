/** One answer the browser saw on its way, redirects included. */
export interface Visit {
  url: string;
  status: number;
  location?: string;
  setCookies: string[];
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * What a browser does in a sign-in, over real HTTP: keeps cookies per host (path and expiry taken
 * into account enough for these flows), follows redirects, and submits the provider's HTML forms.
 */
export class TestBrowser {
  /** Cookies by origin, then name: value and path. */
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  readonly visits: Visit[] = [];

  /** GETs `url` and follows redirects until an answer that is not one, or one to a page of `stopAt`. */
  async follow(url: string, stopAt: (url: URL) => boolean = () => false): Promise<Visit> {
    let visit = await this.request(url);
    while (visit.location) {
      const next = new URL(visit.location, visit.url);
      if (stopAt(next)) return visit;
      visit = await this.request(next.href);
    }
    return visit;
  }

  /** Submits the only form of the page at `url`, with `fields` filled in beside its hidden inputs. */
  async submitForm(url: string, fields: Record<string, string> = {}): Promise<string> {
    const html = await (await this.fetch(url)).text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`No form at ${url}:\n${html.slice(0, 500)}`);
    const body = new URLSearchParams();
    for (const [, name, value] of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      body.set(name, value);
    }
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    const action = new URL(form[1], url).href;
    const visit = await this.request(action, { method: 'POST', body });
    if (!visit.location) throw new Error(`The form at ${url} did not redirect (${visit.status})`);
    return new URL(visit.location, action).href;
  }

  /** The first link of the page at `url` whose text is `text`. */
  async linkOn(url: string, text: string): Promise<string> {
    const html = await (await this.fetch(url)).text();
    const link = new RegExp(`<a href="([^"]+)">${text.replace(/[[\]]/g, '\\$&')}</a>`).exec(html);
    if (!link) throw new Error(`No link "${text}" at ${url}`);
    return new URL(link[1].replaceAll('&amp;', '&'), url).href;
  }

  /** The `Cookie` header this browser would send to `url`. */
  cookieHeader(url: string): string {
    const { origin, pathname } = new URL(url);
    return [...(this.jar.get(origin) ?? new Map<string, StoredCookie>()).entries()]
      .filter(([, cookie]) => pathname.startsWith(cookie.path))
      .map(([name, { value }]) => `${name}=${value}`)
      .join('; ');
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name)?.value;
  }

  setCookie(origin: string, name: string, value: string, path = '/'): void {
    this.cookiesOf(origin).set(name, { value, path });
  }

  private async request(url: string, init: RequestInit = {}): Promise<Visit> {
    const response = await this.fetch(url, init);
    await response.arrayBuffer();
    const visit: Visit = {
      url,
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      setCookies: response.headers.getSetCookie(),
    };
    this.visits.push(visit);
    return visit;
  }

  private async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = this.cookieHeader(url);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), accept: 'text/html' },
    });
    this.keep(url, response.headers.getSetCookie());
    return response;
  }

  private keep(url: string, setCookies: string[]): void {
    const cookies = this.cookiesOf(new URL(url).origin);
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const expires = attributes.find((a) => /^expires=/i.test(a))?.slice(8);
      const gone = value === '' || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (gone) cookies.delete(name);
      else cookies.set(name, { value, path });
    }
  }

  private cookiesOf(origin: string): Map<string, StoredCookie> {
    let cookies = this.jar.get(origin);
    if (!cookies) this.jar.set(origin, (cookies = new Map<string, StoredCookie>()));
    return cookies;
  }
}
