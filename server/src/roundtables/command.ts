import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { isChairOnly, type Action } from '@tongxin/shared/roundtables/actions';
import type { Database } from '@tongxin/db/database';
import { lockRoundtable } from '@tongxin/db/roundtables/roundtables.queries';
import { defineCommand, type AuditPlan } from '../http/command.ts';
import { AppError } from '../http/app-error.ts';
import type { App } from '../http/types.ts';
import { authorise, loadActor, rejudgeUnderLock, type Actor } from './load.ts';

export type LockedRoundtable = NonNullable<Awaited<ReturnType<typeof lockRoundtable>>>;

/** What a roundtable command works with: the actor in the table, and the thing it is about. */
export interface RoundtableCtx<Target> {
  actor: Actor;
  target: Target;
  /** For what `run` does inside the transaction: notifications (sent with the commit). */
  app: App;
}

export interface RoundtableCommandSpec<Input, Target, Out> {
  /** The verb in the shared rules (shared/src/roundtables/actions.ts). */
  action: Action;
  /** The thing the command is about and the roundtable it belongs to; 404 when missing. */
  target(
    app: App,
    request: FastifyRequest,
    input: Input,
  ): Promise<Target & { roundtableId: string }>;
  run(
    tx: Transaction<Database>,
    ctx: RoundtableCtx<Target>,
    locked: LockedRoundtable,
    input: Input,
  ): Promise<Out>;
  audit: AuditPlan<RoundtableCtx<Target>, Input, Out>;
  /** After the room is republished: notifications. */
  effects?(app: App, ctx: RoundtableCtx<Target>, input: Input, out: Out): Promise<void>;
}

/**
 * A command on one roundtable, on the common pipeline: checked against the shared rules, run
 * under the roundtable's row lock (commands on one table queue; one sent from a screen that
 * still showed an earlier stage is judged on the stage it meets), audited, then the room is
 * republished from the database before the caller hears back. The chair's commands (open or
 * close a vote, move the stage …) run on the database's priority lane, so a hall of phones
 * voting cannot queue ahead of them.
 */
export function roundtableCommand<Input, Target, Out>(
  spec: RoundtableCommandSpec<Input, Target, Out>,
) {
  return defineCommand<Input, RoundtableCtx<Target>, LockedRoundtable, Out>({
    async load(app, request, input) {
      const target = await spec.target(app, request, input);
      return { app, target, actor: await loadActor(app.db, request, target.roundtableId) };
    },
    authorise: (ctx) => authorise(ctx.actor, spec.action),
    async lock(tx, ctx) {
      const locked = await lockRoundtable(tx, ctx.actor.roundtable.id);
      if (!locked) throw new AppError(404, 'not_found');
      await rejudgeUnderLock(tx, ctx.actor, locked, spec.action);
      return locked;
    },
    run: spec.run,
    audit: spec.audit,
    priority: isChairOnly(spec.action),
    async effects(app, ctx, input, out) {
      await app.roundtableLive.publish(ctx.actor.roundtable.id);
      await spec.effects?.(app, ctx, input, out);
    },
  });
}
