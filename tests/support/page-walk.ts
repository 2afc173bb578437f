import type { Page } from 'playwright-core';

/** What can go wrong on a page, as issue 15's page walk counts it. */
export type FailureKind =
  | 'uncaught' // an exception nobody caught (a Svelte runtime error among them)
  | 'console' // console.error, including a failed resource load (4xx/5xx) Chromium logs
  | 'server-error' // any response with status 500 or more
  | 'error-page' // the app's own error page (+error.svelte) instead of the page
  | 'navigation' // the page did not load at all
  | 'spinner' // a loading spinner or "正在加载…" still there 5 s after the network went quiet
  | 'overflow-375' // the phone page scrolls sideways at 375 px
  | 'overflow-320' // … or at 320 px
  | 'overflow-1280' // … or the laptop page at 1280 px
  | 'link'; // a non-page link (a download, a photo) answers with an error

export interface Failure {
  /** The route pattern, e.g. /teams/activities/[id]. */
  readonly page: string;
  readonly url: string;
  readonly account: string;
  readonly width: number;
  readonly kind: FailureKind;
  readonly text: string;
}

export type Found = Pick<Failure, 'kind' | 'text'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A URL's route pattern: ids become [id], codes [code], numbers [n]; query values are dropped
 * (their names kept), so one page with many ids counts as one page.
 */
export function routePattern(href: string): string {
  const url = new URL(href);
  const path = url.pathname
    .split('/')
    .map((part) =>
      UUID.test(part)
        ? '[id]'
        : /^\d+$/.test(part)
          ? '[n]'
          : /^[0-9a-z_-]{16,}$/i.test(part)
            ? '[code]'
            : part,
    )
    .join('/');
  const keys = [...new Set(url.searchParams.keys())].sort();
  return keys.length ? `${path}?${keys.join('&')}` : path;
}

// The checks below run inside the page. They are JavaScript source rather than functions, since
// these tests are typed for Node, without the DOM's types.

/** The Spinner component (data-spinner) and any other spinning element. */
const SPINNER = '[data-spinner], [class*="animate-[spin"]';

/** True while a spinner or a loading sentence (正在加载…) is visible. */
const LOADING_VISIBLE = `(() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  if ([...document.querySelectorAll(${JSON.stringify(SPINNER)})].some(visible)) return true;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/正在加载|Loading…/.test(node.textContent) && node.parentElement && visible(node.parentElement))
      return true;
  }
  return false;
})()`;

/**
 * Null when the page does not scroll sideways, else the innermost elements past the right edge
 * (the first three), to say where the scroll comes from.
 */
const OVERFLOW = `(() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const edge = root.clientWidth + 0.5;
  const past = (el) => el.getBoundingClientRect().right > edge;
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((el) => past(el) && ![...el.children].some(past))
    .slice(0, 3)
    .map((el) => {
      const cls = (el.getAttribute('class') || '').split(/\\s+/).slice(0, 4).join('.');
      const text = (el.textContent || '').trim().slice(0, 30);
      const right = Math.round(el.getBoundingClientRect().right);
      return '<' + el.tagName.toLowerCase() + (cls ? ' .' + cls : '') + '> "' + text + '" right=' + right;
    });
  return 'scrollWidth ' + root.scrollWidth + ' > ' + root.clientWidth + ': ' + culprits.join('; ');
})()`;

const LINKS = `[...document.querySelectorAll('a[href]')].map((a) => a.href)`;

/** Resolves after the browser has laid out and painted twice (a resize has taken effect). */
const TWO_FRAMES = `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))`;

const ERROR_TITLES = ['找不到页面', '出错了', 'Page not found', 'Something went wrong'];

/** The widths a page is looked at: a phone, a small phone, a laptop. */
export const PHONE = { width: 375, height: 812 };
const SMALL_PHONE_WIDTH = 320;
export const LAPTOP = { width: 1280, height: 800 };

/**
 * One signed-in tab that walks pages with `page.goto`, collecting what goes wrong on each.
 * Listeners are attached once; each visit swaps the list they write into.
 *
 * Each page is loaded once, on the phone, then looked at on a small phone and a laptop by
 * resizing it. That is the same page a laptop would load: the layout is CSS alone (no script
 * reads the window's width: tests/unit/foundation/css-only-layout.test.ts keeps it so), and
 * a second load per account at 1280 px cost the walk half its time for nothing more.
 */
