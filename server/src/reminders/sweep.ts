import type { NotificationKind } from '@tongxin/shared/notifications/notifications';
import { reminderFor, type ReminderParams } from '@tongxin/shared/reminders/reminders';
import { secretariesOf, receiversOf } from '@tongxin/db/problems/problems.queries';
import { ownersOfItem } from '@tongxin/db/roundtables/room.queries';
import {
  actionItemOwner,
  claimOwner,
  dueActionItems,
  dueClaims,
  dueProblems,
  problemOwner,
  takeReminder,
  type DueSubject,
} from '@tongxin/db/reminders/reminders.queries';
import type { DbOrTx } from '@tongxin/db/create-db';
import type { App } from '../http/types.ts';
import { problemTitle } from '../problems/views.ts';

const KIND: Record<'due_soon' | 'overdue', NotificationKind> = {
  due_soon: 'reminder_due_soon',
  overdue: 'reminder_overdue',
};

function linkOf(subject: DueSubject): string {
  if (subject.subjectKind === 'action_item') return `/roundtables/${subject.linkId}`;
  if (subject.subjectKind === 'claim') return '/double-report/mine';
  return `/problems/${subject.linkId}`;
}

/** Who answers for the subject now. */
async function ownersOf(tx: DbOrTx, subject: DueSubject): Promise<string[]> {
  if (subject.subjectKind === 'action_item')
    return ownersOfItem(tx, await actionItemOwner(tx, subject.id));
  if (subject.subjectKind === 'claim') return claimOwner(tx, subject.id);
  const p = await problemOwner(tx, subject.id);
  // Accepted: the person who took it; still unanswered: whoever it was routed to.
  return p.handlerId && p.status !== 'submitted' ? [p.handlerId] : receiversOf(tx, p);
}

/**
 * Sends one subject's reminder, once: the reminder's key is inserted (ON CONFLICT DO NOTHING)
 * in the transaction that writes the notifications, so of several sweeps — in this process
 * or in other instances on the same database — exactly one sends it. Overdue also tells the
 * community's secretaries, except for a problem report, whose secretaries hear of it by its
 * escalation (督办, problems/escalation.ts). Returns who was told.
 */
async function remind(app: App, subject: DueSubject, now: Date): Promise<string[] | null> {
  const due = new Date(subject.dueAt);
  const kind = reminderFor(due, now);
  if (!kind) return null;
  return app.db.transaction().execute(async (tx) => {
    const taken = await takeReminder(
      tx,
      {
        subjectKind: subject.subjectKind,
        subjectId: subject.id,
        reminderKind: kind,
        dueKey: subject.dueKey,
      },
      now,
    );
    if (!taken) return null;
    const owners = await ownersOf(tx, subject);
    const params: ReminderParams = {
      subject: subject.subjectKind,
      title: subject.subjectKind === 'problem' ? problemTitle(subject.title) : subject.title,
      due: due.toISOString(),
      as: 'owner',
    };
    await app.notifications.send(tx, owners, KIND[kind], params, linkOf(subject));
    let secretaries: string[] = [];
    if (kind === 'overdue' && subject.subjectKind !== 'problem') {
      secretaries = (await secretariesOf(tx, subject.communityId)).filter(
        (s) => !owners.includes(s),
      );
      await app.notifications.send(
        tx,
        secretaries,
        KIND[kind],
        { ...params, as: 'secretary' },
        linkOf(subject),
      );
    }
    return [...owners, ...secretaries];
  });
}

/**
 * One sweep: every action item, claim and problem report due within a day or overdue, whose
 * reminder for its present deadline has not gone yet, is reminded once. Time is `app.now()`,
 * so tests move it. Returns how many reminders this sweep sent.
 */
export async function sweepReminders(app: App): Promise<number> {
  const now = app.now();
  const subjects = [
    ...(await dueActionItems(app.db, now)),
    ...(await dueClaims(app.db, now)),
    ...(await dueProblems(app.db, now)),
  ];
  let sent = 0;
  const told: string[] = [];
  for (const subject of subjects) {
    const people = await remind(app, subject, now);
    if (!people) continue;
    sent += 1;
    told.push(...people);
  }
  await app.notifications.refresh(told);
  return sent;
}
