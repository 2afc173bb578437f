import { Type, type Static } from 'typebox';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

/**
 * 待办 "what needs me": every kind of entry the home page lists, each with one tap to the
 * place where it is done.
 */
export const TODO_KINDS = [
  /** A roundtable of mine is live now (议事): 进入会场. */
  'meeting_live',
  /** The next roundtable I can take part in (提事, not yet live). */
  'meeting_next',
  /** Chair: topics raised and not yet screened, per roundtable. */
  'screen_topics',
  /** Secretary: micro-wishes waiting for review, per community. */
  'review_wishes',
  /** Secretary: party members' reports waiting for confirmation, per community. */
  'review_members',
  /** Secretary, or the resident who made the wish: deliveries to confirm. */
  'confirm_deliveries',
  /** Grid worker or secretary: a problem report waiting on me (answer, start, resolve). */
  'handle_problem',
  /** Unit representative or party member: a claim of mine still being worked on. */
  'my_claim',
  /** Action items I may rate (评事), per roundtable. */
  'rate_items',
  /** An activity I hold a place on, tomorrow. */
  'activity_tomorrow',
  /** A report of mine was dealt with: confirm it, or reopen it. */
  'problem_answered',
  /** An action item I own, not yet done. */
  'my_action_item',
] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** How pressing: past its time, due within a day, or otherwise. */
export const URGENCIES = ['overdue', 'soon', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The groups of the page, in order. */
export const TODO_GROUPS = ['meetings', 'handle', 'mine', 'answers'] as const;
export type TodoGroup = (typeof TODO_GROUPS)[number];

export const TodoEntry = Type.Object(
  {
    /** Stable within one answer: kind and the record it is about. */
    key: Type.String(),
    kind: Type.Enum([...TODO_KINDS]),
    group: Type.Enum([...TODO_GROUPS]),
    /** The record's own words: a roundtable's, a report's, an item's title. */
    title: Type.String(),
    /** Where it belongs: a community, a roundtable, a team. */
    context: Nullable(Type.String()),
    /** When it starts or is due (ISO), if it has a time. */
    due: Nullable(Type.String({ format: 'date-time' })),
    urgency: Type.Enum([...URGENCIES]),
    /** The page where it is done. */
    href: Type.String(),
    /** How many, where an entry stands for several (topics to screen, wishes to review). */
    count: Nullable(Type.Integer({ minimum: 1 })),
    /** The record's state where the words depend on it (a report's status, a claim's). */
    state: Nullable(Type.String()),
    /** A problem report escalated to the secretary. */
    escalated: Type.Boolean(),
  },
  strict,
);
export type TodoEntry = Static<typeof TodoEntry>;

export const TodoView = Type.Object(
  {
    /** Overdue first, then soon, then the rest; by time within each. */
    entries: Type.Array(TodoEntry),
    /**
     * The live documents whose changes may change this list, beyond the viewer's own inbox:
     * the page listens to them and asks again, rather than polling.
     */
    watch: Type.Object(
      {
        /** Roundtable rooms (`roundtable:<id>`): their stage, raised topics and items. */
        rooms: Type.Array(Type.String({ format: 'uuid' })),
        /** Communities' 随手拍 lists (`problems:<id>`) the viewer answers reports in. */
        problems: Type.Array(Type.String({ format: 'uuid' })),
      },
      strict,
    ),
    generatedAt: Type.String({ format: 'date-time' }),
  },
  strict,
);
export type TodoView = Static<typeof TodoView>;
