/**
 * A minimal inlang plugin: reads messages/{feature}/{locale}.json, flat maps of key → text
 * where `{name}` marks a parameter. A text that depends on a count is an object of plural
 * categories chosen by the number `n` (Intl.PluralRules), `other` required:
 * `"tm_places_left": { "one": "{n} place left", "other": "{n} places left" }`. One folder per feature keeps parallel work from
 * colliding in one file; keys must still be unique across features. Kept local so compiling messages never needs a download
 * (inlang's stock plugins are loaded from a CDN, which CI and offline machines cannot reach).
 */

const FEATURES = [
  'app',
  'roundtables',
  'roundtables-public',
  'roundtables-guests',
  'roundtables-photos',
  'roundtables-room',
  'teams',
  'double-report',
  'notifications',
  'people',
  'common',
  'problems',
  'todo',
];

/** Refusals are worded once for web and server: shared/messages/{feature}/{locale}.json. */
const SHARED_FEATURES = ['roundtables', 'teams', 'double-report', 'accounts', 'problems'];

/** Splits "你好，{name}" into text and variable-reference parts. */
function parsePattern(text) {
  return text
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('{') && part.endsWith('}')
        ? { type: 'expression', arg: { type: 'variable-reference', name: part.slice(1, -1) } }
        : { type: 'text', value: part },
    );
}

/** The plural category of `n` in the message's language: one, few, many, other … */
const PLURAL = 'nPlural';
const pluralOfN = {
  type: 'local-variable',
  name: PLURAL,
  value: {
    type: 'expression',
    arg: { type: 'variable-reference', name: 'n' },
    annotation: { type: 'function-reference', name: 'plural', options: [] },
  },
};

export default {
  key: 'tongxin.json-messages',
  toBeImportedFiles: ({ settings }) => [
    ...FEATURES.flatMap((feature) =>
      settings.locales.map((locale) => ({ locale, path: `./messages/${feature}/${locale}.json` })),
    ),
    ...SHARED_FEATURES.flatMap((feature) =>
      settings.locales.map((locale) => ({
        locale,
        path: `../shared/messages/${feature}/${locale}.json`,
      })),
    ),
  ],
  importFiles: ({ files }) => {
    const bundles = new Map();
    const messages = [];
    const variants = [];
    const seen = new Set();
    for (const file of files) {
      const entries = Object.entries(JSON.parse(new TextDecoder().decode(file.content)));
      for (const [key, text] of entries) {
        if (key === '$schema') continue;
        if (seen.has(`${file.locale}:${key}`)) throw new Error(`message ${key} is defined twice`);
        seen.add(`${file.locale}:${key}`);
        const plural = typeof text === 'object';
        if (plural && typeof text.other !== 'string')
          throw new Error(`message ${key} (${file.locale}) needs an "other" form`);
        // The catch-all goes last: the compiled message returns the first variant that matches.
        const forms = plural
          ? Object.entries(text).sort(([a], [b]) => Number(a === 'other') - Number(b === 'other'))
          : [[null, text]];
        const patterns = forms.map(([category, t]) => [category, parsePattern(t)]);
        const names = patterns.flatMap(([, pattern]) =>
          pattern.filter((p) => p.type === 'expression').map((p) => p.arg.name),
        );
        if (plural) names.push('n');
        const bundle = bundles.get(key) ?? { id: key, declarations: [] };
        for (const name of names)
          if (!bundle.declarations.some((d) => d.name === name))
            bundle.declarations.push({ type: 'input-variable', name });
        if (plural && !bundle.declarations.some((d) => d.name === PLURAL))
          bundle.declarations.push(pluralOfN);
        bundles.set(key, bundle);
        messages.push({
          bundleId: key,
          locale: file.locale,
          selectors: plural ? [{ type: 'variable-reference', name: PLURAL }] : [],
        });
        for (const [category, pattern] of patterns)
          variants.push({
            messageBundleId: key,
            messageLocale: file.locale,
            matches: !plural
              ? []
              : category === 'other'
                ? [{ type: 'catchall-match', key: PLURAL }]
                : [{ type: 'literal-match', key: PLURAL, value: category }],
            pattern,
          });
      }
    }
    return { bundles: [...bundles.values()], messages, variants };
  },
};
