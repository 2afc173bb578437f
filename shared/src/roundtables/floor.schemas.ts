import { Type, type Static } from 'typebox';
import { RATINGS } from './action-items.ts';
import type { HandoffLink } from './handoff.schemas.ts';
import { PhotoIds } from './roundtable.schemas.ts';
import { ACTION_ITEM_STATUSES, STAGES } from './stages.ts';
import { TOPIC_CATEGORIES } from './topics.ts';
import { VOTE_CHOICES, VOTE_KINDS, type VoteKind } from './votes.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

// ── Commands of the live meeting (议事) ───────────────────────────────────────
export const SettingsBody = Type.Object(
  {
    /** Seconds each speaker has, shown to everyone; null = no timer. */
    timerSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 30, maximum: 1800 }))),
    /** Everyone present may write the minutes, not only the chair and scribes. */
    openMinutes: Type.Optional(Type.Boolean()),
    hiddenTally: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type SettingsBody = Static<typeof SettingsBody>;

/** `code` is the one on the projector's QR code: it marks the person present in the room. */
export const AttendBody = Type.Object(
  { code: Type.Optional(Type.String({ minLength: 6, maxLength: 64 })) },
  strict,
);
export type AttendBody = Static<typeof AttendBody>;

/** A resident without a phone, marked present by the chair and counted by show of hands. */
export const MarkPresentBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 30 }) },
  strict,
);
export type MarkPresentBody = Static<typeof MarkPresentBody>;

export const CurrentTopicBody = Type.Object({ topicId: Nullable(Id) }, strict);
export type CurrentTopicBody = Static<typeof CurrentTopicBody>;

export const HandBody = Type.Object({ raised: Type.Boolean() }, strict);
export type HandBody = Static<typeof HandBody>;

/** Give the floor to someone (from the queue or not), or take it back with `null`. */
export const FloorBody = Type.Object({ userId: Nullable(Id) }, strict);
export type FloorBody = Static<typeof FloorBody>;

export const ProposalBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 300 }) },
  strict,
);
export type ProposalBody = Static<typeof ProposalBody>;

export { VOTE_KINDS, type VoteKind };

export const OpenVoteBody = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 120 }),
    /** Support / oppose / abstain, or one choice among the topic's proposals. */
    kind: Type.Enum([...VOTE_KINDS]),
    /** Tally hidden until close; the room's default when left out. */
    hiddenTally: Type.Optional(Type.Boolean()),
    /**
     * The chair saw that fewer people are present than the quorum and opens the vote anyway;
     * without it, such a vote is refused with `below_quorum`.
     */
    belowQuorum: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type OpenVoteBody = Static<typeof OpenVoteBody>;

/** `choice` for a yes/no vote, `proposalId` for a choice among proposals. */
export const BallotBody = Type.Object(
  {
    choice: Type.Optional(Type.Enum([...VOTE_CHOICES])),
    proposalId: Type.Optional(Id),
  },
  strict,
);
export type BallotBody = Static<typeof BallotBody>;

/** Hands counted in the room, per option key (`support` … or a proposal id). Replaces earlier counts. */
export const HandsBody = Type.Object(
  {
    counts: Type.Record(
      Type.String({ maxLength: 36 }),
      Type.Integer({ minimum: 0, maximum: 10000 }),
      {
        maxProperties: 20,
      },
    ),
  },
  strict,
);
export type HandsBody = Static<typeof HandsBody>;

export const ResolutionBody = Type.Object(
  {
    text: Type.String({ minLength: 2, maxLength: 500 }),
    voteId: Type.Optional(Id),
  },
  strict,
);
export type ResolutionBody = Static<typeof ResolutionBody>;

// ── 办事 / 评事 ───────────────────────────────────────────────────────────────
export const OWNER_KINDS = ['unit', 'team', 'person'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const ActionItemBody = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 120 }),
    ownerKind: Type.Enum([...OWNER_KINDS]),
    ownerId: Id,
    /** A day, YYYY-MM-DD, in China time. */
    deadline: Type.String({ format: 'date' }),
  },
  strict,
);
export type ActionItemBody = Static<typeof ActionItemBody>;

export const ItemUpdateBody = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    status: Type.Optional(Type.Enum([...ACTION_ITEM_STATUSES])),
    /** Required when the status becomes blocked: residents read it. */
    blockedReason: Type.Optional(Type.String({ minLength: 2, maxLength: 300 })),
    photoIds: Type.Optional(PhotoIds),
  },
  strict,
);
export type ItemUpdateBody = Static<typeof ItemUpdateBody>;

export const RatingBody = Type.Object(
  {
    rating: Type.Enum([...RATINGS]),
    comment: Type.Optional(Type.String({ maxLength: 300 })),
  },
  strict,
);
export type RatingBody = Static<typeof RatingBody>;

/** The amendment period (hours) during which attendees may correct the draft minutes. */
export const AmendmentBody = Type.Object(
  { hours: Type.Integer({ minimum: 1, maximum: 168 }) },
  strict,
);
export type AmendmentBody = Static<typeof AmendmentBody>;

// ── The room as everyone sees it: a live projection of the database ──────────
/** Each agenda topic's minutes are one Y.Text in the minutes document. */
export const minutesTextKey = (topicId: string) => `topic:${topicId}`;

export interface RoomProposal {
  id: string;
  text: string;
  by: string;
}
export interface RoomTopic {
  id: string;
  title: string;
  category: (typeof TOPIC_CATEGORIES)[number];
  position: number;
  raisedBy: string;
  cosigns: number;
  deferred: boolean;
  resolution: string | null;
  proposals: RoomProposal[];
  photoIds: string[];
}
export interface RoomRaisedTopic {
  id: string;
  title: string;
  category: (typeof TOPIC_CATEGORIES)[number];
  raisedBy: string;
  cosigns: number;
  raisedAt: string;
  /** Raised once the meeting was under way (议事): the chair's console flags these. */
  duringDiscuss: boolean;
}
/**
 * One check-in, an entry of the room document's `present` map keyed by its attendance id:
 * a check-in writes its own entry, so an arrival sends one name, not the whole list.
 */
