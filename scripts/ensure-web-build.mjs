// `npm start` serves the web build; build it once if a fresh clone has none yet.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../web/build/index.html', import.meta.url))) {
  console.log('Building the web app once (web/build is missing)…');
  execSync('npm run build', { stdio: 'inherit' });
}
