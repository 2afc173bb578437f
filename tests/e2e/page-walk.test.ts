import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';
import {
  LAPTOP,
  PHONE,
  routePattern,
  Walker,
  type Failure,
  type FailureKind,
  type Found,
} from '../support/page-walk.ts';

// Issue 15's guard: every demo account, on a 375 px phone and a 1280 px laptop, opens every page
// reachable from home in two clicks, and each roundtable's room, console, projector and result in
// every stage (提事, 议事, 办事, 评事, closed), and the 随手拍 pages: the list, the form, the
// routing page, and a report in each state (the one raised to a roundtable among them).
// A page fails on an uncaught error (Svelte's runtime errors among them), a console error, a
// 5xx, the error page, a spinner still there 5 s after the network went quiet, or a sideways
// scroll at 375, 320 or 1280 px. Each page is loaded on the phone and resized to the others
// (the Walker says why that is the laptop's page too). Only links are followed, never buttons,
// so the walk changes nothing. All failures are reported together.
//
// PAGE_WALK_REPORT=/some/file.md writes the failures, grouped by page, to that file as well.

const app = useDemoApp();

const ALL_ACCOUNTS = [
  'resident',
  'resident2',
  'secretary',
  'scribe',
  'volunteer',
  'leader',
  'unitrep',
  'member',
  'organiser',
  // Issue 18: the grid workers of the two grids, and a delivery rider who holds no role.
  'gridworker',
  'gridworker2',
  'rider',
];
/** PAGE_WALK_ACCOUNTS=resident,leader walks only those (to look at one account's pages). */
const ACCOUNTS = process.env.PAGE_WALK_ACCOUNTS?.split(',') ?? ALL_ACCOUNTS;
/** How many ids of one route pattern the crawl opens (/teams/activities/[id] for two ids). */
const IDS_PER_PATTERN = 2;
/** Accounts walked at the same time, each in its own context of one shared browser. */
const WORKERS = Number(process.env.PAGE_WALK_WORKERS ?? 4);
const ROUNDTABLE_PAGES = ['', '/console', '/projector', '/result'];

interface Allowed {
  /** The route pattern, exactly as the report names it. */
  readonly page: string;
  readonly kind: FailureKind;
  /** The failure's text must match this too. */
  readonly text: RegExp;
  /** Who is fixing it, and what. */
  readonly reason: string;
}

/**
 * Failures allowed for now, each naming the page, the kind and the error text precisely, with
 * who is fixing it. Empty: the walk allows no failure. Add an entry only for a failure that
 * is being fixed, never to make a run pass.
 */
const KNOWN_FAILURES: readonly Allowed[] = [];

const allowedBy = (f: Failure) =>
  KNOWN_FAILURES.find((a) => a.page === f.page && a.kind === f.kind && a.text.test(f.text));
const isAllowed = (f: Failure) => allowedBy(f) !== undefined;

interface Listed {
  id: string;
  stage: string;
  title: string;
}

/** The roundtables a signed-in page's account takes part in. */
async function listed(page: Page): Promise<Listed[]> {
  const response = await page.request.get(`${app.url}/api/roundtables`);
  return (await response.json()) as Listed[];
}

/** Every demo roundtable: the secretary of 幸福社区 chairs them all. */
async function roundtableIds(): Promise<Listed[]> {
  const page = await app.signIn('secretary', LAPTOP);
  const list = await listed(page);
  await page.context().close();
  return list;
}

/**
 * The 随手拍 reports raised to a roundtable (the demo has one, raised to the 提事 meeting):
 * a state of the report page every account opens, as each opens every roundtable stage.
 */
async function raisedProblemIds(): Promise<string[]> {
  const page = await app.signIn('resident', LAPTOP);
  const response = await page.request.get(`${app.url}/api/problems/mine`);
  const { items } = (await response.json()) as { items: { id: string; raised: unknown }[] };
  await page.context().close();
  return items.filter((p) => p.raised).map((p) => p.id);
}

