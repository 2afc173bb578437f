import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Issue 15, item 7: /teams was 864 px wide on a 375 px phone (a fieldset kept the date chips
// from scrolling inside it) and a title without spaces widened the page. Every teams page, at
// 320 and 375 px, must fit the screen, with an 80-character unbroken title on the activities.

const app = useDemoApp();
const LONG = 'A'.repeat(40) + 'B'.repeat(40); // 80 characters, no break

/** A JSON call from the page's own session, as the app makes it. */
async function call<T>(page: Page, method: 'GET' | 'POST', path: string, data?: object) {
  const res = await page.request.fetch(`${app.url}${path}`, {
    method,
    headers: { origin: app.url, 'content-type': 'application/json' },
    ...(data ? { data } : {}),
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as T;
}

async function settled(page: Page, path: string) {
  await page.goto(`${app.url}${path}`);
  await page.locator('main h1').first().waitFor();
  await page.getByText('正在加载…').first().waitFor({ state: 'detached' });
}

/** The page's width, and the first few elements of main reaching past the screen (a string:
 * it runs in the page, whose types this file does not know). */
const OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1)
    .slice(0, 3)
    .map((e) => '<' + e.tagName.toLowerCase() + ' class="' + (e.getAttribute('class') ?? '') + '">');
  return { scrollWidth: document.documentElement.scrollWidth, width, wide };
})()`;
const overflow = (page: Page) =>
  page.evaluate<{ scrollWidth: number; width: number; wide: string[] }>(OVERFLOW);

describe('teams pages on a phone', () => {
  it('no teams page scrolls sideways at 320 or 375 px, even with an 80-character unbroken title', async () => {
    const setup = await app.signIn('leader', { width: 1280, height: 800 });
    const teams = await call<Array<{ id: string; me: string }>>(
      setup,
      'GET',
      `/api/communities/${await communityOf(setup)}/teams`,
    );
    const community = await communityOf(setup);
    const start = new Date(Date.now() + 86_400_000);
    const activity = await call<{ id: string }>(
      setup,
      'POST',
      `/api/communities/${community}/activities`,
      {
        teamId: teams.find((t) => t.me === 'leader')!.id,
        title: LONG,
        place: LONG,
        requirements: LONG,
        description: LONG,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 7_200_000).toISOString(),
        capacity: 1,
      },
    );
    await setup.context().close();

    const pages = [
      '/teams',
      '/teams/mine',
      '/teams/groups',
      '/teams/catalogue',
      '/teams/catalogue/manage',
      '/teams/new',
      '/teams/service-days',
      '/teams/checkin',
      `/teams/activities/${activity.id}`,
      `/teams/activities/${activity.id}/roster`,
      `/teams/activities/${activity.id}/edit`,
    ];
    const failures: string[] = [];
    for (const width of [320, 375]) {
      // The secretary may open every page; the volunteer holds a place on the long activity.
      const secretary = await app.signIn('secretary', { width, height: 800 });
      const volunteer = await app.signIn('volunteer', { width, height: 800 });
      if (width === 320) await call(volunteer, 'POST', `/api/activities/${activity.id}/signup`, {});
      for (const [page, paths] of [
        [secretary, pages],
        [volunteer, ['/teams', '/teams/mine', `/teams/activities/${activity.id}`]],
      ] as const) {
        for (const path of paths) {
          await settled(page, path);
          const o = await overflow(page);
          if (o.scrollWidth > o.width)
            failures.push(`${width} px ${path}: ${o.scrollWidth} px wide ${o.wide.join(' ')}`);
        }
      }
      await secretary.context().close();
      await volunteer.context().close();
    }
    expect(failures).toEqual([]);
  });
});

async function communityOf(page: Page): Promise<string> {
  const places = await call<Array<{ id: string; name: string }>>(page, 'GET', '/api/places');
  return places.find((p) => p.name === '幸福社区')!.id;
}
