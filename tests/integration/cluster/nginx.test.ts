import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clusterTestsEnabled, TEST_REDIS_URL } from '../../support/cluster.ts';
import {
  cleanUpLiveProcesses,
  liveStorage,
  startLiveProcess,
  type LiveProcess,
} from '../../support/live-process.ts';
import { connect, signUpOver, waitFor } from '../../support/realtime.ts';
import { freePort } from '../../support/redis-server.ts';

// The shipped deploy/nginx/tongxin.conf in front of two instances (child processes on one
// PostgreSQL and one Redis): an nginx of the test's own (prefix, pid, logs and temp files in
// a temporary folder, no root), the conf rendered with the instances' ports.

// Debian puts it in /usr/sbin, which a non-root PATH may lack.
const nginxBin = ['nginx', '/usr/sbin/nginx'].find((bin) => spawnSync(bin, ['-v']).status === 0);
const shippedConf = fileURLToPath(new URL('../../../deploy/nginx/tongxin.conf', import.meta.url));

/**
 * The templating step: the upstream's `server 127.0.0.1:PORT …;` lines take the given ports
 * (extra lines dropped), `listen 80;` the given port on 127.0.0.1. Everything else as shipped.
 */
function renderConf(text: string, backends: number[], listenPort: number): string {
  let i = 0;
  const lines = text.split('\n').flatMap((line) => {
    const server = /^(\s*server )127\.0\.0\.1:\d+(.*)$/.exec(line);
    if (server)
      return i < backends.length ? [`${server[1]}127.0.0.1:${backends[i++]}${server[2]}`] : [];
    if (/^\s*listen 80;\s*$/.test(line)) return [`    listen 127.0.0.1:${listenPort};`];
    return [line];
  });
  if (i !== backends.length) throw new Error('the conf has fewer upstream servers than backends');
  return lines.join('\n');
}

class Nginx {
  readonly dir = mkdtempSync(join(tmpdir(), 'tongxin-nginx-'));
  #child: ChildProcess | null = null;
  port = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  async start(backends: number[]): Promise<void> {
    this.port = await freePort();
    const d = this.dir;
    for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(d, t));
    writeFileSync(
      join(d, 'tongxin.conf'),
      renderConf(readFileSync(shippedConf, 'utf8'), backends, this.port),
    );
    // The test's own wrapper (what Debian's /etc/nginx/nginx.conf is in production), plus a
    // header naming the instance that answered, so the test knows whom to kill.
    writeFileSync(
      join(d, 'nginx.conf'),
      `worker_processes 1;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${d}/access.log;
  client_body_temp_path ${d}/body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
  add_header X-Tongxin-Upstream $upstream_addr always;
  include ${d}/tongxin.conf;
}
`,
    );
    const args = ['-p', d, '-e', join(d, 'error.log'), '-c', join(d, 'nginx.conf')];
    const check = spawnSync(nginxBin!, [...args, '-t']);
    if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr.toString()}`);
    const child = spawn(nginxBin!, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
    this.#child = child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(readFileSync(join(d, 'error.log'), 'utf8'));
      return fetch(`${this.origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
    }, 'nginx answers');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe.skipIf(!clusterTestsEnabled || !nginxBin)('behind the shipped nginx conf', () => {
  const opened: Array<{ provider: { destroy(): void } }> = [];
  const nginx = new Nginx();
  afterEach(() => {
    for (const c of opened.splice(0)) c.provider.destroy();
  });
  afterAll(async () => {
    await nginx.stop();
    await cleanUpLiveProcesses();
  });

  it('balances HTTP and WebSocket; killing an instance sends its phone to the other', async () => {
    const store = await liveStorage();
    const prefix = `tongxin-test-${randomBytes(6).toString('hex')}`;
    const env = { LIVE_REDIS_URL: TEST_REDIS_URL, LIVE_REDIS_PREFIX: prefix };
    const [a, b] = await Promise.all([startLiveProcess(store, env), startLiveProcess(store, env)]);
    await nginx.start([a.port, b.port]);

    // HTTP through nginx: readiness, and a registration (a POST whose Origin is nginx's).
    const ready = await fetch(`${nginx.origin}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, cluster: true });
    const phoneCookie = await signUpOver(nginx.origin, 'phone');
    const me = await fetch(`${nginx.origin}/api/auth/me`, {
      headers: { cookie: phoneCookie },
    });
    expect(me.status).toBe(200);

    // The phone through nginx, a y-websocket client with its upgrade answer recorded.
    const upstreams: string[] = [];
    const Phone = class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: phoneCookie, origin: nginx.origin } });
        this.on('upgrade', (res) => upstreams.push(String(res.headers['x-tongxin-upstream'])));
      }
    };
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(nginx.wsUrl, 'test:nginx', doc, {
      WebSocketPolyfill: Phone as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 500,
    });
    opened.push({ provider });
    const phone = doc.getText('t');
    await waitFor(() => provider.synced, 'the phone synced through nginx');
    const first = upstreams.at(-1);
    const [held, other]: [LiveProcess, LiveProcess] = first?.endsWith(`:${a.port}`)
      ? [a, b]
      : [b, a];
    expect(first).toBe(`127.0.0.1:${held.port}`);

    // A watcher straight on the other instance: the two sync across instances.
    const watcherCookie = await signUpOver(other.origin, 'watcher');
    const watcher = connect(other.wsUrl, 'test:nginx', {
      cookie: watcherCookie,
      origin: other.origin,
    });
    opened.push(watcher);
    await waitFor(() => watcher.provider.synced, 'the watcher synced');
    for (let i = 0; i < 10; i++) phone.insert(phone.length, `p${i};`);
    watcher.text.insert(0, 'w;');
    await waitFor(
      () =>
        watcher.text.toString() === phone.toString() &&
        phone.toString().includes('w;') &&
        phone.toString().includes('p9;'),
      'phone and watcher converge',
    );

    // kill -9 of the phone's instance: nginx sends its reconnect to the other.
    await held.kill();
    await waitFor(() => !provider.wsconnected, 'the phone notices');
    await waitFor(() => provider.wsconnected && provider.synced, 'the phone back', 10_000);
    expect(upstreams.at(-1)).toContain(`127.0.0.1:${other.port}`);
    for (let i = 10; i < 15; i++) phone.insert(phone.length, `p${i};`);
    await waitFor(
      () => watcher.text.toString() === phone.toString() && phone.toString().includes('p14;'),
      'converged after the kill',
    );
    const text = watcher.text.toString();
    for (let i = 0; i < 15; i++) expect(text.split(`p${i};`).length - 1, `p${i}`).toBe(1);

    // HTTP goes on too, on the instance left.
    expect((await fetch(`${nginx.origin}/api/ready`)).status).toBe(200);
  });
});