/**
 * The 随手拍 pages every signed-in account opens, whatever its links: the list (its public
 * tab, per community), the form, the routing page (分类派单), and one report in each state
 * the demo has, from the public list (merged ones are not listed: one through the API).
 */
async function problemPagesOf(): Promise<string[]> {
  const page = await app.signIn('secretary', LAPTOP);
  const [community] = (await (
    await page.request.get(`${app.url}/api/double-report/communities`)
  ).json()) as Array<{ id: string }>;
  const list = async (status?: string) => {
    const query = `communityId=${community!.id}${status ? `&status=${status}` : ''}`;
    const response = await page.request.get(`${app.url}/api/problems?${query}`);
    return ((await response.json()) as { items: Array<{ id: string; status: string }> }).items;
  };
  const byState = new Map<string, string>();
  for (const p of [...(await list()), ...(await list('merged'))])
    if (!byState.has(p.status)) byState.set(p.status, p.id);
  await page.context().close();
  return [
    '/problems',
    `/problems?c=${community!.id}`,
    '/problems/new',
    '/problems/routing',
    ...[...byState.values()].map((id) => `/problems/${id}`),
  ].map((path) => app.url + path);
}

interface Walked {
  failures: Failure[];
  /** Every URL opened or fetched. */
  visited: string[];
}

/** The width a failure was seen at: the phone's, unless it is the scroll at another. */
const widthOf = (kind: FailureKind) =>
  kind === 'overflow-320' ? 320 : kind === 'overflow-1280' ? LAPTOP.width : PHONE.width;

/**
 * Walks one account: home, its links, their links, then `extra` (the roundtable pages).
 * Signed out (`account` null) it walks the ways in: home, login and register.
 */
async function walk(page: Page, account: string | null, extra: string[]): Promise<Walked> {
  const walker = new Walker(page);
  const who = account ?? 'signed-out';
  const failures: Failure[] = [];
  const visited: string[] = [];
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const origin = new URL(app.url).origin;
  const record = (found: Found[], href: string) => {
    visited.push(href);
    for (const f of found)
      failures.push({
        ...f,
        page: routePattern(href),
        url: href,
        account: who,
        width: widthOf(f.kind),
      });
  };

  /** Opens a page (or fetches a non-page link) and returns the links on it. */
  const open = async (href: string) => {
    if (new URL(href).pathname.startsWith('/api/')) {
      record(await walker.fetchLink(href), href);
      return [];
    }
    const started = Date.now();
    const { found, links } = await walker.visit(href);
    if (process.env.PAGE_WALK_DEBUG)
      console.log(`${who} ${Date.now() - started} ms ${href} ${found.length}`);
    record(found, href);
    return links;
  };
  /** The same-origin links not yet opened, at most IDS_PER_PATTERN of one pattern. */
  const fresh = (links: string[]) => {
    const out: string[] = [];
    for (const link of links) {
      const url = new URL(link);
      url.hash = '';
      // Signed in, the login and register pages are no part of the walk (they are walked
      // signed out); opening them would not sign anyone out, but they are not the account's.
      if (url.origin !== origin) continue;
      if (account && ['/login', '/register'].includes(url.pathname)) continue;
      const href = url.href;
      if (seen.has(href)) continue;
      seen.add(href);
      const pattern = routePattern(href);
      const count = perPattern.get(pattern) ?? 0;
      if (count >= IDS_PER_PATTERN) continue;
      perPattern.set(pattern, count + 1);
      out.push(href);
    }
    return out;
  };

  const home = `${app.url}/`;
  seen.add(home);
  // The account menu's pages are two clicks away (open the menu, pick one).
  const menu = account ? ['/notifications', '/settings', '/people'] : ['/login', '/register'];
  const first = fresh([...(await open(home)), ...menu.map((path) => app.url + path)]);
  const second: string[] = [];
  for (const href of first) second.push(...fresh(await open(href)));
  for (const href of second) await open(href);
  for (const href of extra) {
    if (seen.has(href)) continue;
    seen.add(href);
    await open(href);
  }
  return { failures, visited };
}

