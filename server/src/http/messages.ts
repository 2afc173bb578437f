import type { GeneralCode, Locale } from '@tongxin/shared/errors';

type Catalogue = Record<GeneralCode, string>;

const zh: Catalogue = {
  bad_request: '请求无法处理，请检查后重试。',
  validation_failed: '填写的内容有误，请检查后重试。',
  unknown_field: '请求中含有不接受的字段。',
  body_too_large: '提交的内容太大了。',
  unauthenticated: '请先登录。',
  forbidden: '您没有权限进行此操作。',
  bad_origin: '请求来源不被信任，请从同心网页进行操作。',
  not_found: '找不到要访问的内容。',
  conflict: '操作与现有数据冲突，请刷新后重试。',
  illegal_state: '现在不能进行此操作。',
  stage_changed: '会议阶段已经变化，请刷新后再试。',
  rate_limited: '操作过于频繁，请稍后再试。',
  unavailable: '服务暂时不可用，请稍后再试。',
  internal: '服务器出错了，请稍后再试。',
};

const en: Catalogue = {
  bad_request: 'The request could not be processed. Check it and try again.',
  validation_failed: 'Some of what was entered is not valid. Check it and try again.',
  unknown_field: 'The request contains a field that is not accepted.',
  body_too_large: 'What was sent is too large.',
  unauthenticated: 'Please log in first.',
  forbidden: 'You are not allowed to do this.',
  bad_origin: 'The request did not come from a trusted page. Use the Tongxin web app.',
  not_found: 'Nothing was found here.',
  conflict: 'This conflicts with existing data. Refresh and try again.',
  illegal_state: 'This cannot be done at this point.',
  stage_changed: 'The meeting has moved on to another stage. Refresh and try again.',
  rate_limited: 'Too many attempts. Please wait and try again.',
  unavailable: 'The service is unavailable for a moment. Try again soon.',
  internal: 'Something went wrong on the server. Try again soon.',
};

export const catalogue: Record<Locale, Catalogue> = { 'zh-CN': zh, en };

/** Field names as people know them, for validation messages. */
const fieldLabels: Record<string, { zh: string; en: string }> = {
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  newPassword: { zh: '新密码', en: 'New password' },
  currentPassword: { zh: '当前密码', en: 'Current password' },
  displayName: { zh: '显示名称', en: 'Display name' },
  phone: { zh: '手机号', en: 'Phone number' },
  locale: { zh: '语言', en: 'Language' },
  code: { zh: '邀请码', en: 'Invitation code' },
  invitationCode: { zh: '邀请码', en: 'Invitation code' },
  role: { zh: '身份', en: 'Role' },
  placeId: { zh: '地点', en: 'Place' },
  unitId: { zh: '单位', en: 'Unit' },
  note: { zh: '备注', en: 'Note' },
  maxUses: { zh: '可用次数', en: 'Number of uses' },
  expiresInDays: { zh: '有效天数', en: 'Days valid' },
  title: { zh: '标题', en: 'Title' },
  description: { zh: '说明', en: 'Description' },
  category: { zh: '类别', en: 'Category' },
  location: { zh: '地点', en: 'Location' },
  localName: { zh: '会议名称', en: 'Meeting name' },
  startsAt: { zh: '开始时间', en: 'Start time' },
  quorum: { zh: '法定人数', en: 'Quorum' },
  decision: { zh: '处理意见', en: 'Decision' },
  reason: { zh: '理由', en: 'Reason' },
  mergeIntoId: { zh: '合并到的议题', en: 'Topic to merge into' },
  topicIds: { zh: '议程', en: 'Agenda' },
  from: { zh: '当前阶段', en: 'Current stage' },
  // double report
  contact: { zh: '联系人', en: 'Contact' },
  commitment: { zh: '公开承诺', en: 'Public commitment' },
  unitName: { zh: '工作单位', en: 'Workplace' },
  skills: { zh: '特长', en: 'Skills' },
  kind: { zh: '类型', en: 'Kind' },
  quota: { zh: '名额', en: 'Places' },
  dueAt: { zh: '完成期限', en: 'Deadline' },
  availability: { zh: '可用时间', en: 'Availability' },
  rating: { zh: '评分', en: 'Rating' },
  comment: { zh: '评价', en: 'Comment' },
};

export function fieldLabel(field: string, locale: Locale): string {
  const label = fieldLabels[field];
  if (!label) return field ? `“${field}”` : locale === 'en' ? 'The request' : '请求内容';
  return locale === 'en' ? label.en : label.zh;
}
