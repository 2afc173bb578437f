import { minutesDoc, roomDoc } from '@tongxin/shared/live/documents';
import { mayWriteMinutes } from '@tongxin/shared/roundtables/minutes';
import type { User } from '@tongxin/db/database';
import { findAttendance } from '@tongxin/db/roundtables/room.queries';
import { findRoundtable, type RoundtableRow } from '@tongxin/db/roundtables/roundtables.queries';
import type { Part } from '@tongxin/shared/roundtables/stages';
import type { App } from '../http/types.ts';
import { partOf } from './part.ts';
import { projectRoom } from './room.ts';

export interface RoundtableLive {
  /** Rebuilds the room from the database after a commit; bursts rebuild at most twice. */
  publish(roundtableId: string): Promise<void>;
  /** Who may write the minutes changed (stage, settings, freeze): sockets are judged again. */
  recheckMinutes(roundtableId: string): Promise<void>;
}

const idOf = (docName: string) => docName.slice(docName.indexOf(':') + 1);

/**
 * The live meeting is for those who take part: the place's residents, invited units and
 * guests by this table's link. Anyone else (an observer, to `partOf`) may not open it.
 */
async function outsider(app: App, user: User, row: RoundtableRow): Promise<boolean> {
  return (await partOf(app.db, user, row)) === 'observer';
}

/** May someone with this part, present or not, write the minutes of this roundtable now? */
export function minutesWritableBy(row: RoundtableRow, part: Part, attended: boolean): boolean {
  return mayWriteMinutes({
    stage: row.stage,
    part,
    openMinutes: row.openMinutes,
    attended,
    amendUntil: row.minutesAmendUntil,
    frozen: row.minutesFrozenAt !== null,
    now: new Date(),
  });
}

/** May this person write the minutes now? The shared rule, fed from the database. */
export async function minutesWritable(app: App, user: User, roundtableId: string) {
  const row = await findRoundtable(app.db, roundtableId);
  if (!row) return false;
  const [part, attendance] = await Promise.all([
    partOf(app.db, user, row),
    findAttendance(app.db, row.id, user.id),
  ]);
  return minutesWritableBy(row, part, attendance !== undefined);
}

/**
 * Two live documents per roundtable: `roundtable:<id>`, the room (server-owned, a projection
 * of the database rebuilt on every load and after every command), and
 * `roundtable-minutes:<id>`, the minutes written together, one Y.Text per agenda topic.
 */
export function registerRoundtableLive(app: App): RoundtableLive {
  const room = app.live.registerProjection({
    prefix: roomDoc.prefix,
    access: async (user, id) => {
      const row = await findRoundtable(app.db, id);
      if (!row || (await outsider(app, user, row))) return 'none';
      return 'read';
    },
    project: (id) => projectRoom(app.db, id),
  });
  app.live.registerDocument({
    pattern: minutesDoc.pattern,
    kind: 'collaborative',
    async access(user, docName) {
      const row = await findRoundtable(app.db, idOf(docName));
      if (!row || (await outsider(app, user, row))) return 'none';
      return (await minutesWritable(app, user, row.id)) ? 'write' : 'read';
    },
  });
  const live: RoundtableLive = {
    publish: (id) => room.publish(id),
    recheckMinutes: (id) => app.live.recheckDocument(minutesDoc(id)),
  };
  // Commands (roundtableCommand) republish through the app, not a parameter passed down.
  app.decorate('roundtableLive', live);
  return live;
}

declare module 'fastify' {
  interface FastifyInstance {
    roundtableLive: RoundtableLive;
  }
}
