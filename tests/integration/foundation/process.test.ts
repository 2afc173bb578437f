import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';
import { createTestDatabase, onRealPostgres } from '../../support/database.ts';
import { removeDataDir, startServer, type ServerProcess } from '../../support/server.ts';
import { copyEmbeddedTemplate } from '../../support/template.ts';

// These tests are about the embedded database's files, so they run on PGlite only.
const embedded = describe.skipIf(onRealPostgres());
const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started)
    if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
  for (const dir of new Set(started.map((s) => s.dataDir))) removeDataDir(dir);
});

/** A server on dataDir, or on a new copy of the migrated template on disk. */
async function start(dataDir?: string) {
  dataDir ??= await copyEmbeddedTemplate('tongxin-server-', tmpdir());
  const server = await startServer({ demo: false, dataDir });
  started.push(server);
  return server;
}

async function post(url: string, body: unknown, cookie?: string) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: new URL(url).origin,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

embedded('the embedded database under process failure', () => {
  it('keeps a write that was answered when the server is killed -9 right after, and reopens cleanly', async () => {
    const first = await start();
    const usernames = Array.from({ length: 5 }, (_, i) => `durable-${i}`);
    for (const username of usernames) {
      const res = await post(`${first.url}/api/auth/register`, {
        username,
        displayName: username,
        password: 'a long secret',
      });
      expect(res.status).toBe(201);
    }
    await first.kill(); // no SIGTERM handler, no flush: the answer was the promise

    const second = await start(first.dataDir);
    for (const username of usernames) {
      const res = await post(`${second.url}/api/auth/login`, {
        username,
        password: 'a long secret',
      });
      expect(res.status, username).toBe(200);
    }
    expect(second.output()).not.toMatch(/recover|repair|corrupt/i);
    await second.stop();
  }, 240_000);

  it('refuses a second process on the same data directory with a clear message', async () => {
    const owner = await start();
    await expect(start(owner.dataDir)).rejects.toThrow(
      /in use by another Tongxin process \(pid \d+\)/,
    );
    // The owner is unharmed.
    const health = await fetch(`${owner.url}/api/health`);
    expect(await health.json()).toEqual({ ok: true, database: 'embedded' });
    await owner.stop();
  }, 240_000);

  it('shuts down gracefully on SIGTERM and releases the data directory', async () => {
    const server = await start();
    await server.stop();
    expect(server.child.exitCode).toBe(0);
    const again = await start(server.dataDir);
    await again.stop();
  }, 240_000);
});

// `npm start` runs server/dist/main.js, one bundle compiled from server, db and shared: the
// migrations, the demo seed, PGlite's wasm and the web build must all still be found from it.
describe('the compiled server', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const webBuilt = existsSync(`${root}/web/build/index.html`);

  it('starts on an empty database, migrates, seeds the demo and answers /api/health', async () => {
    execFileSync(process.execPath, ['scripts/build-server.mjs', '--if-stale'], { cwd: root });
    const database = await createTestDatabase(undefined, 'tongxin_compiled');
    const env: Record<string, string> = database.config.databaseUrl
      ? { DATABASE_URL: database.config.databaseUrl }
      : {};
    const server = await startServer({ compiled: true, env });
    started.push(server);
    try {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        ok: true,
        database: onRealPostgres() ? 'postgres' : 'embedded',
      });
      const login = await post(`${server.url}/api/auth/login`, {
        username: 'secretary',
        password: DEMO_PASSWORD,
      });
      expect(login.status).toBe(200);
      if (webBuilt) {
        const page = await fetch(`${server.url}/roundtables`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
      }
      await server.stop();
      expect(server.child.exitCode).toBe(0);
    } finally {
      await database.drop();
    }
  }, 240_000);
});
