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
/** Chinese names, for what the server writes itself (the Markdown 公示); pages use their messages. */
export const TOPIC_CATEGORY_NAMES: Record<TopicCategory, string> = {
  parking: '停车',
  ebike_charging: '电动车充电',
  stray_animals: '流浪动物',
  rubbish_sorting: '垃圾分类',
  renovation: '老旧小区改造',
  property_fees: '物业费',
  safety: '安全',
  environment: '环境',
  elder_care: '养老',
  other: '其他',
};
