import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { UserBudgets } from './budget.ts';

export interface SharedLimitsOptions {
  url: string;
  prefix?: string;
  log?: FastifyBaseLogger;
  /** How often an instance rewrites its socket counts and says it is alive (TTL: 3×). */
  heartbeatMs?: number;
  /** How often spent bytes and server time are exchanged with the other instances. */
  budgetSyncMs?: number;
}

// Alive instances: a sorted set scored by when each one's counts expire (Redis's clock, so
// instances on machines whose clocks differ agree). Each instance's sockets per user: a hash
// it rewrites from its own sockets on every heartbeat, with a TTL, so a dead instance's
// counts vanish by themselves and a Redis restart heals at the next heartbeat.
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('DEL', KEYS[2])
-- In chunks: Lua's unpack stops at a few thousand values (a hall of phones is more).
for i = 3, #ARGV, 1000 do
  redis.call('HSET', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if #ARGV > 2 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`;

// One more socket for a user: refused when, with the user's sockets on the other alive
// instances, it would pass the cap; else this instance's count for them is recorded. The
// hashes of other instances are named from the set (standalone Redis, not Redis Cluster).
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local me, user, here, cap, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local others = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  if id ~= me then
    others = others + tonumber(redis.call('HGET', ARGV[6] .. id, user) or '0')
  end
end
if others + here > cap then return 0 end
redis.call('HSET', KEYS[2], user, here)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
`;

type SharedRedis = Redis & {
  tongxinHeartbeat(instances: string, mine: string, ...args: string[]): Promise<number>;
  tongxinAdmit(instances: string, mine: string, ...args: string[]): Promise<number>;
};

/**
 * The per-user socket cap and the per-user byte and time budgets held across instances
 * (several-instance mode): sockets are counted in Redis per instance, spent bytes and time
 * exchanged every second, each instance charging its own buckets with what the user spent on
 * the others. Redis down or slow, each instance falls back on its own limits (fail open:
 * a phone is never refused because Redis is away).
 */
export class SharedLimits {
  readonly #redis: SharedRedis;
  readonly #id = randomBytes(8).toString('hex');
  readonly #prefix: string;
  readonly #instances: string;
  readonly #mine: string;
  readonly #ttl: number;
  readonly #log: FastifyBaseLogger | undefined;
  readonly #timers: NodeJS.Timeout[] = [];
  /** What the other instances had spent per user when last read: `<instance>:b|t` → value. */
  readonly #seen = new Map<string, Map<string, number>>();
  #budgets: UserBudgets | null = null;
  #closed = false;

  constructor(private readonly options: SharedLimitsOptions) {
    this.#prefix = `${options.prefix ?? 'tongxin'}:`;
    this.#instances = `${this.#prefix}live-instances`;
    this.#mine = `${this.#prefix}sockets:${this.#id}`;
    this.#ttl = 3 * (options.heartbeatMs ?? 5000);
    this.#log = options.log;
    this.#redis = new Redis(options.url, {
      connectTimeout: 1000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    }) as SharedRedis;
    this.#redis.on('error', () => {}); // readiness reports Redis through the fan-out
    this.#redis.defineCommand('tongxinHeartbeat', { numberOfKeys: 2, lua: HEARTBEAT });
    this.#redis.defineCommand('tongxinAdmit', { numberOfKeys: 2, lua: ADMIT });
  }

  get #ready(): boolean {
    return !this.#closed && this.#redis.status === 'ready';
  }

  /**
   * Starts the heartbeat (`counts` are this instance's sockets per user, the truth the hash
   * is rewritten from) and the budget exchange.
   */
  start(counts: () => Iterable<[string, number]>, budgets: UserBudgets): void {
    this.#budgets = budgets;
    budgets.recordSpending();
    const heartbeat = () => void this.#heartbeat(counts);
    heartbeat();
    this.#redis.on('ready', heartbeat);
    this.#timers.push(
      setInterval(heartbeat, this.options.heartbeatMs ?? 5000),
      setInterval(() => void this.#syncBudgets(), this.options.budgetSyncMs ?? 1000),
    );
    for (const timer of this.#timers) timer.unref();
  }

  async #heartbeat(counts: () => Iterable<[string, number]>): Promise<void> {
    if (!this.#ready) return;
    const args: string[] = [];
    for (const [userId, count] of counts()) if (count > 0) args.push(userId, String(count));
    try {
      await this.#redis.tongxinHeartbeat(
        this.#instances,
        this.#mine,
        this.#id,
        String(this.#ttl),
        ...args,
      );
    } catch (error) {
      this.#log?.debug({ err: error }, 'shared limits heartbeat failed');
    }
  }

  /**
   * May the user hold `here` sockets on this instance (the new one included), given theirs
   * on the others? True when Redis cannot say within half a second.
   */
  async admitSocket(userId: string, here: number, cap: number): Promise<boolean> {
    if (!this.#ready) return true;
    try {
      const answer = await withTimeout(
        this.#redis.tongxinAdmit(
          this.#instances,
          this.#mine,
          this.#id,
          userId,
          String(here),
          String(cap),
          String(this.#ttl),
          `${this.#prefix}sockets:`,
        ),
        500,
      );
      if (answer === 1 && !this.#seen.has(userId)) void this.#baseline(userId);
      return answer === 1;
    } catch {
      return true;
    }
  }

  /**
   * From the user's first socket here, what they spend on the other instances is charged
   * here: the counters as they stand now are the starting point.
   */
  async #baseline(userId: string): Promise<void> {
    const value = await this.#redis.hgetall(`${this.#prefix}spend:${userId}`).catch(() => null);
    if (!value || this.#seen.has(userId)) return;
    this.#seen.set(userId, new Map(Object.entries(value).map(([f, v]) => [f, Number(v)])));
  }

  /** The user's sockets here changed (one closed, or one refused). */
  socketsHere(userId: string, here: number): void {
    if (here === 0) this.#seen.delete(userId);
    if (!this.#ready) return;
    const done =
      here > 0 ? this.#redis.hset(this.#mine, userId, here) : this.#redis.hdel(this.#mine, userId);
    done.catch(() => {});
  }

  /**
   * Every second: add what users spent here to their shared counters, read what they spent
   * on the other instances since the last read, and charge it to their budgets here. Only
   * users who spent here are read: a budget matters where its user is sending, and what
   * they spent elsewhere meanwhile is in the counters, charged at their next exchange.
   */
  async #syncBudgets(): Promise<void> {
    const budgets = this.#budgets;
    if (!budgets || !this.#ready) return;
    const spent = budgets.takeSpending();
    if (spent.size === 0) return;
    const users = [...spent.keys()];
    const pipeline = this.#redis.pipeline();
    /** Where each user's HGETALL is among the pipeline's results. */
    const reads: number[] = [];
    for (const [userId, { bytes, ms }] of spent) {
      const key = `${this.#prefix}spend:${userId}`;
      if (bytes > 0) pipeline.hincrby(key, `${this.#id}:b`, Math.round(bytes));
      if (ms > 0) pipeline.hincrbyfloat(key, `${this.#id}:t`, ms.toFixed(3));
      pipeline.pexpire(key, 60_000);
      reads.push(pipeline.length);
      pipeline.hgetall(key);
    }
    const results = await withTimeout(pipeline.exec(), 1000).catch(() => null);
    if (!results) return; // this second's spending stays counted here only
    users.forEach((userId, i) => {
      const [error, value] = results[reads[i]!] ?? [null, null];
      if (error || !value) return;
      let seen = this.#seen.get(userId);
      const first = !seen;
      if (!seen) this.#seen.set(userId, (seen = new Map()));
      let bytes = 0;
      let ms = 0;
      for (const [field, raw] of Object.entries(value as Record<string, string>)) {
        if (field.startsWith(`${this.#id}:`)) continue;
        const now = Number(raw);
        // A counter absent from the starting point was started since: all of it is new.
        const before = seen.get(field) ?? 0;
        seen.set(field, now);
        // Without a starting point (Redis did not answer when the socket came), the first
        // read becomes it and charges nothing: at most one exchange of slack.
        if (first || now < before) continue;
        if (field.endsWith(':b')) bytes += now - before;
        else ms += now - before;
      }
      if (bytes > 0 || ms > 0) budgets.charge(userId, bytes, ms);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    for (const timer of this.#timers) clearInterval(timer);
    if (this.#redis.status === 'ready') {
      await withTimeout(
        Promise.all([this.#redis.del(this.#mine), this.#redis.zrem(this.#instances, this.#id)]),
        1000,
      ).catch(() => {});
    }
    this.#closed = true;
    try {
      await withTimeout(this.#redis.quit(), 1000);
    } catch {
      this.#redis.disconnect();
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
