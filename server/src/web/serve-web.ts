import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../http/error-handler.ts';

/**
 * Serves the built SvelteKit app (a single-page app) from the same port as the API.
 * Unknown paths that are not API calls or files get index.html so client routes load.
 */
export async function serveWeb(app: FastifyInstance, webDir: string | null) {
  const index = webDir ? join(webDir, 'index.html') : null;
  const hasWeb = index !== null && existsSync(index);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir!,
      wildcard: false,
      index: false,
      // The build writes each file also as .br and .gz (adapter-static `precompress`): send
      // the smallest the browser accepts, without compressing on every request.
      preCompressed: true,
      setHeaders(res, path) {
        // Hashed build assets never change; everything else is revalidated.
        res.header(
          'cache-control',
          path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isPage =
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      !path.startsWith('/yjs/') &&
      !/\.[a-z0-9]+$/i.test(path);
    if (hasWeb && isPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return sendError(reply, request, { status: 404, code: 'not_found' });
  });
}