/** Roundtable ids in the report read with their stage and title. */
const labels = new Map<string, string>();
const labelled = (path: string) =>
  path.replace(/[0-9a-f-]{36}/g, (id) => (labels.has(id) ? `${id} (${labels.get(id)})` : id));

function report(failures: Failure[], visited: string[]): string {
  const patterns = [...new Set(visited.map(routePattern))].sort();
  const byPage = new Map<string, Failure[]>();
  for (const f of failures) byPage.set(f.page, [...(byPage.get(f.page) ?? []), f]);
  const lines = [
    '# Page walk failures',
    '',
    `${failures.length} failures on ${byPage.size} pages (${new Date().toISOString()}),`,
    `after ${visited.length} visits to ${patterns.length} route patterns: ${patterns.join(', ')}.`,
    'Marked [known] when KNOWN_FAILURES in tests/e2e/page-walk.test.ts allows them for now.',
    '',
  ];
  for (const [page, list] of [...byPage].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${page}`, '');
    // One line per distinct failure, with who saw it where.
    const distinct = new Map<string, Failure[]>();
    for (const f of list) {
      const key = `${f.kind}: ${f.text}`;
      distinct.set(key, [...(distinct.get(key) ?? []), f]);
    }
    for (const [key, seenBy] of distinct) {
      const who = [...new Set(seenBy.map((f) => `${f.account}@${f.width}`))].join(', ');
      const urls = [...new Set(seenBy.map((f) => labelled(new URL(f.url).pathname)))]
        .slice(0, 5)
        .join(' ');
      lines.push(
        `- ${allowedBy(seenBy[0]!) ? `[known: ${allowedBy(seenBy[0]!)!.reason}] ` : ''}**${key.split('\n')[0]}**`,
        `  - seen by ${who} at ${urls}`,
      );
    }
    lines.push('');
  }
  const stale = KNOWN_FAILURES.filter((a) => !failures.some((f) => allowedBy(f) === a));
  if (stale.length) {
    lines.push('## KNOWN_FAILURES entries that matched nothing this run', '');
    for (const a of stale) lines.push(`- ${a.page} ${a.kind} ${a.text}: ${a.reason}`);
  }
  return lines.join('\n');
}

describe('the page walk', () => {
  it(
    'every page, every account, phone and laptop: no error, no stuck spinner, no sideways scroll',
    { timeout: 20 * 60_000 },
    async () => {
      const roundtables = await roundtableIds();
      // The demo has a roundtable in each stage, so the walk covers all of them.
      expect(new Set(roundtables.map((r) => r.stage))).toEqual(
        new Set(['raise', 'discuss', 'act', 'review', 'closed']),
      );
      for (const r of roundtables) labels.set(r.id, `${r.stage} ${r.title}`);
      const raised = await raisedProblemIds();
      expect(raised.length).toBe(1);
      const problemPages = [
        ...raised.map((id) => `${app.url}/problems/${id}`),
        ...(await problemPagesOf()),
      ];
      // The demo has a report in every state, so the walk opens the report page in each.
      expect(problemPages.length).toBeGreaterThanOrEqual(4 + 7);
      const pagesOf = (r: Listed) =>
        ROUNDTABLE_PAGES.map((suffix) => `${app.url}/roundtables/${r.id}${suffix}`);
      // Each account opens the meetings it takes part in (its own list; the others answer
      // 404 by design), and the 公示 of every closed one, which is public.
      const roundtablePagesOf = async (page: Page) => {
        const mine = new Set((await listed(page)).map((r) => r.id));
        return roundtables.flatMap((r) =>
          mine.has(r.id)
            ? pagesOf(r)
            : r.stage === 'closed'
              ? [`${app.url}/roundtables/${r.id}/result`]
              : [],
        );
      };

      // Each account, and a signed-out visitor.
      const jobs: Array<string | null> = [...ACCOUNTS, null];
      const failures: Failure[] = [];
      const visited: string[] = [];
      const worker = async () => {
        while (jobs.length) {
          const account = jobs.shift()!;
          const page = account
            ? await app.signIn(account, PHONE)
            : await (await app.browser.newContext({ viewport: PHONE })).newPage();
          const extra = account ? [...(await roundtablePagesOf(page)), ...problemPages] : [];
          const walked = await walk(page, account, extra);
          failures.push(...walked.failures);
          visited.push(...walked.visited);
          await page.context().close();
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));

      // Every 随手拍 page was opened (and so checked) by every account walked.
      const walkedPatterns = new Set(visited.map(routePattern));
      for (const pattern of ['/problems', '/problems?c', '/problems/new', '/problems/routing'])
        expect(walkedPatterns, pattern).toContain(pattern);
      expect(walkedPatterns).toContain('/problems/[id]');

      if (process.env.PAGE_WALK_REPORT)
        writeFileSync(process.env.PAGE_WALK_REPORT, report(failures, visited));
      const unexpected = failures
        .filter((f) => !isAllowed(f))
        .map(
          (f) => `${f.page} · ${f.account} @ ${f.width}px · ${f.kind}: ${f.text.split('\n')[0]}`,
        );
      expect(unexpected).toEqual([]);
    },
  );
});

/** The 待办 entries on the home page, as `kind` → the texts of those entries. */
async function todoEntries(page: Page): Promise<Map<string, string[]>> {
  const todo = page.getByTestId('todo');
  await expect.poll(() => todo.getAttribute('aria-busy'), { timeout: 15_000 }).toBe('false');
  const byKind = new Map<string, string[]>();
  for (const row of await todo.getByTestId('todo-entry').all()) {
    const kind = (await row.getAttribute('data-kind')) ?? '';
    byKind.set(kind, [...(byKind.get(kind) ?? []), await row.innerText()]);
  }
  return byKind;
}

/** Every link and button inside the 待办 lower than `min` px, by its words. */
async function smallTargets(page: Page, min: number): Promise<string[]> {
  const small: string[] = [];
  for (const target of await page.getByTestId('todo').locator('a, button').all()) {
    const box = await target.boundingBox();
    if (box && box.height < min - 0.5)
      small.push(`${(await target.innerText()).slice(0, 30)}: ${box.height}`);
  }
  return small;
}

/** TODO_SCREENSHOTS=dir: the page in screen-high slices, to look at. */
async function slices(page: Page, name: string) {
  const dir = process.env.TODO_SCREENSHOTS;
  if (!dir) return;
  const { width, height } = page.viewportSize()!;
  const total = await page.evaluate<number>('document.documentElement.scrollHeight');
  for (let i = 0; i < 3 && i * height < total - height / 4; i++)
    await page.screenshot({
      path: `${dir}/${name}-${i}.png`,
      fullPage: true,
      clip: { x: 0, y: i * height, width, height: Math.min(height, total - i * height) },
    });
}

const sideways = (page: Page) =>
  page.evaluate<boolean>(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth',
  );

describe('the home page 待办 on a phone', () => {
  const phone = PHONE;

  it(
    'shows the secretary the meeting, the queues and the reports, live',
    { timeout: 120_000 },
    async () => {
      const page = await app.signIn('secretary', phone);
      const entries = await todoEntries(page);
      expect(entries.get('meeting_live')?.[0]).toContain('进入主持台');
      expect(entries.get('screen_topics')?.[0]).toContain('2 个议题待筛选');
      for (const kind of [
        'review_wishes',
        'review_members',
        'confirm_deliveries',
        'handle_problem',
      ])
        expect(entries.has(kind), kind).toBe(true);
      expect(await page.getByTestId('todo-overdue').innerText()).toContain('已逾期');
      // Overdue first among the lists: the escalated manhole cover opens 等我处理.
      const firstListed = page.getByTestId('todo-group-handle').getByTestId('todo-entry').first();
      expect(await firstListed.getAttribute('data-urgency')).toBe('overdue');
      expect(await sideways(page)).toBe(false);
      expect(await smallTargets(page, 44)).toEqual([]);
      await slices(page, 'home-todo-secretary-phone');

      // A resident raises a topic: the count follows without a reload (the room's raised list).
      const resident = await app.signIn('resident', phone);
      const list = (await (
        await resident.request.get(`${app.url}/api/roundtables`)
      ).json()) as Listed[];
      const raising = list.find((r) => r.stage === 'raise')!;
      const raised = await resident.request.post(
        `${app.url}/api/roundtables/${raising.id}/topics`,
        {
          data: { title: '快递柜前总是堵车', category: 'parking' },
          headers: { origin: app.url },
        },
      );
      expect(raised.status()).toBe(201);
      await expect
        .poll(async () => (await todoEntries(page)).get('screen_topics')?.[0] ?? '', {
          timeout: 15_000,
        })
        .toContain('3 个议题待筛选');
      await resident.context().close();
      await page.context().close();

      const laptop = await app.signIn('secretary', LAPTOP);
      // Still three: the resident's topic waits on the laptop too.
      expect((await todoEntries(laptop)).get('screen_topics')?.[0]).toContain('3 个议题待筛选');
      expect(await sideways(laptop)).toBe(false);
      await slices(laptop, 'home-todo-secretary-laptop');
      await laptop.getByRole('button', { name: 'EN', exact: true }).click();
      await laptop.getByRole('heading', { name: 'To do', exact: true }).waitFor();
      expect((await todoEntries(laptop)).get('screen_topics')?.[0]).toContain('3 topics to screen');
      await slices(laptop, 'home-todo-secretary-laptop-en');
      await laptop.context().close();
    },
  );

  it(
    'shows the grid worker the reports of their grid, overdue first, and a new one live',
    { timeout: 120_000 },
    async () => {
      const page = await app.signIn('gridworker', phone);
      const entries = await todoEntries(page);
      expect([...entries.keys()]).toEqual(['handle_problem']);
      const reports = entries.get('handle_problem')!;
      expect(reports[0]).toContain('井盖');
      expect(reports[0]).toContain('已逾期');
      expect(reports.some((text) => text.includes('垃圾桶'))).toBe(false);
      expect(await sideways(page)).toBe(false);
      await slices(page, 'home-todo-gridworker-phone');

      // The rider reports a problem in this grid: the grid worker's bell rings, and the list
      // asks again (no reload, no timer).
      const handled = (await (
        await page.request.get(`${app.url}/api/problems/to-handle`)
      ).json()) as {
        items: Array<{ communityId: string; place: { id: string } | null; description: string }>;
      };
      const manhole = handled.items.find((p) => p.description.includes('井盖'))!;
      const rider = await app.signIn('rider', phone);
      const sent = await rider.request.post(`${app.url}/api/problems`, {
        data: {
          communityId: manhole.communityId,
          category: 'rubbish',
          description: '1 号楼门口的垃圾桶被风吹倒了',
          placeId: manhole.place!.id,
        },
        headers: { origin: app.url },
      });
      expect(sent.status()).toBe(201);
      await expect
        .poll(async () => ((await todoEntries(page)).get('handle_problem') ?? []).join('\n'), {
          timeout: 15_000,
        })
        .toContain('被风吹倒');
      await rider.context().close();
      await page.context().close();
    },
  );

  it(
    'shows a resident their meeting, a big button into it, and no one else’s queue',
    { timeout: 120_000 },
    async () => {
      const page = await app.signIn('resident', phone);
      await page.evaluate("localStorage.setItem('tongxin.elder', '1')");
      await page.reload();
      const entries = await todoEntries(page);
      expect(entries.get('meeting_live')?.[0]).toContain('进入会场');
      for (const kind of ['screen_topics', 'review_wishes', 'review_members', 'handle_problem'])
        expect(entries.has(kind), kind).toBe(false);
      expect(await sideways(page)).toBe(false);
      // 长辈版: every target in the list at least 60 px high.
      expect(await smallTargets(page, 60)).toEqual([]);
      await slices(page, 'home-todo-resident-elder');
      await page.getByRole('link', { name: '进入会场' }).click();
      await page.waitForURL(/\/roundtables\/[0-9a-f-]+$/);
      await page.context().close();
    },
  );
});
