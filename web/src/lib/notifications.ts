import type { NotificationView } from '@tongxin/shared/notifications/notifications';
import { ROLES, type Role } from '@tongxin/shared/roles';
import { formatMoment } from '$lib/format';
import { problemCategoryName, roleName } from '$lib/labels';
import { m } from '$lib/paraglide/messages';

const isRole = (value: string | undefined): value is Role =>
  (ROLES as readonly string[]).includes(value ?? '');

/** A notification's sentence in the language on screen, from its kind and parameters. */
export function notificationText(n: NotificationView): string {
  const p = n.params;
  const when = p.startsAt ? formatMoment(p.startsAt) : '';
  const title = p.title ?? '';
  const place = p.place ?? '';
  switch (n.kind) {
    case 'waitlist_promoted':
      return m.nt_waitlist_promoted({ title, when });
    case 'shift_changed':
      return m.nt_shift_changed({ title, when, place });
    case 'shift_cancelled':
      return m.nt_shift_cancelled({ title, when });
    case 'shift_reminder':
      return m.nt_shift_reminder({ title, when, place });
    case 'leader_message':
      return m.nt_leader_message({ from: p.from ?? '', title, text: p.text ?? '' });
    case 'team_join_requested':
      return m.nt_team_join_requested({ name: p.name ?? '', team: p.team ?? '' });
    case 'team_join_approved':
      return m.nt_team_join_approved({ team: p.team ?? '' });
    case 'wish_reviewed':
      return p.decision === 'approve'
        ? m.nt_wish_approved({ title })
        : m.nt_wish_rejected({ title, reason: p.reason ?? '' });
    case 'item_claimed':
      return m.nt_item_claimed({ title, claimant: p.claimant ?? '' });
    case 'claim_delivered':
      return m.nt_claim_delivered({ title, claimant: p.claimant ?? '' });
    case 'claim_confirmed':
      return m.nt_claim_confirmed({ title, rating: p.rating ?? '' });
    case 'member_report_reviewed':
      return p.decision === 'confirm'
        ? m.nt_member_report_confirmed({ community: p.community ?? '' })
        : m.nt_member_report_rejected({ community: p.community ?? '', reason: p.reason ?? '' });
    case 'topic_screened':
      return p.decision === 'accept'
        ? m.nt_topic_accepted({ title })
        : p.decision === 'merge'
          ? m.nt_topic_merged({ title })
          : m.nt_topic_declined({ title, reason: p.reason ?? '' });
    case 'roundtable_live':
      return m.nt_roundtable_live({ name: p.localName ?? '', title });
    case 'action_item_assigned':
      return m.nt_action_item_assigned({ title, roundtable: p.roundtable ?? '' });
    case 'action_item_reopened':
      return m.nt_action_item_reopened({ title });
    case 'rating_asked':
      return m.nt_rating_asked({ title });
    case 'role_revoked':
      return m.nt_role_revoked({ role: isRole(p.role) ? roleName(p.role) : '', place });
    case 'problem_submitted':
      return m.nt_problem_submitted({ category: problemCategoryName(p.category), title });
    case 'problem_answered':
      return p.outcome === 'declined'
        ? m.nt_problem_declined({ title, reason: p.reason ?? '' })
        : m.nt_problem_accepted({ title });
    case 'problem_resolved':
      return m.nt_problem_resolved({ title });
    case 'problem_reopened':
      return m.nt_problem_reopened({ title });
    case 'problem_escalated':
      return m.nt_problem_escalated({ category: problemCategoryName(p.category), title });
    case 'problem_merged':
      return m.nt_problem_merged({ title });
    case 'reminder_due_soon':
    case 'reminder_overdue': {
      const words = { subject: reminderSubject(p.subject), title, due: formatMoment(p.due ?? '') };
      if (n.kind === 'reminder_due_soon') return m.nt_reminder_due_soon(words);
      return p.as === 'secretary'
        ? m.nt_reminder_overdue_secretary(words)
        : m.nt_reminder_overdue(words);
    }
  }
}

/** What a reminder is about, in words (ReminderParams.subject). */
function reminderSubject(subject: string | undefined): string {
  if (subject === 'action_item') return m.rm_subject_action_item();
  if (subject === 'claim') return m.rm_subject_claim();
  return m.rm_subject_problem();
}
