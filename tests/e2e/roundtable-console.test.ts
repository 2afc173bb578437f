import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// Every demo roundtable's room, console, projector and result opened as the chair (secretary)
// and as the owner of an action item (leader): each page finishes loading with no console
// error. Issue 15 item 1: a topic waiting to be screened, or an action item in 办事/评事, made
// the console (and the owner's room) throw Svelte's props_invalid_value and hang on 正在加载….

const app = useDemoApp();

type Listed = { id: string; title: string; stage: string };

/** Collects uncaught errors and console errors of a page from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/** Opens a page and waits for it to settle: a heading or an alert, and no spinner left. */
async function open(page: Page, path: string) {
  await page.goto(`${app.url}${path}`);
  await page.locator('main h1, main [role=alert]').first().waitFor({ timeout: 10_000 });
  await page.getByText('正在加载').waitFor({ state: 'detached', timeout: 10_000 });
}

async function roundtables(page: Page): Promise<Listed[]> {
  const response = await page.request.get(`${app.url}/api/roundtables`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as Listed[] | { roundtables: Listed[] };
  return Array.isArray(body) ? body : body.roundtables;
}

describe('every demo roundtable page loads', () => {
  it.each(['secretary', 'leader'])(
    'for %s, with no console error',
    async (user) => {
      const page = await app.signIn(user, { width: 1280, height: 800 });
      const errors = watchErrors(page);
      const listed = await roundtables(page);
      expect(listed.length).toBeGreaterThanOrEqual(4);
      const failures: string[] = [];
      for (const rt of listed) {
        for (const suffix of ['', '/console', '/projector', '/result']) {
          errors.length = 0;
          const where = `${rt.title} (${rt.stage}) ${suffix || '/'}`;
          try {
            await open(page, `/roundtables/${rt.id}${suffix}`);
          } catch (e) {
            failures.push(`${where}: did not load (${String(e).split('\n')[0]})`);
          }
          if (errors.length) failures.push(`${where}: ${errors.join(' | ')}`);
        }
      }
      expect(failures).toEqual([]);
    },
    300_000,
  );

  it('the console still loads after a topic is raised mid-meeting', async () => {
    const resident = await app.signIn('resident', { width: 375, height: 812 });
    const live = (await roundtables(resident)).find((rt) => rt.stage === 'discuss')!;
    const raised = await resident.request.post(`${app.url}/api/roundtables/${live.id}/topics`, {
      headers: { origin: app.url },
      data: { title: '议事中提出的新议题', category: 'other' },
    });
    expect(raised.status(), await raised.text()).toBe(201);

    const chair = await app.signIn('secretary', { width: 1280, height: 800 });
    const errors = watchErrors(chair);
    await open(chair, `/roundtables/${live.id}/console`);
    await chair.getByText('议事中提出的新议题').first().waitFor();
    expect(errors).toEqual([]);
  });
});
