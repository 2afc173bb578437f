import { Lucia, TimeSpan, type Cookie } from 'lucia';
import type { Db } from '@tongxin/db/create-db';
import type { User } from '@tongxin/db/database';
import { deleteUserSessions } from '@tongxin/db/users/sessions.queries';
import { hashToken, KyselySessionAdapter, type UserAttributes } from './session-adapter.ts';

/** Sliding expiry renews with use; the absolute cap ends a session however active it is. */
export const SESSION_IDLE_DAYS = 30;
export const SESSION_ABSOLUTE_DAYS = 90;

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<{ createdAt: Date }, UserAttributes>;
    DatabaseSessionAttributes: { createdAt: Date };
    DatabaseUserAttributes: UserAttributes;
  }
}

export interface ValidSession {
  token: string;
  /** The account, read in the same statement as the session. */
  user: User;
  /** A cookie to send back when the session was renewed. */
  refreshedCookie: Cookie | null;
}

/**
 * Sessions behind one small module: lucia v3 is no longer developed, so nothing else in the
 * server touches it and replacing it later means replacing this file.
 */
// Bounded: a district has a few hundred chairs at most; the oldest is forgotten first.
const MAX_PRIORITY_TOKENS = 1000;

export class Sessions {
  readonly #lucia: Lucia<{ createdAt: Date }, UserAttributes>;
  readonly #db: Db;
  /** Sessions that have run a chair's command (see `prioritise`). */
  readonly #priority = new Set<string>();

  constructor(db: Db, options: { secure: boolean }) {
    this.#db = db;
    this.#lucia = new Lucia(new KyselySessionAdapter(db), {
      sessionExpiresIn: new TimeSpan(SESSION_IDLE_DAYS, 'd'),
      sessionCookie: {
        // __Host- binds the cookie to this exact origin over HTTPS (production only).
        name: options.secure ? '__Host-tongxin_session' : 'tongxin_session',
        attributes: { secure: options.secure, sameSite: 'lax' },
      },
      getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt }),
      getUserAttributes: (attributes) => attributes,
    });
  }

  get cookieName(): string {
    return this.#lucia.sessionCookieName;
  }

  async create(userId: string): Promise<Cookie> {
    const session = await this.#lucia.createSession(userId, { createdAt: new Date() });
    return this.#lucia.createSessionCookie(session.id);
  }

  async validate(token: string): Promise<ValidSession | null> {
    // One statement (session joined to user); a write only when the expiry slides on.
    const { session, user } = await this.#lucia.validateSession(token);
    if (!session) return null;
    const age = Date.now() - session.createdAt.getTime();
    if (age > SESSION_ABSOLUTE_DAYS * 86_400_000) {
      await this.#lucia.invalidateSession(token);
      return null;
    }
    return {
      token,
      user,
      refreshedCookie: session.fresh ? this.#lucia.createSessionCookie(token) : null,
    };
  }

  invalidate(token: string): Promise<void> {
    this.#priority.delete(token);
    return this.#lucia.invalidateSession(token);
  }

  /**
   * This session has run a chair's command: its later session checks run on the database's
   * priority lane too, so the whole of the chair's next request passes a crowd of ballots.
   * Only a command that passed the chair's authorisation marks a session; a mark grants no
   * right, it only chooses the queue.
   */
  prioritise(token: string): void {
    this.#priority.delete(token);
    if (this.#priority.size >= MAX_PRIORITY_TOKENS) {
      const oldest = this.#priority.values().next();
      if (!oldest.done) this.#priority.delete(oldest.value);
    }
    this.#priority.add(token);
  }

  isPriority(token: string): boolean {
    return this.#priority.has(token);
  }

  /** Ends every session of the user, except the one given (the device that asked). */
  invalidateUser(userId: string, keepToken?: string): Promise<void> {
    return deleteUserSessions(this.#db, userId, keepToken ? hashToken(keepToken) : undefined);
  }

  blankCookie(): Cookie {
    return this.#lucia.createBlankSessionCookie();
  }
}
