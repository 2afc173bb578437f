import { fileURLToPath } from 'node:url';
import { DataDirLockedError } from '@tongxin/db/data-dir-lock';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';
import { buildApp } from './app.ts';
import { LISTEN_BACKLOG, loadConfig } from './config.ts';
import { drainOnSignals } from './shutdown.ts';

// Two levels up from server/src/main.ts and from the compiled server/dist/main.js alike.
const webDir = fileURLToPath(new URL('../../web/build', import.meta.url));

async function main() {
  const config = loadConfig();
  const app = await buildApp({
    database: {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.poolSize,
      reservedConnections: config.reservedConnections,
    },
    demo: config.demo,
    ...(config.cluster ? { cluster: config.cluster } : {}),
    publicOrigins: config.publicOrigins,
    secureCookies: config.production,
    trustProxy: config.trustProxy,
    webDir,
    testClock: config.testClock,
    logger: {
      level: config.logLevel ?? 'info',
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
  });
  drainOnSignals(app);
  const address = await app.listen({
    port: config.port,
    host: config.host,
    backlog: LISTEN_BACKLOG,
  });
  const where = config.databaseUrl
    ? `PostgreSQL (DATABASE_URL)${config.cluster ? ', several instances over Redis (REDIS_URL)' : ''}`
    : `embedded database in ${config.dataDir}/`;
  console.log(
    `\n同心 Tongxin is running at ${address.replace('127.0.0.1', 'localhost')} on the ${where}`,
  );
  if (config.demo) {
    console.log(
      `Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.displayName})`).join(', ')}`,
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    console.error(`\n${error.message}\n`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
