import { describe, expect, it } from 'vitest';
import { loadConfig } from '@tongxin/server';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./data with demo data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: 'data',
      demo: true,
      databaseUrl: undefined,
      production: false,
      poolSize: 20,
      reservedConnections: 2,
    });
  });

  it('a clock browser tests move on only when asked for, and never in production', () => {
    expect(loadConfig({}).testClock).toBe(false);
    expect(loadConfig({ TONGXIN_TEST_CLOCK: '1' }).testClock).toBe(true);
    expect(() => loadConfig({ TONGXIN_TEST_CLOCK: '1', NODE_ENV: 'production' })).toThrow(
      /TONGXIN_TEST_CLOCK/,
    );
  });

  it('reads the pool size and the connections reserved for the chair', () => {
    expect(
      loadConfig({ TONGXIN_DB_POOL_SIZE: '8', TONGXIN_DB_RESERVED_CONNECTIONS: '0' }),
    ).toMatchObject({ poolSize: 8, reservedConnections: 0 });
    expect(() => loadConfig({ TONGXIN_DB_POOL_SIZE: '0' })).toThrow(/TONGXIN_DB_POOL_SIZE/);
  });

  it('reads PORT, HOST, DATABASE_URL, TONGXIN_DEMO and public origins', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db/tongxin',
      TONGXIN_DEMO: '0',
      TONGXIN_PUBLIC_ORIGIN: 'https://tongxin.example, https://m.tongxin.example',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db/tongxin',
      demo: false,
    });
    expect(config.publicOrigins).toEqual(['https://tongxin.example', 'https://m.tongxin.example']);
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
  });

  it('turns on several instances with REDIS_URL, and refuses it on the embedded database', () => {
    expect(loadConfig({}).cluster).toBeUndefined();
    expect(
      loadConfig({ REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://u@db/tongxin' })
        .cluster,
    ).toEqual({ redisUrl: 'redis://cache:6379', prefix: 'tongxin' });
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(
      /REDIS_URL.*set DATABASE_URL too/s,
    );
  });
});
