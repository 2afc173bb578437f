import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { AppError } from '../http/app-error.ts';
import { isTrustedOrigin } from '../http/origin-check.ts';
import { InProcessBroadcast, type Broadcast } from './broadcast.ts';
import { CloseCode } from './close-codes.ts';
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from './limits.ts';
import { LiveService, type Admission } from './live-service.ts';
import type { SharedLimits } from './shared-limits.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Live (Yjs) documents: register, change server-owned ones, close revoked sockets. */
    live: LiveService;
  }
}

export interface RealtimeOptions {
  /** Origins allowed to open sockets; empty = the request's own host (as for the API). */
  publicOrigins: string[];
  limits?: Partial<LiveLimits>;
  /** Fan-out between instances; in-process by default. */
  broadcast?: Broadcast;
  /** Several instances: the per-user socket cap and budgets across them. */
  shared?: SharedLimits;
}

// Names features give documents, built by the *DocName helpers in shared/ (`roundtable:<uuid>`,
// `roundtable-minutes:<uuid>`, `inbox:<uuid>`): prefix, colon, id; no path tricks.
const DOC_NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;

async function realtime(app: FastifyInstance, options: RealtimeOptions) {
  const limits: LiveLimits = { ...DEFAULT_LIVE_LIMITS, ...options.limits };
  const live = new LiveService(
    app.db,
    limits,
    options.broadcast ?? new InProcessBroadcast(),
    app.log.child({ module: 'live' }),
    async (token) => (await app.sessions.validate(token))?.user ?? null,
    options.shared ?? null,
  );
  app.decorate('live', live);

  await app.register(fastifyWebsocket, {
    // ws closes a socket with 1009 on a bigger frame, before buffering all of it.
    options: { maxPayload: limits.maxMessageBytes },
    // Our own shutdown: tell clients, then make everything they sent durable, while the
    // database is still open (its onClose runs after preClose).
    preClose: async () => {
      await live.close();
      for (const client of app.websocketServer.clients) client.terminate();
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
      for (const socket of upgrading) socket.destroy();
    },
    errorHandler: (error, socket) => onSocketError(socket, error),
  });

  // Sockets from their upgrade request on. They leave the HTTP server's hands at the upgrade,
  // so its close (and closeAllConnections) neither ends nor forgets them: one answered over
  // HTTP while closing (Fastify's 503) and left open by the phone held a drain for ever. The
  // drain ends whatever is left of them, and a new one while closing is cut at once.
  const upgrading = new Set<Duplex>();
  app.server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    if (live.closing) {
      socket.destroy();
      return;
    }
    upgrading.add(socket);
    socket.once('close', () => upgrading.delete(socket));
  });

  const log = app.log.child({ module: 'live' });
  function onSocketError(socket: WebSocket, error: Error) {
    // Protocol errors (bad frames, too big) have already closed the socket with the right
    // code; terminating would drop that close frame.
    log.debug({ err: error }, 'live socket error');
    if (socket.readyState === socket.OPEN) socket.close(CloseCode.internalError, 'error');
  }
  // One listener for every socket (`this` is the socket): no closure per socket.
  function onError(this: WebSocket, error: Error) {
    onSocketError(this, error);
  }

  const admissions = new WeakMap<FastifyRequest, Admission>();

  app.get<{ Params: { docName: string } }>(
    '/yjs/:docName',
    {
      websocket: true,
      schema: { hide: true },
      // Everything that can refuse before the 101 happens here.
      preValidation: async (request) => {
        if (!isTrustedOrigin(request, options.publicOrigins)) throw new AppError(403, 'bad_origin');
        if (!request.user) throw new AppError(401, 'unauthenticated');
        const { docName } = request.params;
        // Past the handshake, refusals are close codes in 44xx so the client stops retrying.
        admissions.set(
          request,
          DOC_NAME.test(docName)
            ? await live.admit(request.user, docName)
            : { ok: false, code: CloseCode.unknownDocument, reason: 'bad document name' },
        );
      },
    },
    (socket, request) => {
      // Memory: @fastify/websocket's error listener keeps the request and reply (and their
      // logger) for the socket's whole life, and the TCP socket still points at the unused
      // HTTP response. A meeting room holds a thousand sockets: let both go.
      // Ours goes on before theirs comes off, so the listener table is replaced in place:
      // deleting an event name would turn each socket's table into a bigger dictionary.
      const [upgradeListener] = socket.listeners('error');
      socket.on('error', onError);
      if (upgradeListener) socket.removeListener('error', upgradeListener as () => void);
      const tcp = request.raw.socket as Socket & { _httpMessage?: ServerResponse | null };
      tcp._httpMessage = null; // its 'close' listener reads this and does nothing when null
      const user = request.user;
      const admission = admissions.get(request);
      if (!user || !admission) {
        socket.close(CloseCode.forbidden, 'forbidden');
        return;
      }
      live.accept(socket, user, request.sessionToken, request.params.docName, admission);
    },
  );
}

export const realtimePlugin = fp(realtime, { name: 'tongxin-realtime' });
