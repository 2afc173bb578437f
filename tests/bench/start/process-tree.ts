// What a started process tree costs, read from /proc (Linux; elsewhere the figures are null):
// `npm start` is npm → sh → node, and the server is the node at the bottom.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux Node runs on
const PAGE_KB = 4;

interface ProcStat {
  pid: number;
  ppid: number;
  /** user + system CPU time, own and of waited-for children, in ms. */
  cpuMs: number;
  rssKb: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const num = (i: number) => Number(fields[i - 3]);
    return {
      pid,
      ppid: num(4),
      cpuMs: ((num(14) + num(15) + num(16) + num(17)) * 1000) / TICKS_PER_SECOND,
      rssKb: num(24) * PAGE_KB,
    };
  } catch {
    return null;
  }
}

function tree(rootPid: number): ProcStat[] {
  let all: ProcStat[];
  try {
    all = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => readStat(Number(name)) ?? []);
  } catch {
    return [];
  }
  const members = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => members.has(p.pid));
}

/** CPU time spent so far by the tree, in ms. */
export function treeCpuMs(rootPid: number): number | null {
  const procs = tree(rootPid);
  return procs.length ? procs.reduce((sum, p) => sum + p.cpuMs, 0) : null;
}

/** Resident memory of the largest process in the tree (the server, not npm), in MB. */
export function serverRssMb(rootPid: number): number | null {
  const procs = tree(rootPid);
  return procs.length ? Math.max(...procs.map((p) => p.rssKb)) / 1024 : null;
}
