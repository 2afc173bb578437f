import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '@tongxin/db/create-db';
import { reserveLoginAttempt } from '@tongxin/db/users/login-failures.queries';
import { refuse } from '../http/app-error.ts';

/** Wrong passwords allowed per account inside the window; the next login answers 429. */
export const LOGIN_FAILURE_LIMIT = 5;
/** Wrong passwords allowed per address inside the window, over all accounts (a sweep). */
export const ADDRESS_FAILURE_LIMIT = 100;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/**
 * Logins (right or wrong) and registrations per address in ten minutes, each a budget of
 * its own apart from other anonymous requests: a hall of 300 phones behind one address
 * logs in at once with room for typos and retries, while each costs a password hash, so
 * a sweep still stops at 100 a minute.
 */
export const ATTEMPTS_PER_ADDRESS = 1000;

/** The route's own per-address budget (the `rateLimit` route config of @fastify/rate-limit). */
export function perAddressBudget(name: string, max = ATTEMPTS_PER_ADDRESS) {
  return {
    rateLimit: {
      max,
      timeWindow: '10 minutes',
      keyGenerator: (request: FastifyRequest) => `${name}:${request.ip}`,
    },
  };
}

/**
 * Checks the limits and counts the attempt as a failure until the password proves right;
 * a 429 says how long to wait (account_locked / address_locked, with the minutes). Returns the provisional failure.
 */
export async function startLoginAttempt(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  now: Date,
): Promise<string> {
  const attempt = await reserveLoginAttempt(db, key, request.ip, {
    now,
    since: new Date(now.getTime() - LOGIN_WINDOW_MS),
    perAccount: LOGIN_FAILURE_LIMIT,
    perAddress: ADDRESS_FAILURE_LIMIT,
  });
  if ('attemptId' in attempt) return attempt.attemptId;
  const waitMs = Math.max(attempt.oldestCounted.getTime() + LOGIN_WINDOW_MS - now.getTime(), 1000);
  const minutes = Math.ceil(waitMs / 60_000);
  reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
  throw refuse(attempt.refused === 'account' ? 'account_locked' : 'address_locked', { minutes });
}
