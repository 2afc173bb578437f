import accountsEn from '../messages/accounts/en.json' with { type: 'json' };
import accountsZh from '../messages/accounts/zh-CN.json' with { type: 'json' };
import doubleReportEn from '../messages/double-report/en.json' with { type: 'json' };
import doubleReportZh from '../messages/double-report/zh-CN.json' with { type: 'json' };
import problemsEn from '../messages/problems/en.json' with { type: 'json' };
import problemsZh from '../messages/problems/zh-CN.json' with { type: 'json' };
import roundtableEn from '../messages/roundtables/en.json' with { type: 'json' };
import roundtableZh from '../messages/roundtables/zh-CN.json' with { type: 'json' };
import teamsEn from '../messages/teams/en.json' with { type: 'json' };
import teamsZh from '../messages/teams/zh-CN.json' with { type: 'json' };
import type { Locale } from './errors.ts';
import type { RefusalCode } from './refusals.ts';

/**
 * The server's catalogue of refusal words, for API clients other than the web (which reads
 * the same files through Paraglide). A text is a string with `{name}` parameters, or plural
 * forms chosen by the parameter `n`, as in the web's messages.
 */
type Text = string | { other: string; [category: string]: string };
type Words = Record<string, Text>;

const words: Record<Locale, Words> = {
  'zh-CN': { ...roundtableZh, ...teamsZh, ...doubleReportZh, ...accountsZh, ...problemsZh },
  en: { ...roundtableEn, ...teamsEn, ...doubleReportEn, ...accountsEn, ...problemsEn },
};

/** The raw text of a refusal in one language (for the completeness test). */
export function refusalTemplate(locale: Locale, code: RefusalCode): Text | undefined {
  return words[locale][`rf_${code}`];
}

/** A refusal in words, its parameters filled in. */
export function refusalText(
  locale: Locale,
  code: RefusalCode,
  params: Record<string, string | number> = {},
): string {
  const text = refusalTemplate(locale, code) ?? refusalTemplate('zh-CN', code) ?? code;
  const pattern =
    typeof text === 'string'
      ? text
      : (text[new Intl.PluralRules(locale).select(Number(params.n))] ?? text.other);
  return pattern.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
