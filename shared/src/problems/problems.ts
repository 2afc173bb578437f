import { RATINGS, type Rating } from '../roundtables/action-items.ts';
import { mayDo } from '../roundtables/actions.ts';
import type { Stage } from '../roundtables/stages.ts';
import type { TopicCategory } from '../roundtables/topics.ts';

/**
 * 随手拍 problem reports (下呼上应): the categories the seeds name, each with its time limits,
 * and how a report moves from submitted to confirmed. The one copy of these rules: the
 * server judges with them and tells each page what its viewer may do.
 */
export const PROBLEM_CATEGORIES = [
  'parking',
  'ebike_charging',
  'rubbish',
  'stray_animals',
  'broken_facility',
  'safety_hazard',
  'other',
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

/** Answer (accept or turn down) within hours; resolve within days of accepting. */
export const PROBLEM_LIMITS: Record<
  ProblemCategory,
  { respondHours: number; resolveDays: number }
> = {
  safety_hazard: { respondHours: 2, resolveDays: 2 },
  broken_facility: { respondHours: 24, resolveDays: 7 },
  ebike_charging: { respondHours: 24, resolveDays: 7 },
  rubbish: { respondHours: 24, resolveDays: 3 },
  stray_animals: { respondHours: 24, resolveDays: 7 },
  parking: { respondHours: 24, resolveDays: 7 },
  other: { respondHours: 48, resolveDays: 14 },
};

export const PROBLEM_STATUSES = [
  'submitted',
  'accepted',
  'declined',
  'in_hand',
  'resolved',
  'confirmed',
  'merged',
] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** Points credited to the reporter when they confirm the fix (once per report). */
export const PROBLEM_POINTS = 5;

/** The most photos on a report or on its evidence of a fix. */
export const PROBLEM_PHOTOS = 4;

/** Who is asking: the grid worker or secretary who answers, a follower (the reporters), or else. */
export type ProblemPart = 'handler' | 'follower' | 'other';

export const PROBLEM_VERBS = [
  'accept',
  'decline',
  'start',
  'resolve',
  'confirm',
  'reopen',
  'merge',
  'raise',
] as const;
export type ProblemVerb = (typeof PROBLEM_VERBS)[number];

/** Each verb: the states it starts from and who may use it. */
const VERBS: Record<ProblemVerb, { from: readonly ProblemStatus[]; by: ProblemPart }> = {
  accept: { from: ['submitted'], by: 'handler' },
  decline: { from: ['submitted'], by: 'handler' },
  start: { from: ['accepted'], by: 'handler' },
  resolve: { from: ['accepted', 'in_hand'], by: 'handler' },
  confirm: { from: ['resolved'], by: 'follower' },
  reopen: { from: ['resolved'], by: 'follower' },
  merge: { from: ['submitted', 'accepted', 'in_hand'], by: 'handler' },
  // 提交圆桌会议: the grid worker who handles the report, or the community's secretary, takes a
  // report still being dealt with to a roundtable (once: see problemVerbsFor's `raised`).
  raise: { from: ['submitted', 'accepted', 'in_hand'], by: 'handler' },
};

/**
 * Who receives a category's reports in a community (分类派单): the report's grid worker (the
 * default), a unit that reported to the community (its representatives act) or a service
 * team (its leaders act). The community secretary sets it; the secretary may always act.
 */
export const PROBLEM_OWNER_KINDS = ['grid', 'unit', 'team'] as const;
export type ProblemOwnerKind = (typeof PROBLEM_OWNER_KINDS)[number];

/** The owner a report was routed to when it was made: a unit, a team, or neither (its grid). */
export interface ProblemOwner {
  ownerUnitId: string | null;
  ownerTeamId: string | null;
}

/** What the database knows of a person against one report. */
export interface ProblemHandlerFacts {
  /** Secretary of its community or a place above it. */
  secretary: boolean;
  /** Grid worker of the report's grid. */
  gridWorker: boolean;
  /** Representative of the unit it was routed to. */
  unitRep: boolean;
  /** Active leader of the team it was routed to. */
  teamLeader: boolean;
}

/**
 * Whether the person answers the report (accepts, declines, starts, resolves, merges): the
 * secretary always; otherwise the owner it was routed to, and the grid worker only when it
 * was routed to nobody else.
 */
export function handlesReport(owner: ProblemOwner, facts: ProblemHandlerFacts): boolean {
  if (facts.secretary) return true;
  if (owner.ownerUnitId) return facts.unitRep;
  if (owner.ownerTeamId) return facts.teamLeader;
  return facts.gridWorker;
}

/** A category's time limits: the community's own when its route sets them, else the defaults. */
export function problemLimitsOf(
  category: ProblemCategory,
  route?: { respondHours: number | null; resolveDays: number | null } | null,
): { respondHours: number; resolveDays: number } {
  const base = PROBLEM_LIMITS[category];
  return {
    respondHours: route?.respondHours ?? base.respondHours,
    resolveDays: route?.resolveDays ?? base.resolveDays,
  };
}

/** How the viewer stands to a report: answers it (grid worker, secretary), follows it, or both. */
export interface ProblemStanding {
  handles: boolean;
  follows: boolean;
}

/** Who the verb is for: 'handler' or 'follower'. */
export function problemVerbBy(verb: ProblemVerb): ProblemPart {
  return VERBS[verb].by;
}

/** Whether this person may use the verb at all (403 when not). */
export function problemVerbIsFor(verb: ProblemVerb, standing: ProblemStanding): boolean {
  return VERBS[verb].by === 'handler' ? standing.handles : standing.follows;
}

/** Whether the verb applies in this state (409 when not). */
export function problemVerbFits(verb: ProblemVerb, status: ProblemStatus): boolean {
  return VERBS[verb].from.includes(status);
}

/**
 * What the viewer may do now, for the page's buttons; a report raised once is not raised
 * again, nor merged away into another (it is its topic's; others are merged into it).
 */
export function problemVerbsFor(
  standing: ProblemStanding,
  status: ProblemStatus,
  raised = false,
): ProblemVerb[] {
  return PROBLEM_VERBS.filter(
    (v) =>
      problemVerbIsFor(v, standing) &&
      problemVerbFits(v, status) &&
      !((v === 'raise' || v === 'merge') && raised),
  );
}

/**
 * Whether a roundtable in this stage takes a report as a topic now: exactly when the
 * roundtable's own rule lets a topic be raised in it (提事, and 议事 where the console flags it).
 */
export function roundtableTakesTopics(stage: Stage): boolean {
  return mayDo(stage, 'chair', 'raise_topic', { openMinutes: false, guestMaySpeak: false });
}

/** A report's category as the roundtable's topic category. */
export const PROBLEM_TOPIC_CATEGORY: Record<ProblemCategory, TopicCategory> = {
  parking: 'parking',
  ebike_charging: 'ebike_charging',
  rubbish: 'rubbish_sorting',
  stray_animals: 'stray_animals',
  broken_facility: 'other',
  safety_hazard: 'safety',
  other: 'other',
};

/** The part the page shows the viewer in. */
export function problemPartOf(standing: ProblemStanding): ProblemPart {
  return standing.handles ? 'handler' : standing.follows ? 'follower' : 'other';
}

/** The states in which a report still waits on its handler, and so can be overdue. */
export const WAITING: readonly ProblemStatus[] = ['submitted', 'accepted', 'in_hand'];

/** Whether a report still waits on its handler (answered or not, not yet dealt with). */
export const isWaiting = (status: ProblemStatus) => WAITING.includes(status);

/**
 * When a report is overdue: not answered by its respond-by, or not resolved by its resolve-by.
 * Never while it sits at a roundtable (raised: `topicId` set): the roundtable's process owns
 * it then, with its own deadlines (the action items'), so the report's own do not run.
 */
export function isOverdue(
  report: {
    status: ProblemStatus;
    respondBy: Date;
    resolveBy: Date | null;
    topicId: string | null;
  },
  now: Date,
): boolean {
  if (report.topicId !== null) return false;
  if (report.status === 'submitted') return now > report.respondBy;
  if (report.status === 'accepted' || report.status === 'in_hand')
    return report.resolveBy !== null && now > report.resolveBy;
  return false;
}

type RouteLimits = Parameters<typeof problemLimitsOf>[1];

export function respondByFrom(category: ProblemCategory, from: Date, route?: RouteLimits): Date {
  return new Date(from.getTime() + problemLimitsOf(category, route).respondHours * 3600_000);
}

export function resolveByFrom(category: ProblemCategory, from: Date, route?: RouteLimits): Date {
  return new Date(from.getTime() + problemLimitsOf(category, route).resolveDays * 86_400_000);
}

export { RATINGS as PROBLEM_RATINGS, type Rating as ProblemRating };
