import type { KindWithParams, NotificationView } from '@tongxin/shared/notifications/notifications';
import type { ReminderSubject } from '@tongxin/shared/reminders/reminders';
import { ROLES, type Role } from '@tongxin/shared/roles';
import { formatMoment } from '$lib/format';
import { problemCategoryName, roleName } from '$lib/labels';
import { m } from '$lib/paraglide/messages';

const isRole = (value: string | undefined): value is Role =>
  (ROLES as readonly string[]).includes(value ?? '');

/** A notification as the server writes it: each kind with its own parameters. */
type Typed = KindWithParams & Omit<NotificationView, 'kind' | 'params'>;

/** A notification's sentence in the language on screen, from its kind and parameters. */
export function notificationText(view: NotificationView): string {
  // The server sends each kind only with the parameters NotificationParamsByKind gives it.
  const n = view as Typed;
  switch (n.kind) {
    case 'waitlist_promoted':
      return m.nt_waitlist_promoted({
        title: n.params.title,
        when: formatMoment(n.params.startsAt),
      });
    case 'activity_changed':
      return m.nt_activity_changed({
        title: n.params.title,
        when: formatMoment(n.params.startsAt),
        place: n.params.place,
      });
    case 'activity_cancelled':
      return m.nt_activity_cancelled({
        title: n.params.title,
        when: formatMoment(n.params.startsAt),
      });
    case 'activity_reminder':
      return m.nt_activity_reminder({
        title: n.params.title,
        when: formatMoment(n.params.startsAt),
        place: n.params.place,
      });
    case 'leader_message':
      return m.nt_leader_message({
        from: n.params.from,
        title: n.params.title,
        text: n.params.text,
      });
    case 'team_join_requested':
      return m.nt_team_join_requested({ name: n.params.name, team: n.params.team });
    case 'team_join_approved':
      return m.nt_team_join_approved({ team: n.params.team });
    case 'wish_reviewed':
      return n.params.decision === 'approve'
        ? m.nt_wish_approved({ title: n.params.title })
        : m.nt_wish_rejected({ title: n.params.title, reason: n.params.reason });
    case 'item_claimed':
      return m.nt_item_claimed({ title: n.params.title, claimant: n.params.claimant });
    case 'claim_delivered':
      return m.nt_claim_delivered({ title: n.params.title, claimant: n.params.claimant });
    case 'claim_confirmed':
      return m.nt_claim_confirmed({ title: n.params.title, rating: n.params.rating });
    case 'member_report_reviewed':
      return n.params.decision === 'confirm'
        ? m.nt_member_report_confirmed({ community: n.params.community })
        : m.nt_member_report_rejected({ community: n.params.community, reason: n.params.reason });
    case 'topic_screened':
      return n.params.decision === 'accept'
        ? m.nt_topic_accepted({ title: n.params.title })
        : n.params.decision === 'merge'
          ? m.nt_topic_merged({ title: n.params.title })
          : m.nt_topic_declined({ title: n.params.title, reason: n.params.reason });
    case 'roundtable_live':
      return m.nt_roundtable_live({ name: n.params.localName, title: n.params.title });
    case 'action_item_assigned':
      return m.nt_action_item_assigned({ title: n.params.title, roundtable: n.params.roundtable });
    case 'action_item_reopened':
      return m.nt_action_item_reopened({ title: n.params.title });
    case 'rating_asked':
      return m.nt_rating_asked({ title: n.params.title });
    case 'role_revoked':
      return m.nt_role_revoked({
        role: isRole(n.params.role) ? roleName(n.params.role) : '',
        place: n.params.place,
      });
    case 'problem_submitted':
      return m.nt_problem_submitted({
        category: problemCategoryName(n.params.category),
        title: n.params.title,
      });
    case 'problem_answered':
      return n.params.outcome === 'declined'
        ? m.nt_problem_declined({ title: n.params.title, reason: n.params.reason })
        : m.nt_problem_accepted({ title: n.params.title });
    case 'problem_resolved':
      return m.nt_problem_resolved({ title: n.params.title });
    case 'problem_reopened':
      return m.nt_problem_reopened({ title: n.params.title });
    case 'problem_escalated':
      return m.nt_problem_escalated({
        category: problemCategoryName(n.params.category),
        title: n.params.title,
      });
    case 'problem_merged':
      return m.nt_problem_merged({ title: n.params.title });
    case 'problem_raised':
      return m.nt_problem_raised({ title: n.params.title, roundtable: n.params.roundtable });
    case 'reminder_due_soon':
    case 'reminder_overdue': {
      const p = n.params;
      const words = {
        subject: reminderSubject(p.subject),
        title: p.title,
        due: formatMoment(p.due),
      };
      if (n.kind === 'reminder_due_soon') return m.nt_reminder_due_soon(words);
      return p.as === 'secretary'
        ? m.nt_reminder_overdue_secretary(words)
        : m.nt_reminder_overdue(words);
    }
  }
}

/** What a reminder is about, in words (ReminderParams.subject). */
function reminderSubject(subject: ReminderSubject): string {
  const words = {
    action_item: m.rm_subject_action_item,
    claim: m.rm_subject_claim,
    problem: m.rm_subject_problem,
  } satisfies Record<ReminderSubject, () => string>;
  return words[subject]();
}
