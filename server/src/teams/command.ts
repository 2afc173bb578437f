import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '@tongxin/db/database';
import { lockActivity } from '@tongxin/db/teams/teams.queries';
import type { Activity } from '@tongxin/db/teams/teams.tables';
import { defineCommand, type AuditPlan } from '../http/command.ts';
import { AppError, refuse } from '../http/app-error.ts';
import { requireUser } from '../http/request-context.ts';
import type { App } from '../http/types.ts';
import type { Notifier } from '../notifications/notifier.ts';
import {
  loadTeamsRelation,
  mayManage,
  requireBelongs,
  requirePointsUser,
  requireSecretary,
  type TeamsRelation,
} from './access.ts';

/** What a teams command works with: the actor's relation to the community, and the thing. */
export interface TeamsCtx<Target extends TeamsTarget> {
  rel: TeamsRelation;
  target: Target;
  /** Tells people inside the transaction (a rolled-back command tells nobody). */
  notify: Notifier['send'];
}

/** The thing a command is about: its community, and its team when it has one. */
export interface TeamsTarget {
  communityId: string;
  teamId?: string | null;
}

/**
 * Who may: anyone who belongs to the community; anyone who may use points there (`points`:
 * who belongs, or has a ledger there with no role, `mayUsePoints`); its secretary; the keepers
 * of the target's team (its leaders and the secretary); or a rule of the verb's own (throws a
 * refusal, on top of belonging).
 */
export type TeamsRule<Target extends TeamsTarget, Input> =
  'belongs' | 'points' | 'secretary' | 'manage' | ((ctx: TeamsCtx<Target>, input: Input) => void);

export interface TeamsCommandSpec<Input, Target extends TeamsTarget, Locked, Out> {
  may: TeamsRule<Target, Input>;
  /** The thing the command is about; 404 when missing. */
  target(app: App, request: FastifyRequest, input: Input): Promise<Target>;
  /**
   * The row lock, in the teams lock order: team → service-day rule → activity →
   * sign-up → catalogue item → points account (advisory, in `appendLedger`) → plain inserts.
   */
  lock(tx: Transaction<Database>, ctx: TeamsCtx<Target>, input: Input): Promise<Locked>;
  run(tx: Transaction<Database>, ctx: TeamsCtx<Target>, locked: Locked, input: Input): Promise<Out>;
  audit: AuditPlan<TeamsCtx<Target>, Input, Out>;
  /** After the commit: the board, bells. */
  effects?(app: App, ctx: TeamsCtx<Target>, input: Input, out: Out): Promise<void>;
}

/**
 * A command on a community's teams, activities or points, on the common pipeline: the target and
 * the actor's relation to its community are read (404; 403 for someone from elsewhere), the
 * verb's rule is applied, then lock → run → audit in one transaction, then the effects.
 */
export function teamsCommand<Input, Target extends TeamsTarget, Locked, Out>(
  spec: TeamsCommandSpec<Input, Target, Locked, Out>,
) {
  return defineCommand<Input, TeamsCtx<Target>, Locked, Out>({
    async load(app, request, input) {
      const target = await spec.target(app, request, input);
      const rel = await loadTeamsRelation(app.db, requireUser(request), target.communityId);
      if (spec.may === 'secretary') requireSecretary(request, rel);
      else if (spec.may === 'points') await requirePointsUser(app.db, request, rel);
      else requireBelongs(request, rel);
      return { rel, target, notify: app.notifications.send };
    },
    authorise(ctx, input) {
      if (spec.may === 'manage') {
        if (!mayManage(ctx.rel, ctx.target.teamId ?? null)) throw refuse('not_team_manager');
      } else if (typeof spec.may === 'function') spec.may(ctx, input);
    },
    lock: spec.lock,
    run: spec.run,
    audit: spec.audit,
    ...(spec.effects ? { effects: spec.effects } : {}),
  });
}

/** For commands whose one conditional write is their queue (a stock row, a pending row). */
export const noLock = async (): Promise<void> => {};

/**
 * The activity, locked: sign-ups, changes and cancelling on one activity queue here. Gone (404) if
 * its 集中服务日 rule was changed or ended meanwhile (nobody was signed up); refused if it was
 * called off.
 */
export async function lockLiveActivity(tx: Transaction<Database>, id: string): Promise<Activity> {
  const locked = await lockActivity(tx, id);
  if (!locked) throw new AppError(404, 'not_found');
  if (locked.status === 'cancelled') throw refuse('activity_cancelled');
  return locked;
}

export const activityLink = (id: string) => `/teams/activities/${id}`;

export interface OneStatementSpec<Input, Out> {
  /**
   * The whole command as one statement on `app.db`: it checks who may, writes and audits
   * (its audit row is inserted by the statement itself), and `run` turns what it saw into a
   * refusal when nothing was written.
   */
  run(app: App, request: FastifyRequest, input: Input): Promise<Out>;
  /** Where the statement writes its audit row (said once, here). */
  auditedIn: string;
  effects?(app: App, input: Input, out: Out): Promise<void>;
}

/**
 * The pipeline for a command that is a single statement, run without a transaction around
 * it: the busiest verb (a sign-up, 300 phones at once) holds its activity's row lock for one
 * statement and spends no round trips on BEGIN and COMMIT. Same order as `defineCommand`
 * otherwise: the actor, the statement (rule, lock, writes, audit), then the effects, awaited,
 * failures logged.
 */
export function oneStatementCommand<Input, Out>(spec: OneStatementSpec<Input, Out>) {
  return async (app: App, request: FastifyRequest, input: Input): Promise<Out> => {
    const out = await spec.run(app, request, input);
    if (spec.effects) {
      try {
        await spec.effects(app, input, out);
      } catch (err) {
        request.log.error({ err }, 'a command committed but its effects failed');
      }
    }
    return out;
  };
}
