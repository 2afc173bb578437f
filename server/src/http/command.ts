import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { writeAudit, type AuditEntry } from '@tongxin/db/audit/audit.queries';
import type { Database } from '@tongxin/db/database';
import { onPriorityLane } from '@tongxin/db/lanes';
import type { App } from './types.ts';

/** What a command writes to the audit log, or why it writes nothing (said once, here). */
export type AuditPlan<Ctx, Input, Out> =
  | { action: string; entry: (ctx: Ctx, input: Input, out: Out) => Omit<AuditEntry, 'action'> }
  | { exempt: string };

export interface CommandSpec<Input, Ctx, Locked, Out> {
  /** Who asks and about what: the actor and the target, read before the transaction. 404s here. */
  load(app: App, request: FastifyRequest, input: Input): Promise<Ctx>;
  /** The shared rule for this verb: throws a refusal when the actor may not (403, 409). */
  authorise(ctx: Ctx, input: Input): void;
  /**
   * The row lock the command needs, taken first in its transaction. Locks are always taken
   * community → roundtable/team/item → row, so two commands never wait on each other in a
   * circle. May judge again under the lock (the stage may have moved on) and throw.
   */
  lock(tx: Transaction<Database>, ctx: Ctx, input: Input): Promise<Locked>;
  /** Checks that need the locked rows, then the writes. Throws a refusal to roll back. */
  run(tx: Transaction<Database>, ctx: Ctx, locked: Locked, input: Input): Promise<Out>;
  audit: AuditPlan<Ctx, Input, Out>;
  /**
   * After the commit: republish live boards, notify. Awaited before the caller hears back, so
   * the caller's next read sees them; a failure is logged and does not undo the command (the
   * boards are rebuilt from the database on their next load).
   */
  effects?(app: App, ctx: Ctx, input: Input, out: Out): Promise<void>;
  /**
   * The chair's commands: the whole command (load, transaction, effects) runs on the
   * database's priority lane (db/src/lanes.ts), on connections a crowd of ballots cannot hold.
   */
  priority?: boolean;
}

export type Command<Input, Out> = (app: App, request: FastifyRequest, input: Input) => Promise<Out>;

/**
 * One pipeline for every command, always in this order: load the actor → authorise with the
 * shared rule → transaction (lock → run → audit) → effects. Routes are thin adapters that
 * pass the validated body and send what the command returns.
 */
export function defineCommand<Input, Ctx, Locked, Out>(
  spec: CommandSpec<Input, Ctx, Locked, Out>,
): Command<Input, Out> {
  const command: Command<Input, Out> = async (app, request, input) => {
    const ctx = await spec.load(app, request, input);
    spec.authorise(ctx, input);
    // The chair's later requests have their session checked on the priority lane too.
    if (spec.priority && request.sessionToken) app.sessions.prioritise(request.sessionToken);
    const out = await app.db.transaction().execute(async (tx) => {
      const locked = await spec.lock(tx, ctx, input);
      const result = await spec.run(tx, ctx, locked, input);
      if ('action' in spec.audit)
        await writeAudit(tx, {
          action: spec.audit.action,
          ...spec.audit.entry(ctx, input, result),
        });
      return result;
    });
    if (spec.effects) {
      try {
        await spec.effects(app, ctx, input, out);
      } catch (err) {
        request.log.error({ err }, 'a command committed but its effects failed');
      }
    }
    return out;
  };
  return spec.priority ? (...args) => onPriorityLane(() => command(...args)) : command;
}
