/**
 * Runs `work` once the page has painted and the main thread has nothing else to do, or after
 * `timeout` ms at the latest; returns a cancel. For what a page need not show at first sight
 * (the bell's live count), so loading it does not hold up the page itself.
 */
export function whenIdle(work: () => void, timeout = 2_000): () => void {
  let cancel = () => {};
  // A timer set from an animation frame runs once that frame has been painted.
  const frame = requestAnimationFrame(() => {
    const painted = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') {
        const idle = requestIdleCallback(work, { timeout });
        cancel = () => cancelIdleCallback(idle);
      } else {
        work(); // Safari has no requestIdleCallback: after the first paint will do
      }
    });
    cancel = () => clearTimeout(painted);
  });
  cancel = () => cancelAnimationFrame(frame);
  return () => cancel();
}
