import type { Locale } from '@tongxin/shared';
import type { Refusal } from '@tongxin/shared/roundtable/stages';
import { AppError } from '../http/app-error.ts';

const words: Record<Refusal, { zh: string; en: string }> = {
  not_chair: {
    zh: '只有会议主持人可以推进会议阶段。',
    en: 'Only the chair can move the meeting on.',
  },
  already_closed: { zh: '会议已经结束。', en: 'The roundtable is already closed.' },
  no_agenda: {
    zh: '议程上还没有议题：请先审议居民提出的议题。',
    en: 'The agenda is empty: screen the raised topics first.',
  },
  vote_open: {
    zh: '还有表决没有结束，请先结束表决。',
    en: 'A vote is still open; close it first.',
  },
  topics_unresolved: {
    zh: '还有议题没有形成议定事项（或标为暂缓）。',
    en: 'Some agenda topics have no resolution yet (or are not deferred).',
  },
  no_action_items: { zh: '还没有分派办理事项。', en: 'No action items have been assigned yet.' },
  items_not_done: { zh: '还有办理事项没有完成。', en: 'Some action items are not done yet.' },
  minutes_not_approved: {
    zh: '会议纪要还没有定稿。',
    en: 'The minutes have not been approved yet.',
  },
};

/** A stage-machine refusal as an API error: 403 when it is about who, 409 about when. */
export function refusalError(refusal: Refusal, locale: Locale): AppError {
  const message = locale === 'en' ? words[refusal].en : words[refusal].zh;
  return refusal === 'not_chair'
    ? new AppError(403, 'forbidden', message)
    : new AppError(409, 'illegal_state', message);
}
