import { describe, expect, it } from 'vitest';
import { LOCALES } from '@tongxin/shared/errors';
import { REFUSAL_CODES, REFUSAL_FEATURES } from '@tongxin/shared/refusals';
import { refusalTemplate, refusalText } from '@tongxin/shared/refusal-words';

const names = (text: string | Record<string, string> | undefined) =>
  [...JSON.stringify(text ?? '').matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]).sort();

describe('refusals', () => {
  it('words every refusal in every language, with the same parameters', () => {
    for (const code of REFUSAL_CODES) {
      const zh = refusalTemplate('zh-CN', code);
      expect(zh, `rf_${code} in zh-CN`).toBeDefined();
      for (const locale of LOCALES) {
        const text = refusalTemplate(locale, code);
        expect(text, `rf_${code} in ${locale}`).toBeDefined();
        expect([...new Set(names(text))], `rf_${code} in ${locale}`).toEqual([
          ...new Set(names(zh)),
        ]);
      }
    }
  });

  it('gives every code to one feature only (a spread would hide the second silently)', () => {
    const all = Object.values(REFUSAL_FEATURES).flat();
    expect(all.length).toBe(new Set(all).size);
  });

  it('fills in parameters', () => {
    expect(refusalText('zh-CN', 'below_quorum', { present: 3, quorum: 10 })).toBe(
      '到会 3 人，不足法定人数 10 人；主持人确认后仍可开始表决。',
    );
    expect(refusalText('en', 'vote_already_open')).toBe('Another vote is open; close it first.');
  });
});
