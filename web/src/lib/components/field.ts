/** Shared look of text inputs and selects. */
export const controlClass =
  'block min-h-tap w-full rounded-control border-2 border-line-strong bg-surface px-3 py-2 text-base text-ink aria-invalid:border-warn';

/** The ids a control's aria-describedby should list: its hint and its error, when shown. */
export function describedBy(id: string, hint?: string, error?: string) {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
