import type { Migration } from 'kysely';
import * as foundation from './2026-11-22-0001-foundation.ts';
import * as liveDocuments from './2026-11-22-0002-live-documents.ts';
import * as roundtables from './2026-11-22-0005-roundtables.ts';
import * as doubleReport from './2026-11-24-0006-double-report.ts';
import * as notifications from './2026-11-25-0007-notifications.ts';
import * as teams from './2026-11-25-0008-teams.ts';
import * as meetings from './2026-11-25-0009-meetings.ts';
import * as guests from './2026-11-25-0011-guests.ts';
import * as photos from './2026-11-25-0012-photos.ts';
import * as claimCounterGuard from './2026-12-06-0014-claim-counter-guard.ts';
import * as serviceDayEnd from './2026-12-06-0020-service-day-end.ts';
import * as loginFailureAddress from './2026-12-06-0024-login-failure-address.ts';
import * as problemReports from './2026-12-07-0025-problem-reports.ts';
import * as problemTopics from './2026-12-07-0026-problem-topics.ts';
import * as actionHandoff from './2026-12-07-0027-action-handoff.ts';
import * as routingReminders from './2026-12-07-0028-routing-reminders.ts';
import * as cluster from './2026-12-07-0029-cluster.ts';
import * as clusterJobs from './2026-12-07-0031-cluster-jobs.ts';
import * as activityKinds from './2026-12-07-0032-activity-kinds.ts';
import * as handoffAfterCancel from './2026-12-07-0033-handoff-after-cancel.ts';
import * as eventOrder from './2026-12-07-0034-event-order.ts';
import * as eventSequence from './2026-12-07-0035-event-sequence.ts';

/** All migrations, in order. Names sort by date; released ones never change. */
export const migrations: Record<string, Migration> = {
  '2026-11-22-0001-foundation': foundation,
  '2026-11-22-0002-live-documents': liveDocuments,
  '2026-11-22-0005-roundtables': roundtables,
  '2026-11-24-0006-double-report': doubleReport,
  '2026-11-25-0007-notifications': notifications,
  '2026-11-25-0008-teams': teams,
  '2026-11-25-0009-meetings': meetings,
  '2026-11-25-0011-guests': guests,
  '2026-11-25-0012-photos': photos,
  '2026-12-06-0014-claim-counter-guard': claimCounterGuard,
  '2026-12-06-0020-service-day-end': serviceDayEnd,
  '2026-12-06-0024-login-failure-address': loginFailureAddress,
  '2026-12-07-0025-problem-reports': problemReports,
  '2026-12-07-0026-problem-topics': problemTopics,
  '2026-12-07-0027-action-handoff': actionHandoff,
  '2026-12-07-0028-routing-reminders': routingReminders,
  '2026-12-07-0029-cluster': cluster,
  '2026-12-07-0031-cluster-jobs': clusterJobs,
  '2026-12-07-0032-activity-kinds': activityKinds,
  '2026-12-07-0033-handoff-after-cancel': handoffAfterCancel,
  '2026-12-07-0034-event-order': eventOrder,
  '2026-12-07-0035-event-sequence': eventSequence,
};
