// Compiles the server ahead of time: server/src/main.ts and the workspace packages it imports
// (@tongxin/shared, @tongxin/db) become one ES module, server/dist/main.js, so a start loads
// JavaScript instead of compiling TypeScript. Third-party packages mostly stay in node_modules,
// where they find their own files (PGlite's wasm, argon2's binary). See decision 0010.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const serverEntry = join(root, 'server/src/main.ts');
export const serverOutput = join(root, 'server/dist/main.js');

/** What the bundle is made of: a change to any of these makes server/dist stale. */
const serverSources = ['server/src', 'db/src', 'shared/src', 'shared/messages'];
const serverInputs = [
  'package-lock.json',
  'server/package.json',
  'db/package.json',
  'shared/package.json',
  'scripts/build-server.mjs',
];

/**
 * The newest modification time (ms) of the files under the given paths (relative to the
 * repository), skipping the `except` ones; 0 when none exist.
 */
export function newestMtime(paths, except = []) {
  let newest = 0;
  const skipped = new Set(except.map((path) => join(root, path)));
  const visit = (path) => {
    if (skipped.has(path)) return;
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

/** The reason server/dist must be (re)built, or null when it is newer than every source. */
export function serverBuildStale() {
  let built;
  try {
    built = statSync(serverOutput).mtimeMs;
  } catch {
    return 'server/dist is missing';
  }
  return newestMtime([...serverSources, ...serverInputs]) > built
    ? 'the server sources changed since the last build'
    : null;
}

/**
 * server/dist/main.js looks packages up from server/dist, so it finds the hoisted copies in
 * node_modules. A workspace with its own copy (db/node_modules/x, after a version clash) would
 * silently get the other one: that is refused at build time.
 */
function nestedCopy(specifier, importer) {
  if (specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const workspace = ['db', 'shared'].find((ws) => importer.startsWith(join(root, ws, 'src')));
  const copy = workspace && join(workspace, 'node_modules', name);
  return copy && existsSync(join(root, copy)) ? copy : null;
}

/**
 * Packages compiled into the bundle besides our workspaces. typebox and kysely are ES modules
 * of hundreds of small files each: resolving and compiling them file by file was the largest
 * part of loading the server (typebox/value alone ~0.5 s). Both are plain JavaScript that no
 * external package imports at run time, so one copy in the bundle is the only copy. Packages
 * that must stay single across the bundle and node_modules (yjs, which y-protocols imports)
 * or that load files by path (PGlite, argon2, fastify's plugins) stay external.
 */
const bundled = ['@tongxin/shared', '@tongxin/db', 'typebox', 'kysely'];

export async function buildServer() {
  // Imported here: `npm start` with a fresh build never loads esbuild.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [serverEntry],
    outfile: serverOutput,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    // Stack traces need only the mappings; the sources are in the repository.
    sourcesContent: false,
    // Names stay readable in logs and stack traces.
    minify: false,
    logLevel: 'warning',
    plugins: [
      {
        // Workspace packages are compiled in, and so are the pure-JS packages in `bundled`;
        // every other bare import (fastify, PGlite, node:*) loads from node_modules.
        name: 'external-node-modules',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (bundled.some((name) => args.path === name || args.path.startsWith(`${name}/`)))
              return undefined;
            const copy = nestedCopy(args.path, args.importer);
            if (copy)
              return { errors: [{ text: `${copy} differs from the one server/dist would load` }] };
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
}

// `node scripts/build-server.mjs [--if-stale]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && !serverBuildStale()) process.exit(0);
  const started = performance.now();
  await buildServer();
  console.log(
    `Compiled the server to server/dist/main.js in ${Math.round(performance.now() - started)} ms`,
  );
}
