import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { buildApp, type App, type BuildOptions } from '@tongxin/server';
import type { RedisBroadcast } from '../../server/src/realtime/redis-broadcast.ts';
import { createMigratedTestDatabase, onRealPostgres } from './database.ts';
import { registerTestDocuments, type LiveTestApp } from './realtime.ts';

/** Several instances need a real PostgreSQL (TEST_DATABASE_URL) and a Redis. */
export const clusterTestsEnabled = onRealPostgres();
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ClusterInstance extends LiveTestApp {
  /** The instance's fan-out, with its seam that drops incoming messages. */
  broadcast: RedisBroadcast;
}

export interface TestCluster {
  /** A Redis channel prefix of its own, so parallel test files never hear each other. */
  prefix: string;
  databaseUrl: string;
  /** Starts one more instance on the same database and Redis (`redisUrl` to go through a proxy). */
  start(options?: Partial<BuildOptions> & { redisUrl?: string }): Promise<ClusterInstance>;
  close(): Promise<void>;
}

/** Instances of the real app sharing one fresh PostgreSQL database and one Redis. */
export async function createTestCluster(
  setup: (app: App) => void = registerTestDocuments,
): Promise<TestCluster> {
  const database = await createMigratedTestDatabase();
  const databaseUrl = database.config.databaseUrl;
  if (!databaseUrl) throw new Error('several instances need TEST_DATABASE_URL');
  const prefix = `tongxin-test-${randomBytes(6).toString('hex')}`;
  const instances: ClusterInstance[] = [];
  return {
    prefix,
    databaseUrl,
    async start(options = {}) {
      const { redisUrl, ...rest } = options;
      const app = await buildApp({
        database: { databaseUrl },
        demo: false,
        webDir: null,
        cluster: { redisUrl: redisUrl ?? TEST_REDIS_URL, prefix },
        ...rest,
      });
      setup(app);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const instance: ClusterInstance = {
        app,
        origin: `http://127.0.0.1:${address.port}`,
        wsUrl: `ws://127.0.0.1:${address.port}/yjs`,
        broadcast: app.live.broadcast as RedisBroadcast,
        close: () => app.close(),
      };
      instances.push(instance);
      return instance;
    },
    async close() {
      for (const instance of instances.splice(0)) await instance.close().catch(() => {});
      await database.drop();
    },
  };
}

/**
 * A TCP proxy in front of Redis that a test can cut and restore, so one instance loses
 * Redis while the shared Redis itself goes on serving everyone else.
 */
export class RedisProxy {
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target = new URL(TEST_REDIS_URL)) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    if (address && typeof address !== 'string') this.port = address.port;
    this.#server = server;
  }

  /** Redis "goes down" for whoever connects through here: refused and cut. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The smallest balancer: each TCP connection goes to the first backend that accepts it, so
 * when one instance dies its phones' reconnects land on the next. With `spread`, each new
 * connection starts one backend further (round robin), then fails over the same way.
 */
export class FailoverBalancer {
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  #next = 0;
  port = 0;

  constructor(
    private readonly backends: number[],
    private readonly options: { spread?: boolean } = {},
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      client.on('error', () => {});
      this.#sockets.add(client);
      client.on('close', () => this.#sockets.delete(client));
      const n = this.backends.length;
      const first = this.options.spread ? this.#next++ % n : 0;
      const tryBackend = (i: number) => {
        if (i >= n) return client.destroy();
        const upstream = net.connect(this.backends[(first + i) % n]!, '127.0.0.1');
        let connected = false;
        upstream.on('error', () => {
          if (connected) client.destroy();
          else tryBackend(i + 1);
        });
        upstream.once('connect', () => {
          connected = true;
          client.pipe(upstream).pipe(client);
          upstream.on('close', () => client.destroy());
          client.on('close', () => upstream.destroy());
        });
      };
      tryBackend(0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address && typeof address !== 'string') this.port = address.port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
