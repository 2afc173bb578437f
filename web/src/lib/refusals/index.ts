import { isRefusalCode, type RefusalCode, type RefusalParams } from '@tongxin/shared/refusals';
import { accountsWords } from './accounts';
import { doubleReportWords } from './double-report';
import { problemsWords } from './problems';
import { roundtableWords } from './roundtables';
import { teamsWords } from './teams';

const words = {
  ...roundtableWords,
  ...teamsWords,
  ...doubleReportWords,
  ...accountsWords,
  ...problemsWords,
};

/**
 * A refusal in the language on screen, from its code and parameters (the server's own
 * sentence is the fallback for a code this build does not know yet).
 */
export function refusalText(code: string, params: Record<string, string | number> | undefined) {
  if (!isRefusalCode(code)) return undefined;
  const say = words[code] as (p: RefusalParams<RefusalCode>) => string;
  return say((params ?? {}) as RefusalParams<RefusalCode>);
}
