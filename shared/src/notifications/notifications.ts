import { Type, type Static } from 'typebox';

/**
 * What a notification is about. The app renders the words from `kind` and `params`
 * in the reader's language, so the server stores no sentences.
 */
export const NOTIFICATION_KINDS = [
  'waitlist_promoted',
  'shift_changed',
  'shift_cancelled',
  'shift_reminder',
  'leader_message',
  'team_join_requested',
  'team_join_approved',
  // double report
  'wish_reviewed',
  'item_claimed',
  'claim_delivered',
  'claim_confirmed',
  'member_report_reviewed',
  // roundtables
  'topic_screened',
  'roundtable_live',
  'action_item_assigned',
  'action_item_reopened',
  'rating_asked',
  // people and roles
  'role_revoked',
  // 随手拍 problem reports
  'problem_submitted',
  'problem_answered',
  'problem_resolved',
  'problem_reopened',
  'problem_escalated',
  'problem_merged',
  // reminders: params are ReminderParams (shared/src/reminders/reminders.ts)
  'reminder_due_soon',
  'reminder_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NotificationParams = Type.Record(Type.String(), Type.String());
export type NotificationParams = Static<typeof NotificationParams>;

export const NotificationView = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...NOTIFICATION_KINDS]),
  params: NotificationParams,
  link: Type.Union([Type.String(), Type.Null()]),
  read: Type.Boolean(),
  createdAt: Type.String(),
});
export type NotificationView = Static<typeof NotificationView>;

export const Inbox = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(NotificationView),
});
export type Inbox = Static<typeof Inbox>;

export const MarkReadBody = Type.Object(
  {
    /** Leave out to mark everything read. */
    ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type MarkReadBody = Static<typeof MarkReadBody>;
