// A minimal cookie-keeping HTTP user agent for driving login pages without a browser: follows
// redirects by hand, honours cookie paths and Max-Age=0 deletions, and reads form actions.
export class CookieBrowser {
  private jar = new Map<string, { value: string; path: string }>();

  private cookieHeader(url: URL): string {
    return [...this.jar].filter(([, c]) => url.pathname.startsWith(c.path)).map(([n, c]) => `${n}=${c.value}`).join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      if (attrs.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, { value: pair!.slice(i + 1), path });
    }
  }

  /** One request, no redirect following. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const res = await fetch(u, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(u), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    this.store(res);
    return res;
  }

  /** Follows redirects until a page answers or the location leaves `stopAt` (e.g. the client callback). */
  async follow(url: string, init: { form?: Record<string, string> } = {}, stopAt?: string): Promise<{ res: Response; url: string }> {
    let res = await this.request(url, init);
    let current = url;
    for (let i = 0; i < 10 && [301, 302, 303, 307].includes(res.status); i++) {
      current = new URL(res.headers.get('location')!, current).toString();
      if (stopAt && current.startsWith(stopAt)) return { res, url: current };
      res = await this.request(current);
    }
    return { res, url: current };
  }

  has(name: string): boolean {
    return this.jar.has(name);
  }
}

export function formAction(html: string, formId: string): string {
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>`).exec(html)?.[0];
  const action = form && /action="([^"]+)"/.exec(form)?.[1];
  if (!action) throw new Error(`no form#${formId} with an action in the page`);
  return action.replace(/&amp;/g, '&');
}

export function textOf(html: string, id: string): string | undefined {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return m?.[1]?.replace(/<[^>]+>/g, '').trim();
}
