import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_OPTIONS, CHROMIUM_PATH } from './browser.ts';
import { embeddedTemplate } from './template.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Browser tests drive the built app: the web build (built once if it is missing) served by
 * the compiled server (rebuilt when older than its sources, about a second), each file on a
 * copy of the migrated template database, made here once, and driving one Chromium.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(`${root}/web/build/index.html`))
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
  else execSync('node scripts/build-server.mjs --if-stale', { cwd: root, stdio: 'inherit' });
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      'Chromium is missing: apt-get install chromium-headless-shell fonts-noto-cjk (or set CHROMIUM_PATH).',
    );
  }
  await embeddedTemplate();
  // One Chromium for every file (each connects and makes its own contexts), rather than a
  // launch and a shutdown of its processes per file.
  const chromiumServer = await chromium.launchServer(CHROMIUM_OPTIONS);
  project.provide('chromiumEndpoint', chromiumServer.wsEndpoint());
  return () => chromiumServer.close();
}
