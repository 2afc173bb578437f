/** `datetime-local` values are China time (UTC+8), wherever the browser is set. */
const CST_MS = 8 * 3600_000;

/** '2026-12-07T19:00' (China time) → an ISO instant. */
export const fromChinaLocal = (local: string) => new Date(`${local}:00+08:00`).toISOString();

/** An ISO instant → '2026-12-07T19:00' (China time), for a `datetime-local` field. */
export const toChinaLocal = (iso: string) =>
  new Date(new Date(iso).getTime() + CST_MS).toISOString().slice(0, 16);
