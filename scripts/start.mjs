// `npm start`: runs the compiled server, building first whatever is missing or older than its
// sources — the web app (web/build, about 20 s) and the server (server/dist, about a second) —
// so a fresh clone's `npm install && npm start`, and a start after `git pull`, just work.
import { execSync } from 'node:child_process';
import { statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, newestMtime, serverBuildStale, serverOutput } from './build-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const webSources = [
  'web/src',
  'web/messages',
  'web/static',
  'web/i18n',
  'web/project.inlang/settings.json',
  'web/svelte.config.js',
  'web/vite.config.ts',
  'web/package.json',
  'shared/src',
  'package-lock.json',
];

/** The reason web/build must be (re)built, or null when it is newer than every source. */
function webBuildStale() {
  let built;
  try {
    built = statSync(`${root}/web/build/index.html`).mtimeMs;
  } catch {
    return 'web/build is missing';
  }
  // Paraglide's output is generated from web/messages by every check and build: not a source.
  return newestMtime(webSources, ['web/src/lib/paraglide']) > built
    ? 'the web sources changed since the last build'
    : null;
}

const web = webBuildStale();
if (web) {
  console.log(`Building the web app (${web})…`);
  execSync('npm run build -w web', { cwd: root, stdio: 'inherit' });
}
const server = serverBuildStale();
if (server) {
  console.log(`Compiling the server (${server})…`);
  await buildServer();
}
// Stack traces name the TypeScript files (server/dist/main.js.map).
process.setSourceMapsEnabled(true);
// Node 22.1+ keeps the compiled code of node_modules between starts (absent on Node 20).
module.enableCompileCache?.();
// In this process: a second Node would cost its start-up time and memory again.
await import(pathToFileURL(serverOutput).href);
