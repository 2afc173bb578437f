import type { AdvanceStageBody, ConveneBody } from '@tongxin/shared/roundtables/roundtable.schemas';
import { judgeAdvance, type Stage } from '@tongxin/shared/roundtables/stages';
import type { Place, User } from '@tongxin/db/database';
import { findPlace } from '@tongxin/db/places/places.queries';
import { peopleWithin, stageFactsOf } from '@tongxin/db/roundtables/room.queries';
import { holdsRoleOver } from '@tongxin/db/users/roles.queries';
import { endAllTurns, insertRoundtable, setStage } from '@tongxin/db/roundtables/lifecycle.queries';
import { AppError, refuse } from '../http/app-error.ts';
import { defineCommand } from '../http/command.ts';
import { requireUser } from '../http/request-context.ts';
import { roundtableCommand } from './command.ts';

interface ConveneCtx {
  user: User;
  place: Place;
  /** A secretary at the place or above it. */
  maySecretary: boolean;
}

/**
 * A secretary convenes a roundtable (圆桌会) at a community or compound and chairs it. Not a
 * roundtableCommand: there is no roundtable yet to lock or to republish.
 */
export const convene = defineCommand<ConveneBody, ConveneCtx, void, string>({
  async load(app, request, body) {
    const user = requireUser(request);
    const place = await findPlace(app.db, body.placeId);
    if (!place) throw new AppError(404, 'not_found', undefined, 'placeId');
    const roundtablePlace = place.kind === 'community' || place.kind === 'compound';
    return {
      user,
      place,
      maySecretary:
        roundtablePlace && (await holdsRoleOver(app.db, user.id, ['secretary'], place.id)),
    };
  },
  authorise({ place, maySecretary }) {
    if (place.kind !== 'community' && place.kind !== 'compound')
      throw refuse('not_a_community', {}, 'placeId');
    if (!maySecretary) throw new AppError(403, 'forbidden');
  },
  // A new row: nothing to lock.
  async lock() {},
  run: (tx, { user, place }, _locked, body) =>
    insertRoundtable(tx, {
      placeId: place.id,
      title: body.title.trim(),
      localName: body.localName.trim(),
      location: body.location.trim(),
      startsAt: new Date(body.startsAt),
      quorum: body.quorum ?? null,
      chairId: user.id,
      invitedUnitIds: body.invitedUnitIds ?? [],
    }),
  audit: {
    action: 'roundtable.convene',
    entry: ({ user, place }, _body, id) => ({
      actorId: user.id,
      targetType: 'roundtable',
      targetId: id,
      details: { placeId: place.id },
    }),
  },
});

/**
 * The chair moves the roundtable to its next stage when the stage machine allows it. The
 * screen says which stage it moves from: of two clicks, the second is told `stage_changed`.
 */
export const advanceStage = roundtableCommand({
  action: 'advance_stage',
  target: async (app, _request, input: { roundtableId: string; body: AdvanceStageBody }) => ({
    roundtableId: input.roundtableId,
    // Notifications are written in the command's transaction: a refused move tells nobody.
    notifier: app.notifications,
  }),
  async run(tx, { actor, target }, locked, { body }) {
    if (locked.stage !== body.from) throw new AppError(409, 'stage_changed');
    const verdict = judgeAdvance(
      {
        stage: locked.stage,
        ...(await stageFactsOf(tx, locked.id)),
        minutesApproved: locked.minutesFrozenAt !== null,
      },
      actor.part,
    );
    if (!verdict.ok) throw refuse(verdict.refusal);
    const now = new Date();
    await setStage(tx, locked.id, verdict.next, now);
    if (locked.stage === 'discuss') await endAllTurns(tx, locked.id, now);
    let told: string[] = [];
    if (verdict.next === 'discuss') {
      told = (await peopleWithin(tx, locked.placeId)).filter((u) => u !== actor.user.id);
      await target.notifier.send(
        tx,
        told,
        'roundtable_live',
        { title: locked.title, localName: locked.localName },
        `/roundtables/${locked.id}`,
      );
    }
    return { from: locked.stage as Stage, to: verdict.next, told };
  },
  audit: {
    action: 'roundtable.advance',
    entry: ({ actor }, _input, { from, to }) => ({
      actorId: actor.user.id,
      targetType: 'roundtable',
      targetId: actor.roundtable.id,
      details: { from, to },
    }),
  },
  async effects(app, { actor }, _input, { told }) {
    // The stage decides who may write the minutes: open sockets are judged again.
    await app.roundtableLive.recheckMinutes(actor.roundtable.id);
    void app.notifications.refresh(told);
  },
});
