import type { ColumnType } from 'kysely';
import type { ReminderKind, ReminderSubject } from '@tongxin/shared/reminders/reminders';

/** One reminder sent: its key makes a second sending impossible. */
export interface RemindersSentTable {
  subjectKind: ReminderSubject;
  subjectId: string;
  reminderKind: ReminderKind;
  dueKey: string;
  sentAt: ColumnType<Date, Date | undefined, never>;
}
