import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { Redis } from 'ioredis';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { createDb, type DbConfig } from '@tongxin/db/create-db';
import { seedDemo, DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';
import { migrateToLatest } from '@tongxin/db/migrate';
import { pingDatabase } from '@tongxin/db/live/cluster.queries';
import { authRoutes, profileRoutes } from './auth/auth.routes.ts';
import { registerHousekeeping } from './auth/housekeeping.ts';
import { registerReminders } from './reminders/plugin.ts';
import { registerDueJobs } from './jobs/sweeps.ts';
import { endOfAmendment, MINUTES_AMENDMENT_END } from './roundtables/minutes.commands.ts';
import { hashPassword } from './auth/passwords.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { registerSessionHook } from './auth/session-hook.ts';
import { Sessions } from './auth/sessions.ts';
import { doubleReportRoutes } from './double-report/double-report.plugin.ts';
import { demoRoutes } from './demo/demo.routes.ts';
import { AppError } from './http/app-error.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { registerNulGuard } from './http/nul-guard.ts';
import { registerOriginCheck } from './http/origin-check.ts';
import { isApiRequest } from './http/request-context.ts';
import type { App } from './http/types.ts';
import { invitationRoutes } from './invitations/invitations.routes.ts';
import { placeRoutes } from './places/places.routes.ts';
import { registerProblemsLive } from './problems/live.ts';
import { problemsPlugin } from './problems/problems.plugin.ts';
import { roundtablesPlugin } from './roundtables/roundtables.plugin.ts';
import { registerRoundtableLive } from './roundtables/live.ts';
import { registerBoard } from './double-report/board.ts';
import { registerTeamsBoard } from './teams/board.ts';
import type { LiveLimits } from './realtime/limits.ts';
import { realtimePlugin } from './realtime/realtime.plugin.ts';
import { RedisBroadcast } from './realtime/redis-broadcast.ts';
import { SharedLimits } from './realtime/shared-limits.ts';
import { serveWeb } from './web/serve-web.ts';
import { createNotifier } from './notifications/notifier.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { teamsRoutes } from './teams/teams.plugin.ts';
import { todoRoutes } from './todo/todo.routes.ts';
import { TestClock, testClockRoutes } from './test-clock/test-clock.ts';

export interface BuildOptions {
  database: DbConfig;
  /** Seed the demo district and accounts into an empty database. */
  demo?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Origins allowed to change state; empty = the request's own host. */
  publicOrigins?: string[];
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** The SvelteKit build to serve; null serves only the API. */
  webDir?: string | null;
  /**
   * Requests per minute per signed-in user, and per address for everyone else; logins and
   * registrations per address in ten minutes (budgets of their own, sized for a hall).
   */
  rateLimit?: { user: number; anonymous: number; login?: number };
  /** The clock login limits read; tests move it on instead of waiting. */
  now?: () => Date;
  /**
   * Browser tests only (TONGXIN_TEST_CLOCK=1): the clock moves on through POST
   * /api/test-clock, which runs the deadline sweeps at once (server/src/test-clock).
   */
  testClock?: boolean;
  /** How often expired sessions and old login failures are deleted (tests shorten it). */
  housekeepingMs?: number;
  /** How often work due at a moment is looked for (server/src/jobs; tests shorten it). */
  dueJobsMs?: number;
  /** How often deadlines are swept for reminders (server/src/reminders). */
  reminderSweepMs?: number;
  /** Limits of the live-document server (tests shrink them). */
  realtime?: Partial<LiveLimits>;
  /**
   * Several instances (REDIS_URL): live documents and control messages cross instances over
   * Redis; needs a real PostgreSQL shared by all (docs/decisions, several instances).
   */
  cluster?: {
    redisUrl: string;
    prefix?: string;
    /** The per-user socket cap and budgets across instances: heartbeat and exchange periods. */
    sharedLimits?: { heartbeatMs?: number; budgetSyncMs?: number };
  };
}

export const API_BODY_LIMIT = 64 * 1024;

export async function buildApp(options: BuildOptions): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: API_BODY_LIMIT,
    ajv: {
      // Wrong types are refused rather than coerced, and unknown fields are an error
      // (schemas say additionalProperties: false), not silently dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (options.cluster && !options.database.databaseUrl)
    throw new Error(
      'Several instances (REDIS_URL) must share one PostgreSQL database: set DATABASE_URL. ' +
        'The embedded database belongs to a single process.',
    );
  const handle = await createDb(options.database);
  app.decorate('db', handle.db);
  app.addHook('onClose', async () => handle.close());
  try {
    await migrateToLatest(handle.db);
    if (options.demo) await seedDemo(handle.db, () => hashPassword(DEMO_PASSWORD));
  } catch (error) {
    await handle.close();
    throw error;
  }
  const testClock = options.testClock ? new TestClock() : null;
  app.decorate('now', options.now ?? testClock?.now ?? (() => new Date()));
  app.decorate('sessions', new Sessions(handle.db, { secure: options.secureCookies ?? false }));
  registerHousekeeping(app, options.housekeepingMs);
  registerReminders(app, options.reminderSweepMs);
  // Work due at a moment, carried out by whichever instance is alive (server/src/jobs).
  registerDueJobs(app, { [MINUTES_AMENDMENT_END]: endOfAmendment }, options.dueJobsMs);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandling(app);
  await app.register(fastifyHelmet, {
    // The SvelteKit build carries its own hash-based CSP in a meta tag.
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  registerOriginCheck(app, options.publicOrigins ?? []);
  registerNulGuard(app);
  registerSessionHook(app, app.sessions);
  // A hall of 300 phones behind one address opens the app (one anonymous request each)
  // and reloads it once inside a minute.
  const limits = options.rateLimit ?? { user: 600, anonymous: 600 };
  // Several instances: one budget across all of them, counted in Redis. Redis down, the
  // limit is skipped rather than every request refused.
  const rateRedis = options.cluster
    ? new Redis(options.cluster.redisUrl, {
        connectTimeout: 1000,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: (times: number) => Math.min(100 * times, 1000),
      })
    : null;
  if (rateRedis) {
    rateRedis.on('error', () => {}); // reported by /api/ready through the live fan-out
    app.addHook('onClose', async () => {
      rateRedis.disconnect();
    });
  }
  await app.register(fastifyRateLimit, {
    ...(rateRedis
      ? {
          redis: rateRedis,
          nameSpace: `${options.cluster?.prefix ?? 'tongxin'}:rate:`,
          skipOnError: true,
        }
      : {}),
    global: true,
    timeWindow: '1 minute',
    // Keyed on the user when signed in: a hall of 200 residents behind one address
    // must not share one budget.
    max: (request) => (request.user ? limits.user : limits.anonymous),
    keyGenerator: (request) => (request.user ? `u:${request.user.id}` : `ip:${request.ip}`),
    // On the matched route, never the raw URL (which `/%61pi/…` would slip past).
    allowList: (request) => !isApiRequest(request),
    errorResponseBuilder: () => new AppError(429, 'rate_limited'),
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Tongxin 同心 API',
        version: '0.1.0',
        description: 'Commands and queries of the Tongxin hub.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: app.sessions.cookieName },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  // Live documents on /yjs/:docName, same port, same session and origin rules;
  // before the routes, whose features register their documents on `app.live`.
  await app.register(realtimePlugin, {
    publicOrigins: options.publicOrigins ?? [],
    ...(options.cluster
      ? {
          broadcast: new RedisBroadcast({
            url: options.cluster.redisUrl,
            ...(options.cluster.prefix ? { prefix: options.cluster.prefix } : {}),
            log: app.log.child({ module: 'cluster' }),
          }),
          shared: new SharedLimits({
            url: options.cluster.redisUrl,
            ...(options.cluster.prefix ? { prefix: options.cluster.prefix } : {}),
            ...options.cluster.sharedLimits,
            log: app.log.child({ module: 'cluster' }),
          }),
        }
      : {}),
    ...(options.realtime ? { limits: options.realtime } : {}),
  });
  app.decorate('notifications', createNotifier(app));
  // Decorated on the app itself: the escalation sweep republishes the lists from any context.
  registerProblemsLive(app);
  // The room and the two boards too: an action item handed on as a 双报到 project or a team's
  // activity is republished by the other feature's commands (roundtables/handoff.commands.ts).
  registerRoundtableLive(app);
  registerBoard(app);
  registerTeamsBoard(app);
  await app.register(
    async (api) => {
      const sessionless = { sessionless: true };
      api.get('/health', { schema: { tags: ['health'] }, config: sessionless }, async () => ({
        ok: true,
        database: handle.kind,
      }));
      // Alive is above; ready means "send me traffic": the database answers, Redis too with
      // several instances, and this instance is not draining (SIGTERM).
      api.get('/ready', { schema: { tags: ['health'] }, config: sessionless }, async (_, reply) => {
        const problems: string[] = [];
        if (app.live.closing) problems.push('draining');
        try {
          await pingDatabase(handle.db);
        } catch {
          problems.push('database unreachable');
        }
        const broadcast = await app.live.broadcastProblem();
        if (broadcast) problems.push(broadcast);
        return reply
          .status(problems.length === 0 ? 200 : 503)
          .send({ ok: problems.length === 0, cluster: Boolean(options.cluster), problems });
      });
      api.get('/openapi.json', { schema: { hide: true }, config: sessionless }, async () =>
        app.swagger(),
      );
      await api.register(authRoutes, {
        prefix: '/auth',
        attemptsPerAddress: limits.login,
      });
      await api.register(profileRoutes);
      await api.register(placeRoutes);
      await api.register(invitationRoutes);
      await api.register(peopleRoutes);
      await api.register(roundtablesPlugin);
      await api.register(doubleReportRoutes);
      await api.register(teamsRoutes);
      await api.register(problemsPlugin);
      await api.register(notificationRoutes);
      await api.register(todoRoutes);
      await api.register(demoRoutes, { enabled: options.demo ?? false });
      if (testClock) await api.register(testClockRoutes, { clock: testClock });
    },
    { prefix: '/api' },
  );
  await serveWeb(app, options.webDir ?? null);
  return app;
}
