import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins this server answers for: configured ones, else the request's own host. */
export function allowedOrigins(request: FastifyRequest, configured: string[]): string[] {
  return configured.length > 0 ? configured : [`${request.protocol}://${request.host}`];
}

export function isTrustedOrigin(request: FastifyRequest, configured: string[]): boolean {
  const origin = request.headers.origin;
  return (
    typeof origin === 'string' &&
    origin !== 'null' &&
    allowedOrigins(request, configured).includes(origin)
  );
}

/**
 * Cross-site request forgery guard: every state-changing request must carry an Origin
 * header naming this site. SameSite=Lax alone lets a top-level cross-site POST of a
 * text/plain form through in some browsers; a missing or "null" Origin is refused too.
 */
export function registerOriginCheck(app: FastifyInstance, configured: string[]) {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (!isTrustedOrigin(request, configured)) throw new AppError(403, 'bad_origin');
  });
}