export class Walker {
  private found: Found[] = [];
  /** Requests under way (a WebSocket is no request here: live pages stay open for ever). */
  private readonly inFlight = new Set<unknown>();
  private lastSettled = Date.now();

  constructor(readonly page: Page) {
    page.on('pageerror', (error) =>
      this.found.push({ kind: 'uncaught', text: error.stack ?? String(error) }),
    );
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      this.found.push({
        kind: 'console',
        text: where ? `${message.text()} (${where})` : message.text(),
      });
    });
    page.on('request', (request) => this.inFlight.add(request));
    const done = (request: unknown) => {
      this.inFlight.delete(request);
      if (this.inFlight.size === 0) this.lastSettled = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('response', (response) => {
      if (response.status() >= 500) {
        this.found.push({
          kind: 'server-error',
          text: `${response.status()} ${response.request().method()} ${response.url()}`,
        });
      }
    });
  }

  /** Opens the URL, waits for it to settle, checks it; returns what failed and its links. */
  async visit(url: string): Promise<{ found: Found[]; links: string[] }> {
    const found: Found[] = [];
    this.found = found;
    this.inFlight.clear();
    try {
      await this.page.goto(url, { waitUntil: 'load' });
    } catch (error) {
      found.push({ kind: 'navigation', text: String(error) });
      return { found, links: [] };
    }
    this.lastSettled = Date.now();
    // The pages fetch their data after the app starts: wait for the network to go quiet (capped,
    // since a page may poll), then give any spinner the 5 s to go.
    await this.quiet();
    if (!(await this.loadingGone(5000))) {
      found.push({ kind: 'spinner', text: 'still loading 5 s after the network went quiet' });
    }
    const title = await this.page
      .evaluate<string | null>(`document.querySelector('main h1')?.textContent ?? null`)
      .catch(() => null);
    if (title && ERROR_TITLES.includes(title.trim())) {
      found.push({ kind: 'error-page', text: `the error page: ${title.trim()}` });
    }
    await this.checkWidths(found);
    const links = await this.page.evaluate<string[]>(LINKS).catch(() => []);
    return { found, links };
  }

  /**
   * Until no request has been under way for 200 ms (Playwright's networkidle waits 500 ms,
   * which over hundreds of pages adds minutes), or 15 s at most.
   */
  private async quiet() {
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      if (this.inFlight.size === 0 && Date.now() - this.lastSettled >= 200) return;
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /**
   * Whether every spinner is gone within `ms`. Polled from here: waitForFunction would evaluate
   * its text with eval inside the page, which the app's Content-Security-Policy forbids.
   */
  private async loadingGone(ms: number) {
    const until = Date.now() + ms;
    for (;;) {
      const loading = await this.page.evaluate<boolean>(LOADING_VISIBLE).catch(() => false);
      if (!loading) return true;
      if (Date.now() >= until) return false;
      await this.page.waitForTimeout(100);
    }
  }

  /** Sideways scroll at 375, 320 and 1280 px; errors a resize throws land in `found` too. */
  private async checkWidths(found: Found[]) {
    const at375 = await this.page.evaluate<string | null>(OVERFLOW);
    if (at375) found.push({ kind: 'overflow-375', text: at375 });
    for (const [size, kind] of [
      [{ ...PHONE, width: SMALL_PHONE_WIDTH }, 'overflow-320'],
      [LAPTOP, 'overflow-1280'],
    ] as const) {
      await this.page.setViewportSize(size);
      await this.page.evaluate(TWO_FRAMES);
      const overflow = await this.page.evaluate<string | null>(OVERFLOW);
      if (overflow) found.push({ kind, text: overflow });
    }
    await this.page.setViewportSize(PHONE);
  }

  /** A link that is no page (a Markdown download, a photo): it must answer without an error. */
  async fetchLink(url: string): Promise<Found[]> {
    const response = await this.page.request.get(url, { maxRedirects: 3 }).catch((e) => e);
    if (response instanceof Error) return [{ kind: 'link', text: String(response) }];
    return response.status() >= 400
      ? [{ kind: 'link', text: `${response.status()} GET ${url}` }]
      : [];
  }
}
