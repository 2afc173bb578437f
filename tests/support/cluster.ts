import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { buildApp, type App, type BuildOptions } from '@tongxin/server';
import type { RedisBroadcast } from '../../server/src/realtime/redis-broadcast.ts';
import { meetingWorld, ok, type MeetingWorld } from './meeting-world.ts';
import { createMigratedTestDatabase, onRealPostgres } from './database.ts';
import type { TestClient } from './http.ts';
import { cleanUpLiveProcesses, startLiveProcess, type LiveProcess } from './live-process.ts';
import { residents } from './people.ts';
import { connect, registerTestDocuments, type LiveTestApp } from './realtime.ts';
import { ThinPhone, type ThinPhoneOptions } from './thin-phone.ts';

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

/** A TCP front that a test can take down, cutting every connection through it. */
abstract class TcpFront {
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  /** Cut by `down()` while it is open. */
  protected track(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  /** Listens on `port` (0: any free one, then `port` says which). */
  protected async listen(port: number, onConnection: (client: net.Socket) => void): Promise<void> {
    const server = net.createServer(onConnection);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
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

/**
 * A TCP proxy in front of Redis that a test can cut and restore, so one instance loses
 * Redis while the shared Redis itself goes on serving everyone else. `down()`: Redis "goes
 * down" for whoever connects through here, refused and cut; `up()` again on the same port.
 */
export class RedisProxy extends TcpFront {
  constructor(private readonly target = new URL(TEST_REDIS_URL)) {
    super();
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    await this.listen(this.port, (client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.track(s);
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }
}

/**
 * The smallest balancer: each TCP connection goes to the first backend that accepts it, so
 * when one instance dies its phones' reconnects land on the next. With `spread`, each new
 * connection starts one backend further (round robin), then fails over the same way.
 */
export class FailoverBalancer extends TcpFront {
  #next = 0;

  constructor(
    private readonly backends: number[],
    private readonly options: { spread?: boolean } = {},
  ) {
    super();
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  async up(): Promise<void> {
    await this.listen(0, (client) => {
      client.on('error', () => {});
      this.track(client);
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
  }
}

export interface MeetingClusterOptions {
  /** Live servers in child processes, behind the balancer: they carry the phones. */
  instances: number;
  /** Residents of the meeting's community, signed in, named `${name}0`, `${name}1`, … */
  voters: number;
  name: string;
  /** The yes/no vote opened on the meeting's topic. */
  question: string;
}

type Connection = ReturnType<typeof connect>;

export interface MeetingCluster {
  /** The instance in the test process that seeded the demo district and the meeting. */
  helper: ClusterInstance;
  world: MeetingWorld;
  voters: Array<{ userId: string; client: TestClient }>;
  vote: { id: string };
  /** The child processes on the shared database and Redis, in the balancer's order. */
  instances: LiveProcess[];
  /** In front of `instances`, spreading new connections over them (round robin). */
  balancer: FailoverBalancer;
  /** One more child process on the same database and Redis; `env` adds e.g. LIVE_PORT. */
  startInstance(env?: Record<string, string>): Promise<LiveProcess>;
  /** A y-websocket client, through the balancer unless `via` names an instance. */
  connect(docName: string, cookie: string, via?: { wsUrl: string; origin: string }): Connection;
  /** A thin phone through the balancer. */
  thinPhone(options: Omit<ThinPhoneOptions, 'wsUrl' | 'origin'>): ThinPhone;
  /** Stops the phones and clients made here, then the balancer, the processes and the cluster. */
  close(): Promise<void>;
}

/**
 * A roundtable in 议事 with a vote open, on several instances of the real server (child
 * processes) sharing one PostgreSQL database and one Redis, behind a balancer.
 */
export async function meetingCluster(options: MeetingClusterOptions): Promise<MeetingCluster> {
  const cluster = await createTestCluster();
  const phones: ThinPhone[] = [];
  const opened: Connection[] = [];
  let balancer: FailoverBalancer | undefined;
  const close = async () => {
    for (const phone of phones.splice(0)) phone.stop();
    for (const client of opened.splice(0)) client.provider.destroy();
    await balancer?.down();
    await cleanUpLiveProcesses();
    await cluster.close();
  };
  try {
    const helper = await cluster.start({ demo: true });
    const env = { LIVE_REDIS_URL: TEST_REDIS_URL, LIVE_REDIS_PREFIX: cluster.prefix };
    const store = { env: { LIVE_DATABASE_URL: cluster.databaseUrl } };
    const startInstance = (more: Record<string, string> = {}) =>
      startLiveProcess(store, { ...env, ...more });
    const instances = await Promise.all(
      Array.from({ length: options.instances }, () => startInstance()),
    );
    const world = await meetingWorld(helper.app, 1);
    const voters = await residents(helper.app, world.community, options.voters, options.name);
    const vote = ok<{ id: string }>(
      await world.chair.post(`/api/topics/${world.topicId}/votes`, {
        question: options.question,
        kind: 'yes_no',
      }),
      201,
    );
    balancer = new FailoverBalancer(
      instances.map((p) => p.port),
      { spread: true },
    );
    await balancer.up();
    const front = balancer;
    return {
      helper,
      world,
      voters,
      vote,
      instances,
      balancer: front,
      startInstance,
      connect(docName, cookie, via = front) {
        const client = connect(via.wsUrl, docName, { cookie, origin: via.origin });
        opened.push(client);
        return client;
      },
      thinPhone(phone) {
        const thin = new ThinPhone({ ...phone, wsUrl: front.wsUrl, origin: front.origin });
        phones.push(thin);
        return thin;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
