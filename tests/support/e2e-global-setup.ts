import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Browser tests drive the built app; build it once if it is missing. */
export default function setup() {
  if (!existsSync(`${root}/web/build/index.html`))
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    throw new Error(
      'Chromium is missing: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH).',
    );
  }
}
