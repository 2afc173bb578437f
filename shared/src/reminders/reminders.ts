/**
 * Deadlines and reminders (催办): an action item, a claim or a problem report that is due
 * soon tells its owner once; one that is overdue tells its owner and the community's
 * secretary once. "Once" is per deadline: a new deadline (a reopened item's next round, a
 * report's new time limit) is reminded afresh.
 */
export const REMINDER_SUBJECTS = ['action_item', 'claim', 'problem'] as const;
export type ReminderSubject = (typeof REMINDER_SUBJECTS)[number];

export const REMINDER_KINDS = ['due_soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** How long before its deadline a subject is "due soon". */
export const DUE_SOON_MS = 24 * 3600_000;

/** Which reminder a deadline calls for now: none yet, due soon, or overdue. */
export function reminderFor(dueAt: Date, now: Date): ReminderKind | null {
  if (now.getTime() >= dueAt.getTime()) return 'overdue';
  if (now.getTime() >= dueAt.getTime() - DUE_SOON_MS) return 'due_soon';
  return null;
}

/** The params of a `reminder_due_soon` or `reminder_overdue` notification. */
export interface ReminderParams {
  [key: string]: string;
  subject: ReminderSubject;
  title: string;
  /** The deadline, an ISO instant. */
  due: string;
  /** 'owner' when the reader answers for it, 'secretary' when told as the secretary. */
  as: 'owner' | 'secretary';
}
