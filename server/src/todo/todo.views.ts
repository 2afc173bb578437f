import { fromChinaLocal, DAY_MS } from '@tongxin/shared/time/china';
import type { TodoEntry, TodoGroup, TodoKind, Urgency } from '@tongxin/shared/todo/todo.schemas';

/** Due within this long: soon. */
const SOON_MS = DAY_MS;

/** How pressing something due at `due` is, now. */
export function urgencyOf(due: Date | null, now: Date, overdue?: boolean): Urgency {
  if (overdue ?? (due !== null && due.getTime() < now.getTime())) return 'overdue';
  if (due !== null && due.getTime() - now.getTime() <= SOON_MS) return 'soon';
  return 'normal';
}

/** An action item's deadline is a day: it is due by the end of that day in China. */
export const endOfChinaDay = (day: string) => new Date(fromChinaLocal(day).getTime() + DAY_MS - 1);

const GROUP_OF: Record<TodoKind, TodoGroup> = {
  meeting_live: 'meetings',
  meeting_next: 'meetings',
  screen_topics: 'handle',
  review_wishes: 'handle',
  review_members: 'handle',
  confirm_deliveries: 'handle',
  handle_problem: 'handle',
  my_claim: 'mine',
  my_action_item: 'mine',
  activity_tomorrow: 'mine',
  rate_items: 'answers',
  problem_answered: 'answers',
};

export interface EntryInput {
  kind: TodoKind;
  id: string;
  title: string;
  href: string;
  context?: string | null;
  due?: Date | null;
  urgency: Urgency;
  count?: number | null;
  state?: string | null;
  escalated?: boolean;
}

export function entry(input: EntryInput): TodoEntry {
  return {
    key: `${input.kind}:${input.id}`,
    kind: input.kind,
    group: GROUP_OF[input.kind],
    title: input.title,
    context: input.context ?? null,
    due: input.due ? input.due.toISOString() : null,
    urgency: input.urgency,
    href: input.href,
    count: input.count ?? null,
    state: input.state ?? null,
    escalated: input.escalated ?? false,
  };
}

const RANK: Record<Urgency, number> = { overdue: 0, soon: 1, normal: 2 };

/** Overdue first, then soon, then the rest; by time within each (no time last). */
export function sortEntries(entries: TodoEntry[]): TodoEntry[] {
  const at = (e: TodoEntry) => (e.due ? Date.parse(e.due) : Number.POSITIVE_INFINITY);
  return [...entries].sort(
    (a, b) => RANK[a.urgency] - RANK[b.urgency] || at(a) - at(b) || a.key.localeCompare(b.key),
  );
}
