import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '@tongxin/db/database';
import type { KindWithParams } from '@tongxin/shared/notifications/notifications';
import { defineCommand, type AuditPlan } from '../http/command.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import { loadRelation, type CommunityRelation } from './community-access.ts';

/** What a double-report command works with: the person in the community, and its target. */
export interface ClaimsCtx<Target> {
  rel: CommunityRelation;
  target: Target;
  /** Tells people inside the transaction (a rolled-back command tells nobody). */
  notifier: Notifier;
}

/** A notification a command sends, inside its transaction (a rolled-back command tells nobody). */
export type Notice = KindWithParams & { to: string[]; link: string };

export interface ClaimsCommandSpec<Input, Target, Locked, Out> {
  /** The thing the command is about and its community; 404 when missing. */
  target(app: App, input: Input): Promise<Target & { communityId: string }>;
  /** The shared rule (shared/src/double-report/claims.ts) for what the person is to the community. */
  authorise(ctx: ClaimsCtx<Target>, input: Input): void;
  /** The row the command queues on (the item, the claim), judged again under the lock. */
  lock?(tx: Transaction<Database>, ctx: ClaimsCtx<Target>, input: Input): Promise<Locked>;
  run(
    tx: Transaction<Database>,
    ctx: ClaimsCtx<Target>,
    locked: Locked,
    input: Input,
  ): Promise<Out>;
  audit: AuditPlan<ClaimsCtx<Target>, Input, Out>;
  /** Who hears about it; their bells are refreshed after the commit. */
  notice?(ctx: ClaimsCtx<Target>, input: Input, out: Out): Notice;
  /** After the board: anything else the command changed that is projected live (a room). */
  effects?(app: App, ctx: ClaimsCtx<Target>, input: Input, out: Out): Promise<void>;
}

/**
 * A double-report command on the common pipeline: the person's relation to the target's
 * community, the shared rule, one transaction with its audit row, then the community's
 * 公示 board is republished and anyone notified sees it, before the caller hears back.
 */
export function claimsCommand<Input, Target, Locked, Out>(
  spec: ClaimsCommandSpec<Input, Target, Locked, Out>,
) {
  type Ctx = ClaimsCtx<Target & { communityId: string }>;
  return defineCommand<Input, Ctx, Locked, Out>({
    async load(app: App, request: FastifyRequest, input: Input) {
      const target = await spec.target(app, input);
      const rel = await loadRelation(app.db, requireUser(request), target.communityId);
      return { target, rel, notifier: app.notifications };
    },
    authorise: (ctx, input) => spec.authorise(ctx, input),
    lock: async (tx, ctx, input) => (spec.lock ? spec.lock(tx, ctx, input) : (undefined as Locked)),
    async run(tx, ctx, locked, input) {
      const out = await spec.run(tx, ctx, locked, input);
      const notice = spec.notice?.(ctx, input, out);
      if (notice) await ctx.notifier.send(tx, notice.to, notice.kind, notice.params, notice.link);
      return out;
    },
    audit: spec.audit,
    async effects(app, ctx, input, out) {
      const notice = spec.notice?.(ctx, input, out);
      if (notice) await app.notifications.refresh(notice.to);
      await app.claimsBoard.publish(ctx.target.communityId);
      await spec.effects?.(app, ctx, input, out);
    },
  });
}
