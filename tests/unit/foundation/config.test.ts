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
    });
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
});
