import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { startServer, type ServerProcess } from './server.ts';
import { copyEmbeddedTemplate, removeDir } from './template.ts';

type Viewport = { width: number; height: number };

/**
 * Debian's headless shell (package chromium-headless-shell) when it is installed, else its
 * Chromium. The shell is the same Blink without the browser around it, what Playwright itself
 * runs headless by default: the browser tests took less than half the CPU in it (the page
 * walk 64 CPU-s against 142 on four accounts). CHROMIUM_PATH picks another.
 */
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/** Debian's Chromium, with the flags this machine's closed network needs. */
export const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM_PATH,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(CHROMIUM_OPTIONS);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium every browser test file connects to (e2e-global-setup.ts). */
    chromiumEndpoint?: string;
  }
}

/**
 * The Chromium the e2e global setup started, or a new one. Closing a connected browser closes
 * only the contexts made through it, so each file still starts with no cookies or storage.
 */
function fileBrowser(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  return endpoint ? chromium.connect(endpoint) : launchBrowser();
}

/** A demo account signed in through the login page, in a fresh context of the given size. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport: Viewport,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill('tongxin-demo');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // The login page has a heading too: wait until it has been left.
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

/** The demo server and Chromium one test file drives. */
export interface DemoApp {
  readonly server: ServerProcess;
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  readonly browser: Browser;
  /** `signIn` on this server, in this browser. */
  signIn(username: string, viewport: Viewport): Promise<Page>;
}

/**
 * Starts the server with demo data and Chromium before a file's tests and stops both after.
 * Call it at the top level of a test file; `env` adds to the server's environment (for
 * instance TONGXIN_TEST_CLOCK=1, a clock the test moves on through POST /api/test-clock). The server and browser exist only once beforeAll
 * has run, so read the fields inside tests, not when the file loads (no destructuring).
 */
export function useDemoApp(options: { env?: Record<string, string> } = {}): DemoApp {
  let running: { server: ServerProcess; browser: Browser } | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    // The compiled server (e2e-global-setup.ts builds it) on a copy of the migrated
    // template: no TypeScript to compile and no initdb at each file's start.
    dataDir = await copyEmbeddedTemplate('tongxin-e2e-');
    const [server, browser] = await Promise.all([
      startServer({ dataDir, compiled: true, ...(options.env ? { env: options.env } : {}) }),
      fileBrowser(),
    ]);
    running = { server, browser };
  });
  afterAll(async () => {
    await running?.browser.close();
    await running?.server.stop();
    if (dataDir) await removeDir(dataDir);
  });
  const started = () => {
    if (!running) throw new Error('useDemoApp: the server and browser start in beforeAll');
    return running;
  };
  // A failed test says what each open page showed (CI keeps the log, not screenshots).
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !running) return;
    for (const context of running.browser.contexts())
      for (const page of context.pages()) console.error(await whatPageShows(page));
  });
  return {
    get server() {
      return started().server;
    },
    get url() {
      return started().server.url;
    },
    get browser() {
      return started().browser;
    },
    signIn: (username, viewport) =>
      signIn(started().browser, started().server.url, username, viewport),
  };
}

/** A page's URL, its alerts and its live statuses, for a failed test's log. */
async function whatPageShows(page: Page): Promise<string> {
  const texts = (selector: string) =>
    page
      .locator(selector)
      .allInnerTexts()
      .then((all) => all.map((t) => t.trim()).filter(Boolean))
      .catch(() => ['(page gone)']);
  const [alerts, statuses] = await Promise.all([texts('[role=alert]'), texts('[role=status]')]);
  return [
    `page ${page.url()}`,
    `  alerts: ${alerts.join(' | ') || 'none'}`,
    `  statuses: ${statuses.join(' | ') || 'none'}`,
  ].join('\n');
}
