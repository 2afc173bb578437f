import { Type, type Static } from 'typebox';
import { HandoffLink } from './handoff.schemas.ts';
import { ACTION_ITEM_STATUSES, STAGES } from './stages.ts';
import { TOPIC_CATEGORIES } from './topics.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const ResultView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  localName: Type.String(),
  location: Type.String(),
  startsAt: Type.String(),
  stage: Type.Enum([...STAGES]),
  place: Type.String(),
  chair: Type.String(),
  topics: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      category: Type.Enum([...TOPIC_CATEGORIES]),
      raisedBy: Type.String(),
      cosigns: Type.Integer(),
      deferred: Type.Boolean(),
      resolution: Nullable(Type.String()),
      photoIds: Type.Array(Type.String()),
      /** The 随手拍 report it was raised from, if any. */
      fromProblemId: Nullable(Type.String()),
      votes: Type.Array(
        Type.Object({
          question: Type.String(),
          counted: Type.Integer(),
          /** Keyed by choice code or proposal id; `label` is the proposal's words (or 赞成…). */
          options: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
          tally: Type.Record(Type.String(), Type.Integer()),
        }),
      ),
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          title: Type.String(),
          owner: Type.String(),
          deadline: Type.String(),
          status: Type.Enum([...ACTION_ITEM_STATUSES]),
          ratings: Type.Object({
            satisfied: Type.Integer(),
            basically_satisfied: Type.Integer(),
            dissatisfied: Type.Integer(),
          }),
          satisfaction: Nullable(Type.Number()),
          /** The 双报到 project or team activity that carries the item out, if handed on. */
          handoff: Nullable(HandoffLink),
        }),
      ),
    }),
  ),
  minutes: Nullable(Type.Object({ text: Type.String(), final: Type.Boolean(), at: Type.String() })),
});
export type ResultView = Static<typeof ResultView>;
