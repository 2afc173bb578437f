/** Topic categories from the seeds: the everyday matters residents raise. */
export const TOPIC_CATEGORIES = [
  'parking',
  'ebike_charging',
  'stray_animals',
  'rubbish_sorting',
  'renovation',
  'property_fees',
  'safety',
  'environment',
  'elder_care',
  'other',
] as const;
export type TopicCategory = (typeof TOPIC_CATEGORIES)[number];

export const TOPIC_STATUSES = ['submitted', 'accepted', 'merged', 'declined'] as const;
export type TopicStatusName = (typeof TOPIC_STATUSES)[number];
