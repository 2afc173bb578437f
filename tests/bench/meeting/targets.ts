// The two servers of the meeting benchmark, each started as its own child process:
// - ours: the app as `npm start` runs it (node --import tsx server/src/main.ts) on a fresh
//   Postgres database with the demo district (its 电动车充电难 is live in 议事), N residents
//   and their sessions written straight into the database (sessions hold sha256(token)), so
//   no login and no login rate limit is part of the run; the demo secretary chairs by HTTP.
// - floor: @y/websocket-server as tests/bench/realtime/reference-server.ts sets it up.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuSeconds, lines, stop } from '../proc.ts';
import type { ProbeStats } from './server-probe.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SERVER_START_MS = 180_000;
const IPC_MS = 30_000;

export interface Target {
  kind: 'ours' | 'floor';
  pid: number;
  origin: string;
  wsUrl: string;
  roundtableId: string;
  phones: Array<{ userId: string; cookie: string }>;
  /** Statements the server sent to the database so far, and its RSS after a full GC. */
  stats(): Promise<ProbeStats>;
  /** CPU seconds of the database's backends serving this server (0 for the floor). */
  dbCpu(): Promise<number>;
  /** The chair's POSTs (ours only). */
  openVote(): Promise<{ id: string; ms: number }>;
  closeVote(id: string): Promise<number>;
  close(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${SERVER_START_MS / 1000} s`)),
      SERVER_START_MS,
    );
    lines(child, (line) => {
      const match = pattern.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready`));
    });
  });
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * CPU of Postgres backends connected to one database, sampled every 500 ms so backends that
 * the pool closes meanwhile are still counted up to their last sample.
 */
class BackendCpu {
  #last = new Map<number, number>();
  #total = 0;
  readonly #timer: ReturnType<typeof setInterval>;
  constructor(
    readonly admin: pg.Client,
    readonly database: string,
  ) {
    this.#timer = setInterval(() => void this.sample().catch(() => {}), 500);
  }
  async sample(): Promise<number> {
    const { rows } = await this.admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [this.database],
    );
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      this.#total += Math.max(0, cpu - (this.#last.get(pid) ?? cpu));
      this.#last.set(pid, cpu);
    }
    return this.#total;
  }
  stop() {
    clearInterval(this.#timer);
  }
}

