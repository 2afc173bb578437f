import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DbConfig } from '@tongxin/db/create-db';
import { copyEmbeddedTemplate, postgresTemplate, removeDir } from './template.ts';

export interface TestDatabase {
  config: DbConfig;
  /** Drops the throw-away database (real Postgres) or deletes its files (embedded). */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: embedded PGlite in memory by default, or a
 * throw-away database on the server named by TEST_DATABASE_URL. Tests of migrating and of a
 * first start use it; everything else wants `createMigratedTestDatabase`.
 */
export async function createTestDatabase(
  adminUrl = process.env.TEST_DATABASE_URL,
  prefix = 'tongxin_test',
): Promise<TestDatabase> {
  if (!adminUrl) return { config: {}, drop: async () => {} };
  return throwAway(adminUrl, prefix);
}

/**
 * A fresh database with every migration already run, copied from a template migrated once
 * (see template.ts): a copy of its files for embedded PGlite, `create database … template`
 * on the server named by TEST_DATABASE_URL. What the app's start finds: nothing to migrate.
 */
export async function createMigratedTestDatabase(
  adminUrl = process.env.TEST_DATABASE_URL,
  prefix = 'tongxin_test',
): Promise<TestDatabase> {
  if (!adminUrl) {
    const dataDir = await copyEmbeddedTemplate();
    return { config: { dataDir }, drop: () => removeDir(dataDir) };
  }
  return throwAway(adminUrl, prefix, await postgresTemplate(adminUrl, prefix));
}

async function throwAway(adminUrl: string, prefix: string, template?: string) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { databaseUrl: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const onRealPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

/** Whether a PostgreSQL answers at this address (benchmarks skip it when none does). */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
