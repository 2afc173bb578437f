import {
  markEscalated,
  secretariesOf,
  takeOverdueProblems,
} from '@tongxin/db/problems/problems.queries';
import type { App } from '../http/types.ts';
import { problemLink } from './problems.commands.ts';
import { problemTitle } from './views.ts';

/**
 * 督办: reports past their time limit go to the community's secretaries, visibly (an
 * `escalated` event on the timeline, a flag on the list), once: the rows are taken FOR UPDATE
 * SKIP LOCKED and marked in the same transaction, so several instances sweeping at once
 * never tell twice. Returns how many were escalated.
 */
export async function escalateOverdue(app: App): Promise<number> {
  const now = app.now();
  const { told, communities, count } = await app.db.transaction().execute(async (tx) => {
    const due = await takeOverdueProblems(tx, now);
    await markEscalated(
      tx,
      due.map((d) => d.id),
      now,
    );
    const told: string[] = [];
    for (const d of due) {
      const secretaries = await secretariesOf(tx, d.communityId);
      await app.notifications.send(
        tx,
        secretaries,
        'problem_escalated',
        { title: problemTitle(d.description), category: d.category },
        problemLink(d.id),
      );
      told.push(...secretaries);
    }
    return { told, communities: new Set(due.map((d) => d.communityId)), count: due.length };
  });
  await Promise.all([
    app.notifications.refresh(told),
    ...[...communities].map((id) => app.problemsLive.publish(id)),
  ]);
  return count;
}
