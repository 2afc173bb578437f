// Small helpers the benchmarks share: child processes' output by line, stopping them, their
// CPU and memory from /proc, and the figures' arithmetic and formatting.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK = 100; // Linux clock ticks per second for /proc/<pid>/stat

export function lines(child: ChildProcess, onLine: (line: string) => void) {
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
export async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system) a process has used, in seconds; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine was busy (all cores; steal counts: it was not ours to use). */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - ticks[3]! - ticks[4]!) / TICK; // less idle and iowait
}

export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The median, or null when any run did not produce the figure. */
export function median(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length < values.length) return null; // a run that never finished is reported as such
  return v.length ? v[Math.floor(v.length / 2)]! : null;
}

export const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : x.toFixed(digits);
export const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b === 0 ? '—' : (a / b).toFixed(2);
