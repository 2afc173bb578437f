/**
 * A minimal inlang plugin: reads messages/{feature}/{locale}.json, flat maps of key → text
 * where `{name}` marks a parameter. One folder per feature keeps parallel work from
 * colliding in one file; keys must still be unique across features. Kept local so compiling messages never needs a download
 * (inlang's stock plugins are loaded from a CDN, which CI and offline machines cannot reach).
 */

const FEATURES = [
  'app',
  'roundtable',
  'roundtable-public',
  'roundtable-guests',
  'roundtable-photos',
  'roundtable-meeting',
  'teams',
  'claims',
  'notifications',
  'people',
  'common',
];

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

export default {
  key: 'tongxin.json-messages',
  toBeImportedFiles: ({ settings }) =>
    FEATURES.flatMap((feature) =>
      settings.locales.map((locale) => ({ locale, path: `./messages/${feature}/${locale}.json` })),
    ),
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
        const pattern = parsePattern(text);
        const names = pattern.filter((p) => p.type === 'expression').map((p) => p.arg.name);
        const known = bundles.get(key)?.declarations.map((d) => d.name) ?? [];
        const declarations = [...new Set([...known, ...names])].map((name) => ({
          type: 'input-variable',
          name,
        }));
        bundles.set(key, { id: key, declarations });
        messages.push({ bundleId: key, locale: file.locale, selectors: [] });
        variants.push({ messageBundleId: key, messageLocale: file.locale, matches: [], pattern });
      }
    }
    return { bundles: [...bundles.values()], messages, variants };
  },
};
