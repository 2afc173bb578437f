import { afterAll, describe, expect, it } from 'vitest';
import { onRealPostgres } from '../../support/database.ts';
import { removeDataDir, startServer, type ServerProcess } from '../../support/server.ts';

// These tests are about the embedded database's files, so they run on PGlite only.
const embedded = describe.skipIf(onRealPostgres());
const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started)
    if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
  for (const dir of new Set(started.map((s) => s.dataDir))) removeDataDir(dir);
});

async function start(dataDir?: string) {
  const server = await startServer({ demo: false, ...(dataDir ? { dataDir } : {}) });
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
