import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb } from '@tongxin/db/create-db';
import { migrateToLatest } from '@tongxin/db/migrate';

// A fresh embedded database costs seconds of CPU before the first test: PGlite runs initdb
// (a whole Postgres cluster, in WebAssembly), then every migration. Tests instead copy a data
// directory migrated once (opening an existing cluster skips initdb); on real Postgres,
// `create database … template` does the same. The template is named after the migrations it
// ran, so a changed or added migration makes a new one.

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** A hash of every migration file and the PGlite version: what the template's files depend on. */
function schemaKey(): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else hash.update(name).update(readFileSync(path));
    }
  };
  visit(join(root, 'db/src/migrations'));
  hash.update(pgliteVersion());
  return hash.digest('hex').slice(0, 16);
}

/** The version of the PGlite the db package loads (its package.json is not exported). */
function pgliteVersion(): string {
  let dir = dirname(require.resolve('@electric-sql/pglite', { paths: [join(root, 'db')] }));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      if (name === '@electric-sql/pglite') return version!;
    }
    if (dirname(dir) === dir) throw new Error('PGlite package.json not found');
    dir = dirname(dir);
  }
}

let key: string | undefined;
const templateKey = () => (key ??= schemaKey());

/** Memory-backed when the machine has it: test databases are written a lot and thrown away. */
export const scratchDir = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

const templatePath = () => join(scratchDir(), `tongxin-test-template-${templateKey()}`);

let building: Promise<string> | undefined;

/**
 * The migrated embedded template's directory, built on first use. Several processes may
 * build it at once: each builds its own copy and renames it into place; the first wins.
 */
export function embeddedTemplate(): Promise<string> {
  building ??= (async () => {
    const path = templatePath();
    if (existsSync(join(path, 'PG_VERSION'))) return path;
    const staging = await mkdtemp(`${path}.building-`);
    try {
      const handle = await createDb({ dataDir: staging });
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      try {
        renameSync(staging, path);
      } catch (error) {
        // Another process got there first (the target exists and is not empty).
        if (!existsSync(join(path, 'PG_VERSION'))) throw error;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return path;
  })();
  return building;
}

const copies = new Set<string>();
// Copies live in memory (/dev/shm): one a test forgot to drop must not outlive its process.
process.once('exit', () => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the template in a new directory: a migrated, empty embedded database. In memory
 * unless `parent` says where (tests of the files on disk).
 */
export async function copyEmbeddedTemplate(
  prefix = 'tongxin-test-',
  parent = scratchDir(),
): Promise<string> {
  const template = await embeddedTemplate();
  const dir = await mkdtemp(join(parent, prefix));
  copies.add(dir);
  // cp(1) copies the cluster's thousand-odd files in a fraction of fs.cp's CPU time.
  if (process.platform === 'win32') await cp(template, dir, { recursive: true });
  else await run('cp', ['-R', `${template}/.`, dir]);
  return dir;
}

/** Deletes a copy (its database closed first). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  copies.delete(dir);
}

/**
 * The name of a migrated template database on the Postgres server at adminUrl, created on
 * first use. An advisory lock keeps two processes from building it at once.
 */
export async function postgresTemplate(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_template_${templateKey()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    const found = await admin.query(
      'select 1 from pg_database where datname = $1 and datistemplate',
      [name],
    );
    if (found.rowCount === 0) {
      // A build that died half-way leaves a database not yet marked as a template.
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const handle = await createDb({ databaseUrl: url.toString(), poolSize: 1 });
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      // A template accepts no connections, so copies of it never wait on a stray session.
      await admin.query(`alter database ${name} with is_template true allow_connections false`);
    }
    return name;
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    await admin.end();
  }
}
