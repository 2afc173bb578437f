import { accountsRefusals } from './accounts/refusals.ts';
import { doubleReportRefusals } from './double-report/refusals.ts';
import { problemsRefusals } from './problems/refusals.ts';
import { statusOf, type ParamsOf, type RefusalStatus } from './refusal.ts';
import { roundtableRefusals } from './roundtables/refusals.ts';
import { teamsRefusals } from './teams/refusals.ts';

/** Every refusal of every feature, by code (codes are unique across features). */
export const REFUSALS = {
  ...roundtableRefusals,
  ...teamsRefusals,
  ...doubleReportRefusals,
  ...accountsRefusals,
  ...problemsRefusals,
};
export type RefusalCode = keyof typeof REFUSALS;
export const REFUSAL_CODES = Object.keys(REFUSALS) as RefusalCode[];

/** The parameters a refusal's words name. */
export type RefusalParams<C extends RefusalCode> = ParamsOf<(typeof REFUSALS)[C]>;

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSALS, code);
}

export function refusalStatus(code: RefusalCode): RefusalStatus {
  return statusOf(REFUSALS[code]);
}

/** The feature folder under shared/messages/ that words each refusal. */
export const REFUSAL_FEATURES = {
  roundtables: Object.keys(roundtableRefusals),
  teams: Object.keys(teamsRefusals),
  'double-report': Object.keys(doubleReportRefusals),
  accounts: Object.keys(accountsRefusals),
  problems: Object.keys(problemsRefusals),
} as const;
