// What both benchmark servers report at GET /__bench/memory: JavaScript memory after a
// forced full GC (they run with --expose-gc), so per-connection figures do not depend on
// when the collector last ran. `external` already includes `arrayBuffers` (socket buffers,
// Yjs updates); PGlite's WebAssembly memory is in it too, hence BENCH_DATABASE_URL.
export function benchMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return {
    gc: Boolean(gc),
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
    js: m.heapUsed + m.external,
  };
}
