/**
 * Paraglide compiler options, shared by the Vite plugin (dev, build) and i18n/compile.js
 * (run before svelte-check, which needs the generated modules but runs no Vite plugin).
 * @type {import('@inlang/paraglide-js').CompilerOptions}
 */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  // A client-only SPA: the choice lives in localStorage; Chinese is the default.
  strategy: ['localStorage', 'baseLocale'],
  localStorageKey: 'tongxin.locale',
  emitReadme: false,
};
