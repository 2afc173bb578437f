import type { ReminderParams } from '../reminders/reminders.ts';
import { Type, type Static } from 'typebox';

/**
 * What a notification is about. The app renders the words from `kind` and `params`
 * in the reader's language, so the server stores no sentences.
 */
export const NOTIFICATION_KINDS = [
  'waitlist_promoted',
  'activity_changed',
  'activity_cancelled',
  'activity_reminder',
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
  'problem_raised',
  // reminders: params are ReminderParams (shared/src/reminders/reminders.ts)
  'reminder_due_soon',
  'reminder_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * What each kind carries. Values travel as strings (a moment as an ISO string), so a kind's
 * parameters fit the stored `Record<string, string>`; a kind missing here fails to compile
 * wherever it is sent or shown.
 */
export interface NotificationParamsByKind {
  waitlist_promoted: { title: string; startsAt: string; place: string };
  activity_changed: { title: string; startsAt: string; place: string };
  activity_cancelled: { title: string; startsAt: string };
  activity_reminder: { title: string; startsAt: string; place: string };
  leader_message: { title: string; from: string; text: string };
  team_join_requested: { team: string; name: string };
  team_join_approved: { team: string };
  wish_reviewed: { title: string; decision: 'approve' | 'reject'; reason: string };
  item_claimed: { title: string; claimant: string };
  claim_delivered: { title: string; claimant: string };
  claim_confirmed: { title: string; rating: string };
  member_report_reviewed: { community: string; decision: 'confirm' | 'reject'; reason: string };
  topic_screened: { title: string; decision: 'accept' | 'merge' | 'decline'; reason: string };
  roundtable_live: { title: string; localName: string };
  action_item_assigned: { title: string; roundtable: string };
  action_item_reopened: { title: string };
  rating_asked: { title: string };
  role_revoked: { role: string; place: string };
  problem_submitted: { title: string; category: string };
  problem_answered:
    { title: string; outcome: 'accepted' } | { title: string; outcome: 'declined'; reason: string };
  problem_resolved: { title: string };
  problem_reopened: { title: string };
  problem_escalated: { title: string; category: string };
  problem_merged: { title: string };
  problem_raised: { title: string; roundtable: string };
  reminder_due_soon: ReminderParams;
  reminder_overdue: ReminderParams;
}
export type NotificationParamsOf<K extends NotificationKind> = NotificationParamsByKind[K];

/** A kind with its own parameters: `{ kind: 'rating_asked', params: { title } }`. */
export type KindWithParams = {
  [K in NotificationKind]: { kind: K; params: NotificationParamsOf<K> };
}[NotificationKind];

// Every kind has its parameters written down above, and nothing else is there.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyKindTyped: Exact<keyof NotificationParamsByKind, NotificationKind> = true;
void everyKindTyped;

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