export async function startOurs(n: number, adminUrl: string): Promise<Target> {
  const database = `tongxin_meet_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url.toString(),
    PORT: '0',
    HOST: '127.0.0.1',
    TONGXIN_DEMO: '1',
    LOG_LEVEL: 'warn',
  };
  for (const key of [
    'NODE_ENV',
    'TONGXIN_PUBLIC_ORIGIN',
    'TONGXIN_TRUST_PROXY',
    'TONGXIN_DATA_DIR',
  ])
    delete env[key];
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      './tests/bench/meeting/server-probe.ts',
      'server/src/main.ts',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const cpu = new BackendCpu(admin, database);
  let db: pg.Client | null = null;
  const close = async () => {
    cpu.stop();
    await db?.end().catch(() => {});
    await stop(child);
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  };
  try {
    const [, port] = await waitForLine(child, /running at http:\/\/localhost:(\d+)/, 'our server');
    const origin = `http://127.0.0.1:${port}`;
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const one = async <T>(sql: string, params: unknown[] = []) => {
      const { rows } = await db!.query(sql, params);
      if (!rows[0]) throw new Error(`the demo data lacks: ${sql}`);
      return rows[0] as T;
    };
    const place = await one<{ id: string }>(
      `select id from places where name = '幸福社区' and kind = 'community'`,
    );
    const roundtable = await one<{ id: string }>(
      `select id from roundtables where title = '电动车充电难' and stage = 'discuss'`,
    );
    const topic = await one<{ id: string }>(
      `select t.id from topics t join roundtables r on r.id = t.roundtable_id
       where r.id = $1 and t.status = 'accepted'
       order by t.id = r.current_topic_id desc, t.agenda_position limit 1`,
      [roundtable.id],
    );
    const secretary = await one<{ id: string }>(
      `select id from users where username = 'secretary'`,
    );
    const { rows: users } = await db.query<{ id: string }>(
      `insert into users (username, display_name, password_hash)
       select 'meet' || i, '居民' || i, 'not-a-password' from generate_series(1, $1::int) i
       returning id`,
      [n],
    );
    await db.query(
      `insert into role_assignments (user_id, role, place_id)
       select unnest($1::uuid[]), 'resident', $2`,
      [users.map((u) => u.id), place.id],
    );
    const tokens = users.map(() => randomBytes(20).toString('hex'));
    const chairToken = randomBytes(20).toString('hex');
    await db.query(
      `insert into sessions (id, user_id, expires_at)
       select unnest($1::text[]), unnest($2::uuid[]), now() + interval '30 days'`,
      [[...tokens, chairToken].map(hash), [...users.map((u) => u.id), secretary.id]],
    );
    const cookie = (token: string) => `tongxin_session=${token}`;
    const post = async (path: string, body: unknown) => {
      const started = performance.now();
      const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { cookie: cookie(chairToken), origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      return { status: res.status, json, ms: performance.now() - started };
    };
    // The demo's own open vote ends before the bench's begin.
    const { rows: open } = await db.query<{ id: string }>(
      `select id from votes where roundtable_id = $1 and status = 'open'`,
      [roundtable.id],
    );
    for (const v of open) await post(`/api/votes/${v.id}/close`, {});
    let votes = 0;
    return {
      kind: 'ours',
      pid: child.pid!,
      origin,
      wsUrl: `ws://127.0.0.1:${port}/yjs`,
      roundtableId: roundtable.id,
      phones: users.map((u, i) => ({ userId: u.id, cookie: cookie(tokens[i]!) })),
      stats: () =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('the server probe did not answer')),
            IPC_MS,
          );
          child.once('message', (m) => {
            clearTimeout(timer);
            resolve(m as ProbeStats);
          });
          child.send('stats');
        }),
      dbCpu: () => cpu.sample(),
      async openVote() {
        const body = { question: `压测表决 ${++votes}`, kind: 'yes_no' };
        let res = await post(`/api/topics/${topic.id}/votes`, body);
        // Below the quorum the chair confirms, as the console asks (a second POST).
        if (res.status === 409 && (res.json.error as { code?: string })?.code === 'below_quorum')
          res = await post(`/api/topics/${topic.id}/votes`, { ...body, belowQuorum: true });
        if (res.status !== 201) throw new Error(`open vote answered ${res.status}`);
        return { id: String(res.json.id), ms: res.ms };
      },
      async closeVote(id) {
        const res = await post(`/api/votes/${id}/close`, {});
        if (res.status !== 200) throw new Error(`close vote answered ${res.status}`);
        return res.ms;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function startFloor(n: number): Promise<Target> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'tests/bench/realtime/reference-server.ts'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [, info] = await waitForLine(child, /^BENCH_READY (.*)$/, 'the floor server');
    const { port } = JSON.parse(info!) as { port: number };
    const origin = `http://127.0.0.1:${port}`;
    const unsupported = () => Promise.reject(new Error('the floor has no HTTP commands'));
    return {
      kind: 'floor',
      pid: child.pid!,
      origin,
      wsUrl: `ws://127.0.0.1:${port}`,
      roundtableId: `meeting-${randomBytes(4).toString('hex')}`,
      phones: Array.from({ length: n }, (_, i) => ({ userId: `p${i}`, cookie: '' })),
      async stats() {
        // A starved relay may drop the first try; three before giving up.
        const memory = () => fetch(`${origin}/__bench/memory`);
        const res = await memory()
          .catch(() => new Promise((r) => setTimeout(r, 1000)).then(memory))
          .catch(() => new Promise((r) => setTimeout(r, 5000)).then(memory));
        const m = (await res.json()) as { rss: number; js: number };
        return { statements: 0, rss: m.rss, js: m.js };
      },
      dbCpu: async () => 0,
      openVote: unsupported,
      closeVote: unsupported,
      close: () => stop(child),
    };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