export interface RoomPerson {
  /** Null for a resident without an account, marked by the chair. */
  userId: string | null;
  name: string;
  part: string;
  how: 'qr' | 'app' | 'hand';
  /** When they checked in (ISO): the list's order. */
  at: string;
}
/** The room document's `present` map: attendance id → the person. */
export type RoomPresent = Record<string, RoomPerson>;
export interface RoomVote {
  id: string;
  topicId: string;
  question: string;
  kind: VoteKind;
  /** Option keys: `support` `oppose` `abstain`, or proposal ids. */
  options: { key: string; label: string }[];
  open: boolean;
  hidden: boolean;
  /** People counted so far (phones and hands); always shown. */
  counted: number;
  /** Per option key; null while hidden. */
  tally: Record<string, number> | null;
  hands: number;
}
export interface RoomItem {
  id: string;
  topicId: string;
  title: string;
  owner: string;
  ownerKind: OwnerKind;
  deadline: string;
  status: (typeof ACTION_ITEM_STATUSES)[number];
  blockedReason: string | null;
  round: number;
  ratings: { satisfied: number; basically_satisfied: number; dissatisfied: number };
  lastUpdate: { note: string; at: string; by: string; photoIds: string[] } | null;
  /** Published as a 双报到 project or a team's activity: that work and its state. */
  handoff: HandoffLink | null;
}
export interface RoomState {
  stage: (typeof STAGES)[number];
  stageChangedAt: string;
  title: string;
  localName: string;
  location: string;
  quorum: number | null;
  chair: { id: string; name: string };
  agenda: RoomTopic[];
  currentTopicId: string | null;
  /**
   * Attendance: how many checked in (the room's QR code, 我到场了 in the app, a ballot, or
   * marked by the chair), always exact. `count` is what the quorum is judged on, and guests
   * never count in it; who is watching right now is live presence (awareness), not this.
   * The names are the document's `present` map (`RoomPresent`).
   */
  present: {
    count: number;
    inPerson: number;
    online: number;
    byHand: number;
    /** Guests by link who checked in: listed by name, never in `count`. */
    guests: number;
  };
  /** Topics raised and not yet screened, with their co-signs, newest last. */
  raised: RoomRaisedTopic[];
  /** Guests by invite link, and whether the chair lets each one speak. */
  guests: { userId: string; name: string; maySpeak: boolean }[];
  queue: { userId: string; name: string }[];
  speaker: { userId: string; name: string; since: string } | null;
  timerSeconds: number | null;
  openMinutes: boolean;
  vote: RoomVote | null;
  items: RoomItem[];
  minutes: { amendUntil: string | null; frozen: boolean };
}
/** The room document's map `room` has the keys of RoomState. */
export type RoomKey = keyof RoomState;
/** The whole room document, map by map, as the server projects it (a type, not an interface,
 * so that it is a `ProjectedMaps`). */
export type RoomDocument = {
  room: RoomState;
  present: RoomPresent;
};
/** The room as pages read it: the `room` map, and who checked in, in check-in order. */
export type RoomView = RoomState & { people: RoomPerson[] };

// ── Answers ──────────────────────────────────────────────────────────────────
export const Ok = Type.Object({ ok: Type.Literal(true) });
export const Created = Type.Object({ id: Type.String() });

/** What the caller alone may know: my ballot, my hand, my items, the check-in code (chair). */
export const MyRoomView = Type.Object({
  part: Type.Enum(['chair', 'scribe', 'participant', 'guest', 'observer']),
  present: Type.Boolean(),
  handRaised: Type.Boolean(),
  /** My ballot in each vote of this meeting, by vote id: the option key I chose. */
  myBallots: Type.Record(Type.String(), Type.String()),
  ownedItemIds: Type.Array(Type.String()),
  myRatings: Type.Record(Type.String(), Type.Enum([...RATINGS])),
  checkinCode: Nullable(Type.String()),
  canEditMinutes: Type.Boolean(),
});
export type MyRoomView = Static<typeof MyRoomView>;

export const OwnerChoices = Type.Object({
  units: Type.Array(Ref),
  teams: Type.Array(Ref),
  people: Type.Array(Ref),
});
export type OwnerChoices = Static<typeof OwnerChoices>;

export const VoteResult = Type.Object({
  id: Type.String(),
  counted: Type.Integer(),
  tally: Type.Record(Type.String(), Type.Integer()),
  ballots: Type.Integer(),
  hands: Type.Integer(),
});
export type VoteResult = Static<typeof VoteResult>;

export const MyRoundtableWork = Type.Object({
  topics: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      status: Type.Enum(['submitted', 'accepted', 'merged', 'declined']),
      declineReason: Nullable(Type.String()),
      roundtableId: Type.String(),
      roundtableTitle: Type.String(),
      stage: Type.Enum([...STAGES]),
      /**
       * Where I can follow it: the room (I take part), the 公示 (closed, public), or nowhere
       * (a grid worker raising a report to a compound's roundtable takes no part in it).
       */
      open: Nullable(Type.Enum(['room', 'result'])),
    }),
  ),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      status: Type.Enum([...ACTION_ITEM_STATUSES]),
      deadline: Type.String(),
      roundtableId: Type.String(),
      roundtableTitle: Type.String(),
    }),
  ),
});
export type MyRoundtableWork = Static<typeof MyRoundtableWork>;
