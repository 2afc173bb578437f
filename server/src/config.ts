import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { DEFAULT_POOL_SIZE, DEFAULT_RESERVED_CONNECTIONS } from '@tongxin/db/create-db';

const EnvSchema = Type.Object({
  PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  TONGXIN_REDIS_PREFIX: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
  TONGXIN_DB_POOL_SIZE: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
  TONGXIN_DB_RESERVED_CONNECTIONS: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  TONGXIN_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  TONGXIN_DEMO: Type.Optional(Type.Enum(['0', '1'])),
  TONGXIN_PUBLIC_ORIGIN: Type.Optional(Type.String({ pattern: '^https?://' })),
  TONGXIN_TRUST_PROXY: Type.Optional(Type.Enum(['0', '1'])),
  NODE_ENV: Type.Optional(Type.String()),
  TONGXIN_TEST_CLOCK: Type.Optional(Type.Enum(['0', '1'])),
  LOG_LEVEL: Type.Optional(
    Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ),
});

/**
 * Connections the kernel may queue before we accept them (capped by net.core.somaxconn). A
 * hall of phones reconnecting after a restart arrives at once: past Node's default of 511 the
 * rest are dropped, and each dropped phone tries again only after a second, then three.
 */
export const LISTEN_BACKLOG = 4096;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /**
   * Several instances behind a balancer (REDIS_URL): Redis carries live updates and control
   * messages between them, PostgreSQL stays the truth. Undefined: one process, no Redis.
   */
  cluster: { redisUrl: string; prefix: string } | undefined;
  /** PostgreSQL connections everyone's requests share. */
  poolSize: number;
  /**
   * PostgreSQL connections on top of `poolSize` that only the chair's commands may use, so a
   * hall of phones voting cannot queue ahead of "open the vote" (db/src/lanes.ts).
   */
  reservedConnections: number;
  dataDir: string;
  demo: boolean;
  /** Origins allowed to send state-changing requests; empty = the request's own host. */
  publicOrigins: string[];
  trustProxy: boolean;
  production: boolean;
  logLevel: Static<typeof EnvSchema>['LOG_LEVEL'];
  /** Browser tests only: a clock they move on through POST /api/test-clock. */
  testClock: boolean;
}

/** Reads the environment once at start; a bad value stops the server with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(EnvSchema.properties).flatMap((k) =>
      env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]],
    ),
  );
  const errors = [...Value.Errors(EnvSchema, picked)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.instancePath.slice(1) || 'environment'}: ${e.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = picked as Static<typeof EnvSchema>;
  if (e.REDIS_URL && !e.DATABASE_URL)
    throw new Error(
      'Invalid configuration:\n  REDIS_URL turns on several instances, and they must share one ' +
        'PostgreSQL database: set DATABASE_URL too. The embedded database belongs to a single ' +
        'process and cannot be shared.',
    );
  if (e.TONGXIN_TEST_CLOCK === '1' && e.NODE_ENV === 'production')
    throw new Error(
      'Invalid configuration:\n  TONGXIN_TEST_CLOCK lets anyone move the clock on; it is for ' +
        'browser tests and never allowed with NODE_ENV=production.',
    );
  return {
    port: e.PORT ? Number(e.PORT) : 3000,
    host: e.HOST ?? '127.0.0.1',
    databaseUrl: e.DATABASE_URL,
    cluster: e.REDIS_URL
      ? { redisUrl: e.REDIS_URL, prefix: e.TONGXIN_REDIS_PREFIX ?? 'tongxin' }
      : undefined,
    poolSize: e.TONGXIN_DB_POOL_SIZE ? Number(e.TONGXIN_DB_POOL_SIZE) : DEFAULT_POOL_SIZE,
    reservedConnections: e.TONGXIN_DB_RESERVED_CONNECTIONS
      ? Number(e.TONGXIN_DB_RESERVED_CONNECTIONS)
      : DEFAULT_RESERVED_CONNECTIONS,
    dataDir: e.TONGXIN_DATA_DIR ?? 'data',
    demo: e.TONGXIN_DEMO !== '0',
    publicOrigins: e.TONGXIN_PUBLIC_ORIGIN
      ? e.TONGXIN_PUBLIC_ORIGIN.split(',').map((o) => o.trim())
      : [],
    trustProxy: e.TONGXIN_TRUST_PROXY === '1',
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    testClock: e.TONGXIN_TEST_CLOCK === '1',
  };
}
